import Testing
import TillCore

@testable import TillBench

/// Bench clients are tills: each has a terminal token of its own and sells through the staff session
/// signed in on it (order numbers count per till, so one shared till would make every client's orders
/// wait for one counter), except against `--server` with its one token.
@Suite struct BenchTillsTests {
  static func backEnd(tokens: [String], sessions: [String]) -> BackEnd {
    BackEnd(
      engine: "sqlite", baseURL: "http://127.0.0.1:1", staffTokens: tokens, adminToken: nil,
      cashier: BenchCashier.local(), sessionTokens: sessions, store: nil, sandboxURL: nil,
      sandboxAuthorization: nil, postgres: nil, stop: {})
  }

  @Test func aStartedBackEndHasOneTokenPerTill() {
    let tokens = LocalBackEnd.staffTokens(count: 16)
    #expect(tokens.count == 16 && Set(tokens).count == 16)
    let sessions = (0..<16).map { "st-session-\($0)" }
    let backEnd = Self.backEnd(tokens: tokens, sessions: sessions)
    #expect((0..<16).map { backEnd.sessionToken(forClient: $0) } == sessions)
  }

  @Test func theGivenTokenIsEveryClientsTill() {
    let backEnd = Self.backEnd(tokens: ["the-one-token"], sessions: ["st-the-one-session"])
    #expect(Set((0..<64).map { backEnd.sessionToken(forClient: $0) }) == ["st-the-one-session"])
  }

  @Test func theLocalCashierHasAValidCodeAndAFreshPIN() {
    let cashier = BenchCashier.local()
    #expect(StaffRules.isValidCode(cashier.code) && StaffRules.isValidPIN(cashier.pin))
    #expect(!"\(cashier)".contains(cashier.pin))
  }

  /// Each till gets a session of its own; a wrong PIN stops the run with one line naming the till.
  @Test(.timeLimit(.minutes(1)))
  func theCashierSignsInOnEveryTill() async throws {
    let started = try await LocalBackEnd.start(
      engine: .sqlite, products: LocalBackEnd.catalogue(count: 3), tills: 3)
    do {
      let signed = try await started.signedIn()
      #expect(signed.sessionTokens.count == 3 && Set(signed.sessionTokens).count == 3)
      #expect(signed.sessionTokens.allSatisfy { $0.hasPrefix("st-") })
      let cart = await BenchConnection(baseURL: signed.baseURL, token: signed.sessionToken(forClient: 2))
        .send("POST", "/v1/carts")
      #expect(cart?.status == 201)
      var wrong = started
      wrong.cashier.pin = wrong.cashier.pin == "999999" ? "111111" : "999999"
      await #expect {
        try await wrong.signedIn()
      } throws: { error in
        "\(error)" == "the bench cashier 9001 could not sign in on till 1 (status 401)"
      }
      await started.stop()
    } catch {
      await started.stop()
      throw error
    }
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
