import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// A store that sells, takes payment, knows people and keeps the trading day.
typealias RegisterTestStore = any Store & PaymentStore & StaffStore & RegisterStore & RefundStore

/// The trading day on each engine: a session opened with a float, sales, cash moves, the X report, the
/// close with its Z report and every refusal on the way.
@Suite("Register sessions and Z reports")
struct RegisterStoreTests {
  static func euros(_ cents: Int) -> Money { Money(amount: cents, currency: "EUR") }
  static let cashier = Fixture.actor(staff: StaffFixture.cashier)
  static let manager = Fixture.actor(staff: StaffFixture.manager, role: .manager)

  static func withRegister(_ engine: StoreEngine, _ body: (RegisterTestStore) async throws -> Void)
    async throws
  {
    try await StaffFixture.withStaff(engine) { staffed in
      let store = try #require(staffed as? RegisterTestStore, "\(engine) does not implement RegisterStore")
      try await body(store)
    }
  }

  /// An order of `lines` placed on the fixture terminal by the cashier.
  static func order(_ store: RegisterTestStore, _ lines: [(String, Int)], key: String) async throws -> Order {
    let cart = try await store.cart(with: lines)
    return try await store.placeOrder(
      cartId: cart.id, owner: Fixture.owner, staff: StaffFixture.cashier, idempotencyKey: key
    ).order
  }

  static func move(_ kind: CashMove.Kind, _ cents: Int?, op: String, reason: String = "float top-up")
    -> CashMoveRequest
  {
    CashMoveRequest(opId: op, kind: kind, amount: cents.map(euros), reason: reason)
  }

  @Test(arguments: StoreEngine.allCases)
  func aDayFromFloatToZ(engine: StoreEngine) async throws {
    try await Self.withRegister(engine) { store in
      let session = try await store.openSession(openingFloat: Self.euros(100_00), by: Self.cashier)
      #expect(session.status == .open && session.openedBy == StaffFixture.cashier)
      #expect(try await store.currentSession(owner: Fixture.owner) == session)
      #expect(try await store.currentSession(owner: Fixture.otherOwner) == nil)
      let second = await outcome { () async throws(StoreError) in
        try await store.openSession(openingFloat: Self.euros(0), by: Self.manager)
      }
      #expect(second == .failure(.sessionAlreadyOpen(session)))

      // Cash with change: 2 × 1.90 + 3.20 = 7.00, tendered 10.00, change 3.00.
      let cash = try await Self.order(store, [("BAK-002", 2), ("COF-001", 1)], key: "o1")
      #expect(cash.sessionId == session.id)
      _ = try await store.payCash(
        orderId: cash.id, owner: Fixture.owner, staff: StaffFixture.cashier, tendered: Self.euros(10_00))
      // Card: 2.20.
      let card = try await Self.order(store, [("COF-002", 1)], key: "o2")
      let start = try await store.beginCardPayment(
        orderId: card.id, owner: Fixture.owner, staff: StaffFixture.cashier)
      let attempt = try #require(start.attempt)
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "pp-1"))
      // Canceled: 3.50, taken by nobody.
      let canceled = try await Self.order(store, [("DRK-001", 1)], key: "o3")
      _ = try await store.cancelOrder(id: canceled.id, by: Self.cashier, approval: nil)

      let payIn = try await store.recordCashMove(
        Self.move(.payIn, 20_00, op: "m1"), sessionId: session.id, by: Self.cashier, approval: nil)
      #expect(payIn.created && payIn.move.kind == .payIn)
      let again = try await store.recordCashMove(
        Self.move(.payIn, 20_00, op: "m1"), sessionId: session.id, by: Self.cashier, approval: nil)
      #expect(!again.created && again.move == payIn.move, "the same opId is recorded once")
      let reused = await outcome { () async throws(StoreError) in
        try await store.recordCashMove(
          Self.move(.payIn, 30_00, op: "m1"), sessionId: session.id, by: Self.cashier, approval: nil)
      }
      #expect(reused == .failure(.operationReused(opId: "m1")))
      let unapproved = await outcome { () async throws(StoreError) in
        try await store.recordCashMove(
          Self.move(.payOut, 15_00, op: "m2", reason: "to the safe"), sessionId: session.id, by: Self.cashier,
          approval: nil)
      }
      #expect(unapproved == .failure(.approvalRequired))
      let wrongPIN = await outcome { () async throws(StoreError) in
        try await store.recordCashMove(
          Self.move(.payOut, 15_00, op: "m2", reason: "to the safe"), sessionId: session.id, by: Self.cashier,
          approval: VerifiedApproval(code: StaffFixture.manager, pinHash: "not-the-hash"))
      }
      #expect(wrongPIN == .failure(.approvalRefused))
      let payOut = try await store.recordCashMove(
        Self.move(.payOut, 15_00, op: "m2", reason: "to the safe"), sessionId: session.id, by: Self.cashier,
        approval: VerifiedApproval(
          code: StaffFixture.manager, pinHash: StaffFixture.hash(StaffFixture.manager)))
      #expect(payOut.move.approvedBy == StaffFixture.manager)
      _ = try await store.recordCashMove(
        Self.move(.noSale, nil, op: "m3", reason: "change for a note"), sessionId: session.id,
        by: Self.cashier,
        approval: nil)

