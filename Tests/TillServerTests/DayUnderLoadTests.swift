import Foundation
import Testing
import TillCore
import TillPaymentSandbox
import TillServer
import TillTestSupport

/// A day under load: 8 terminals on two `till-server` processes sharing one PostgreSQL database, with a
/// register session required for every order. Each till opens its register with a seeded float, sells
/// (cash with change, card through the sandbox, some orders canceled), puts cash in and takes it out
/// (a cashier's pay-out with the manager's PIN), opens the drawer for no sale, and closes its session at
/// seeded random moments — counting exactly what its model of the drawer holds — then opens the next.
/// Every request goes to either back end. Afterwards: every acknowledged order is in exactly one Z
/// report (the one of the session it was placed in), each Z's totals are the sums of its orders and
/// moves, its expected cash is the model's and its variance 0, and each terminal's Z numbers are 1…N.
@Suite("A day under load: 8 tills on two back ends")
struct DayUnderLoadTests {
  static let tills = 8
  static let salesPerTill = 36
  static let sku = "DAY"

  static func terminalToken(_ till: Int) -> String { "day-load-terminal-token-\(till)-0123456789" }
  static func name(_ till: Int) -> String { "day-\(till)" }

  @Test("8 tills, 2 back ends, sessions closing at seeded moments: every sale in exactly one Z")
  func everySaleInExactlyOneZ() async throws {
    let seed = SeededGenerator.runSeed()
    print("DayUnderLoadTests: seed \(seed) (replay with TILL_CRASH_SEED=\(seed))")
    let database = try await freshPostgresDatabase()
    let sandbox = try await SandboxHarness.start()
    let terminals = (0..<Self.tills).flatMap { ["--terminal", "\(Self.name($0))=\(Self.terminalToken($0))"] }
    do {
      try await withInstances(
        database: database, products: [Fixtures.product(Self.sku, stock: 100_000, price: 370)],
        arguments: terminals + [
          "--payment-provider", sandbox.baseURL, "--payment-shop-id",
          SandboxHarness.shopId,
        ],
        environment: ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey]
      ) { instances in
        let tokens = (0..<Self.tills).map(Self.terminalToken)
        // Each till opens its own register with a float of its own, below.
        let sessions = try await StaffSignIn.sessions(
          baseURL: instances.baseURLs[0], terminalTokens: tokens, opensRegisters: false)
        let days = try await withThrowingTaskGroup(of: TillDay.self) { group in
          for till in 0..<Self.tills {
            let token = try #require(sessions[Self.terminalToken(till)])
            group.addTask {
              try await TillDay.trade(
                till: till, clients: instances.baseURLs.map { APITestClient(baseURL: $0, token: token) },
                seed: seed &+ UInt64(till), sales: Self.salesPerTill)
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        let manager = try await StaffSignIn.client(
          baseURL: instances.baseURLs[1], terminalToken: Self.terminalToken(0), as: DemoStaff.manager,
          opensRegister: false)
        var zCount = 0
        for day in days {
          let listed = try await manager.get("/v1/z-reports?terminal=\(Self.name(day.till))&limit=500")
            .decoded(Page<ZReport>.self)
          #expect(listed.items.reversed().map(\.number) == Array(1...day.closed.count), "till \(day.till)")
          #expect(Set(listed.items) == Set(day.closed), "till \(day.till): the Z reports it was answered")
          zCount += listed.items.count
        }
        let probe = DatabaseProbe(engine: .postgres, location: database)
        #expect(
          try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM orders WHERE session_id IS NULL") == 0)
        #expect(
          try await probe.count(
            "SELECT CAST(COUNT(*) AS TEXT) FROM orders o JOIN register_sessions s ON s.id = o.session_id WHERE s.status <> 'closed'"
          ) == 0, "every order is in a closed session's Z")
        let paid = days.reduce(0) { $0 + $1.paidOrders }
        #expect(
          try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM orders WHERE status = 'paid'") == paid)
        print("DayUnderLoadTests: \(Self.tills) tills, \(paid) paid orders, \(zCount) Z reports")
      }
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()
  }
}

/// One till's day, and the model of its drawer each Z is checked against.
struct TillDay: Sendable {
  var till: Int
  var closed: [ZReport] = []
  var paidOrders = 0

  /// The session being traded in, as the till sees it.
  struct Session {
    var id: String
    var float: Int
    var paid: [Order] = []
    var canceled = 0
    var cash = 0
    var payIns = 0
    var payOuts = 0
    var noSales = 0
    var expected: Int { float + cash + payIns - payOuts }
  }

  static func trade(till: Int, clients: [APITestClient], seed: UInt64, sales: Int) async throws -> TillDay {
    var random = SeededGenerator(seed: seed)
    var day = TillDay(till: till)
    var calls = 0
    func client() -> APITestClient {
      calls += 1
      return clients[calls % clients.count]
    }
    var session: Session?
    for sale in 0..<sales {
      if session == nil {
        let float = Int.random(in: 0...200, using: &random) * 100
        let opened = try await client().post(
          "/v1/register-sessions", json: OpenSessionRequest(openingFloat: PaymentFixtures.eur(float))
        ).decoded(RegisterSession.self, expecting: 201)
        session = Session(id: opened.id, float: float)
      }
      guard var current = session else { continue }
      let order = try await client().placedOrder([
        (DayUnderLoadTests.sku, Int.random(in: 1...3, using: &random))
      ])
      #expect(order.sessionId == current.id, "till \(till): the order belongs to the open session")
      switch Int.random(in: 0..<10, using: &random) {
      case 0:
        _ = try await client().post("/v1/orders/\(order.id)/cancel", json: CancelRequest()).decoded(
          Order.self)
        current.canceled += 1
      case 1, 2, 3:
        let payment = try await client().pay(order.id, .card).decoded(Payment.self, expecting: 201)
        #expect(payment.status == .succeeded)
        current.paid.append(order)
      default:
        let tendered = order.total.amount + Int.random(in: 0...10, using: &random) * 50
        _ = try await client().pay(order.id, .cash(tendered: PaymentFixtures.eur(tendered)))
          .decoded(Payment.self, expecting: 201)
        current.cash += order.total.amount
        current.paid.append(order)
      }
      switch Int.random(in: 0..<12, using: &random) {
      case 0:
        let amount = Int.random(in: 1...50, using: &random) * 100
        _ = try await client().post(
          "/v1/register-sessions/\(current.id)/cash-moves",
          json: CashMoveRequest(
            opId: "in-\(till)-\(sale)", kind: .payIn, amount: PaymentFixtures.eur(amount), reason: "change")
        ).decoded(CashMove.self, expecting: 201)
        current.payIns += amount
      case 1 where current.expected >= 100:
        // Never more than the drawer holds: a count is never negative.
        let amount = Int.random(in: 1...min(20, current.expected / 100), using: &random) * 100
        let approval = Approval(code: DemoStaff.manager.code, pin: DemoStaff.manager.pin)
        _ = try await client().post(
          "/v1/register-sessions/\(current.id)/cash-moves",
          json: CashMoveRequest(
            opId: "out-\(till)-\(sale)", kind: .payOut, amount: PaymentFixtures.eur(amount), reason: "safe",
            approval: approval)
        ).decoded(CashMove.self, expecting: 201)
        current.payOuts += amount
      case 2:
        _ = try await client().post(
          "/v1/register-sessions/\(current.id)/cash-moves",
          json: CashMoveRequest(opId: "ns-\(till)-\(sale)", kind: .noSale, reason: "change for a note")
        ).decoded(CashMove.self, expecting: 201)
        current.noSales += 1
      default: break
      }
      session = current
      if sale == sales - 1 || Int.random(in: 0..<8, using: &random) == 0 {
        try await day.close(current, with: client(), till: till)
        session = nil
      }
    }
    return day
  }

  /// Closes `session` counting what the model expects, and checks the Z against the model.
  mutating func close(_ session: Session, with client: APITestClient, till: Int) async throws {
    let z = try await client.post(
      "/v1/register-sessions/\(session.id)/close",
      json: CloseSessionRequest(countedCash: PaymentFixtures.eur(session.expected)),
      headers: [(name: "Idempotency-Key", value: "close-\(session.id)")]
    ).decoded(ZReport.self, expecting: 201)
    let report = z.report
    #expect(z.number == closed.count + 1, "till \(till): Z numbers count without a gap")
    #expect(report.session.id == session.id && report.salesCount == session.paid.count, "till \(till)")
    #expect(report.salesTotal.amount == session.paid.reduce(0) { $0 + $1.total.amount }, "till \(till)")
    #expect(report.cancels.count == session.canceled && report.noSales == session.noSales, "till \(till)")
    #expect(report.payIns.amount.amount == session.payIns && report.payOuts.amount.amount == session.payOuts)
    #expect(report.cash?.expected.amount == session.expected && z.variance.amount == 0, "till \(till)")
    closed.append(z)
    paidOrders += session.paid.count
  }
}
