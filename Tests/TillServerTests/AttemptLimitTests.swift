import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// Guessing PINs: attempts are counted in the database before a PIN is looked at, so guesses sent at
/// once, to one back end or to several sharing a database, are counted together.
@Suite("Counting PIN guesses", .serialized)
struct AttemptLimitTests {
  /// Five wrong PINs per code, then a three-second lock-out (long enough to be seen, short enough to
  /// wait for).
  static let policy = AttemptPolicy(
    perCode: 5, perTerminal: 100, firstLockOut: .seconds(3), longestLockOut: .seconds(60))

  @Test(
    "30 concurrent wrong PINs for one code: at most 5 evaluated, the rest 429; the right PIN waits",
    arguments: StoreEngine.allCases)
  func concurrentGuesses(engine: StoreEngine) async throws {
    try await withStaffServer(engine, attemptPolicy: Self.policy) { harness in
      // On PostgreSQL the guesses go to two back ends on one database, as two processes would be.
      let second = engine == .postgres ? try await harness.secondBackEnd() : nil
      do {
        let baseURLs = [harness.baseURL, second?.baseURL ?? harness.baseURL]
        try await Self.guess(harness, baseURLs: baseURLs)
        await second?.stop()
      } catch {
        await second?.stop()
        throw error
      }
    }
  }

  static func guess(_ harness: ServerHarness, baseURLs: [String]) async throws {
    let before = try await StaffFixtures.audit(harness)
    let answers = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
      for index in 0..<30 {
        group.addTask {
          let terminal = index.isMultiple(of: 2) ? ServerHarness.staffToken : ServerHarness.otherStaffToken
          let client = APITestClient(baseURL: baseURLs[index % baseURLs.count], token: terminal)
          return try await client.post("/v1/sign-in", json: SignInRequest(code: "1001", pin: "0000"))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let evaluated = answers.filter { $0.status == 401 }
    let locked = answers.filter { $0.status == 429 }
    #expect(evaluated.count == 5, "\(answers.map(\.status))")
    #expect(evaluated.count + locked.count == 30, "\(answers.map(\.status))")
    #expect(evaluated.allSatisfy { $0.problem?.kind == .signInFailed })
    for answer in locked {
      #expect(answer.problem?.kind == .tooManyAttempts)
      let retryAfter = Int(answer.header("Retry-After") ?? "") ?? 0
      #expect((1...3).contains(retryAfter), "Retry-After \(retryAfter)")
    }
    // What was evaluated is what the trail shows: five failures, one lock-out.
    let rows = try await StaffFixtures.audit(harness, since: before)
    #expect(rows.filter { $0.action == "sign-in-failed" }.count == 5)
    #expect(rows.filter { $0.action == "lock-out" }.count == 1)

    // The right PIN is refused until the lock-out ends, on either back end; then it signs in.
    for baseURL in Set(baseURLs) {
      let client = APITestClient(baseURL: baseURL, token: ServerHarness.staffToken)
      let refused = try await client.post("/v1/sign-in", json: SignInRequest(code: "1001", pin: "1234"))
      #expect(refused.status == 429)
    }
    _ = try await eventually(within: .seconds(6), every: .milliseconds(250), "the lock-out never ended") {
      let client = APITestClient(baseURL: baseURLs[0], token: ServerHarness.staffToken)
      return try await client.post("/v1/sign-in", json: SignInRequest(code: "1001", pin: "1234")).status
        == 200
    }
  }

  @Test("a terminal with too many wrong PINs is locked for every code; other terminals are not")
  func terminalLimit() async throws {
    let policy = AttemptPolicy(perCode: 5, perTerminal: 4, firstLockOut: .seconds(30))
    try await withStaffServer(attemptPolicy: policy) { harness in
      for code in ["5001", "5002", "5003", "5004"] {
        #expect(try await StaffFixtures.signIn(harness, code: code, pin: "0000").status == 401)
      }
      let locked = try await StaffFixtures.signIn(harness, code: "1001", pin: "1234")
      #expect(locked.status == 429)
      #expect(locked.problem?.kind == .tooManyAttempts)
      let elsewhere = try await StaffFixtures.signIn(
        harness, code: "1001", pin: "1234", terminalToken: ServerHarness.otherStaffToken)
      #expect(elsewhere.status == 200)
      let rows = try await StaffFixtures.audit(harness)
      #expect(rows.contains { $0.action == "lock-out" && $0.subject == "till-1" })
    }
  }

  @Test("lock-outs grow: the second one is twice as long as the first")
  func growingLockOut() async throws {
    let policy = AttemptPolicy(
      perCode: 2, perTerminal: 100, firstLockOut: .seconds(2), longestLockOut: .seconds(60))
    try await withStaffServer(attemptPolicy: policy) { harness in
      for _ in 0..<2 {
        #expect(try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status == 401)
      }
      let first = try await StaffFixtures.signIn(harness, code: "1002", pin: "0000")
      #expect(first.status == 429)
      #expect(Int(first.header("Retry-After") ?? "") ?? 0 <= 2)
      try await Task.sleep(for: .milliseconds(2_200))
      for _ in 0..<2 {
        #expect(try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status == 401)
      }
      let second = try await StaffFixtures.signIn(harness, code: "1002", pin: "2345")
      #expect(second.status == 429)
      #expect(
        (3...4).contains(Int(second.header("Retry-After") ?? "") ?? 0),
        "\(second.header("Retry-After") ?? "")")
    }
  }
}