      let x = try await store.sessionReport(id: session.id, owner: Fixture.owner)
      #expect(x.salesCount == 2 && x.salesTotal == Self.euros(9_20))
      #expect(
        x.payments == [
          MethodTotal(method: .cash, count: 1, amount: Self.euros(7_00)),
          MethodTotal(method: .card, count: 1, amount: Self.euros(2_20)),
        ])
      #expect(x.cancels == CountedTotal(count: 1, amount: Self.euros(3_50)))
      #expect(x.payIns == CountedTotal(count: 1, amount: Self.euros(20_00)))
      #expect(x.payOuts == CountedTotal(count: 1, amount: Self.euros(15_00)))
      #expect(x.noSales == 1)
      #expect(
        x.people == [PersonTotal(staff: StaffFixture.cashier, salesCount: 2, salesTotal: Self.euros(9_20))])
      #expect(
        x.taxes.map(\.gross).reduce(0) { $0 + $1.amount } == 9_20, "per-rate gross adds up to the sales")
      // 100.00 + 10.00 − 3.00 + 20.00 − 15.00
      #expect(x.cash?.expected == Self.euros(112_00))

      // An unpaid order keeps the session open, and is named.
      let unpaid = try await Self.order(store, [("BAK-001", 1)], key: "o4")
      let busy = await outcome { () async throws(StoreError) in
        try await store.closeSession(
          id: session.id, countedCash: Self.euros(111_50), idempotencyKey: "z1", by: Self.manager)
      }
      #expect(
        busy
          == .failure(
            .sessionHasOpenOrders([OpenOrder(id: unpaid.id, number: unpaid.number, paymentPending: false)])))
      _ = try await store.cancelOrder(id: unpaid.id, by: Self.cashier, approval: nil)

      let closing = try await store.closeSession(
        id: session.id, countedCash: Self.euros(111_50), idempotencyKey: "z1", by: Self.manager)
      let z = closing.report
      #expect(!closing.replayed && z.number == 1 && z.closedBy == StaffFixture.manager)
      #expect(z.variance == Self.euros(-50), "counted 111.50 against 112.00 expected")
      #expect(z.report.salesTotal == x.salesTotal && z.report.cancels.count == 2)
      #expect(z.report.session.status == .closed && z.report.session.zReportId == z.id)

      let replay = try await store.closeSession(
        id: session.id, countedCash: Self.euros(111_50), idempotencyKey: "z1", by: Self.manager)
      #expect(replay.replayed && replay.report == z)
      let otherCount = await outcome { () async throws(StoreError) in
        try await store.closeSession(
          id: session.id, countedCash: Self.euros(1), idempotencyKey: "z1", by: Self.manager)
      }
      #expect(otherCount == .failure(.idempotencyKeyReused))
      let otherKey = await outcome { () async throws(StoreError) in
        try await store.closeSession(
          id: session.id, countedCash: Self.euros(111_50), idempotencyKey: "z2", by: Self.manager)
      }
      #expect(otherKey == .failure(.sessionClosed))
      let lateMove = await outcome { () async throws(StoreError) in
        try await store.recordCashMove(
          Self.move(.payIn, 1_00, op: "m4"), sessionId: session.id, by: Self.cashier, approval: nil)
      }
      #expect(lateMove == .failure(.sessionClosed))
      #expect(try await store.currentSession(owner: Fixture.owner) == nil)

      // The stored Z reads back as written; the next session's Z is number 2.
      #expect(try await store.zReport(id: z.id) == z)
      let next = try await store.openSession(openingFloat: Self.euros(50_00), by: Self.cashier)
      let after = try await Self.order(store, [("BAK-001", 1)], key: "o5")
      #expect(after.sessionId == next.id)
      _ = try await store.payCash(
        orderId: after.id, owner: Fixture.owner, staff: StaffFixture.cashier, tendered: Self.euros(60))
      let z2 = try await store.closeSession(
        id: next.id, countedCash: Self.euros(50_60), idempotencyKey: "z3", by: Self.cashier
      ).report
      #expect(z2.number == 2 && z2.variance == Self.euros(0) && z2.report.salesCount == 1)
      let listed = try await store.zReports(terminal: Fixture.terminal, limit: 1, after: nil)
      #expect(listed.items.map(\.id) == [z2.id])
      let rest = try await store.zReports(terminal: Fixture.terminal, limit: 5, after: listed.next)
      #expect(rest.items.map(\.id) == [z.id] && rest.next == nil)
      #expect(try await store.zReports(terminal: "elsewhere", limit: 5, after: nil).items.isEmpty)

      let actions = try await StaffFixture.actions(store)
      for action in ["session-open", "session-close", "pay-in", "pay-out", "no-sale"] {
        #expect(actions.contains(action), "an audit row for \(action)")
      }
      #expect(actions.filter { $0 == "pay-in" }.count == 1, "a replayed move writes no second row")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func refusalsChangeNothing(engine: StoreEngine) async throws {
    try await Self.withRegister(engine) { store in
      let negative = await outcome { () async throws(StoreError) in
        try await store.openSession(openingFloat: Self.euros(-1), by: Self.cashier)
      }
      #expect(
        negative
          == .failure(
            .invalidField(field: "openingFloat", reason: "An amount of cash is from 0 to 100000000.00 EUR.")))
      let dollars = await outcome { () async throws(StoreError) in
        try await store.openSession(openingFloat: Money(amount: 1, currency: "USD"), by: Self.cashier)
      }
      #expect(
        dollars
          == .failure(.invalidField(field: "openingFloat.currency", reason: "The shop's currency is EUR.")))
      #expect(try await store.currentSession(owner: Fixture.owner) == nil)

      // Where the shop requires an open register, an order without one is refused and changes nothing.
      let cart = try await store.cart(with: [("BAK-002", 2)])
      let stock = try await store.stock(of: "BAK-002")
      let unopened = await outcome { () async throws(StoreError) in
        try await store.placeOrder(
          cartId: cart.id, owner: Fixture.owner, staff: StaffFixture.cashier, idempotencyKey: "r1",
          requireSession: true)
      }
      #expect(unopened == .failure(.noOpenSession))
      #expect(try await store.stock(of: "BAK-002") == stock)
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner).status == .open)
      #expect(try await store.allOrders(owner: Fixture.owner).isEmpty)

      let session = try await store.openSession(openingFloat: Self.euros(0), by: Self.cashier)
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: StaffFixture.cashier, idempotencyKey: "r1",
        requireSession: true)
      #expect(placed.order.sessionId == session.id)
      #expect(try await store.stock(of: "BAK-002") == stock - 2)
      _ = try await store.cancelOrder(id: placed.order.id, by: Self.cashier, approval: nil)
      for bad in [
        Self.move(.payIn, nil, op: "b1"), Self.move(.payIn, 0, op: "b2"), Self.move(.noSale, 5, op: "b3"),
        Self.move(.payIn, 1, op: "b4", reason: "  "),
        Self.move(.payIn, 1, op: "b5", reason: String(repeating: "x", count: 201)),
      ] {
        let refused = await outcome { () async throws(StoreError) in
          try await store.recordCashMove(bad, sessionId: session.id, by: Self.cashier, approval: nil)
        }
        guard case .failure(.invalidField) = refused else {
          Issue.record("\(bad) was \(refused)")
          continue
        }
      }
      let unknown = await outcome { () async throws(StoreError) in
        try await store.recordCashMove(
          Self.move(.payIn, 1, op: "b6"), sessionId: "nope", by: Self.cashier, approval: nil)
      }
      #expect(unknown == .failure(.notFound(what: "register session")))
      let otherTill = await outcome { () async throws(StoreError) in
        try await store.closeSession(
          id: session.id, countedCash: Self.euros(0), idempotencyKey: "k",
          by: Fixture.actor(owner: Fixture.otherOwner, staff: StaffFixture.manager, role: .manager))
      }
      #expect(
        otherTill == .failure(.notFound(what: "register session")), "another terminal's session is not found")
      let report = try await store.sessionReport(id: session.id, owner: Fixture.owner)
      #expect(report.payIns.count == 0 && report.noSales == 0 && report.cash?.expected == Self.euros(0))
    }
  }
}
