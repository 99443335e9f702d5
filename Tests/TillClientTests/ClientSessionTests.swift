import Testing

@testable import TillClient

/// Which 401 ends the client's session: only one for the session it still holds.
@Suite("TillClient session ending")
struct ClientSessionTests {
  static func client(session: String?) -> TillClient {
    let client = TillClient(baseURL: "http://127.0.0.1:9", token: "terminal-token")
    client.session.withLock { $0 = session }
    return client
  }

  @Test func aRefusalOfTheCurrentSessionEndsIt() {
    let client = Self.client(session: "st-ana")
    #expect(client.endSession(sentWith: "st-ana"))
    #expect(!client.isSignedIn)
    #expect(client.endSession(sentWith: "st-ana"), "a second refusal of it: still over, still nobody")
  }

  @Test func aLateRefusalOfAnEarlierSessionLeavesTheNextPersonSignedIn() {
    let client = Self.client(session: "st-ben")
    #expect(!client.endSession(sentWith: "st-ana"))
    #expect(client.session.withLock { $0 } == "st-ben")
  }

  @Test func aStaleSessionReadsAsTryAgain() {
    #expect(TillClientError.staleSession.message == "The answer was for an earlier session: try again.")
    #expect(TillClientError.staleSession != .sessionEnded)
  }
}
