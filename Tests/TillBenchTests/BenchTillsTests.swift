import Testing

@testable import TillBench

/// Bench clients are tills: each has a staff token of its own (order numbers count per till, so one
/// shared token would make every client's orders wait for one counter), except against `--server`
/// with its one token.
@Suite struct BenchTillsTests {
  static func backEnd(tokens: [String]) -> BackEnd {
    BackEnd(
      engine: "sqlite", baseURL: "http://127.0.0.1:1", staffTokens: tokens, adminToken: nil, store: nil,
      sandboxURL: nil, sandboxAuthorization: nil, postgres: nil, stop: {})
  }

  @Test func aStartedBackEndHasOneTokenPerTill() {
    let tokens = LocalBackEnd.staffTokens(count: 16)
    #expect(tokens.count == 16 && Set(tokens).count == 16)
    let backEnd = Self.backEnd(tokens: tokens)
    #expect((0..<16).map { backEnd.staffToken(forClient: $0) } == tokens)
  }

  @Test func theGivenTokenIsEveryClientsTill() {
    let backEnd = Self.backEnd(tokens: ["the-one-token"])
    #expect(Set((0..<64).map { backEnd.staffToken(forClient: $0) }) == ["the-one-token"])
  }

  @Test func theLedgerRemembersWhichTillOwnsACart() {
    let ledger = IncrementLedger()
    ledger.register(cart: "spread-7", till: 7)
    ledger.register(cart: "hot")
    #expect(ledger.till(of: "spread-7") == 7 && ledger.till(of: "hot") == 0)
    #expect(ledger.snapshot == ["spread-7": 0, "hot": 0])
  }

  @Test func storeDirectClientsOrderAsTillsOfTheirOwn() {
    #expect(Set((0..<16).map(BenchRun.storeOwner)).count == 16)
  }
}
