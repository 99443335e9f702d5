import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// `RefundStore` conformance, on every engine: a manager (or a manager's approval) refunds lines of a
/// paid order once per key, never more than was sold, the amounts from the stored figures, restocked
/// units back in stock, cash at once with the next receipt number, card pending until the provider
/// answers.
@Suite("Refunds in the store")
struct RefundStoreTests {
  typealias Refunding = any Store & PaymentStore & StaffStore & RefundStore
  typealias S = StaffFixture
  static let manager = TaxFixture.manager
  static let cashier = TaxFixture.cashier
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
  static func line(_ sku: String, _ quantity: Int, restock: Bool = true) -> RefundRequest.Line {
    RefundRequest.Line(sku: sku, quantity: quantity, restock: restock)
  }

  /// A store of `engine` with the taxed catalogue and the fixture's people, and an order of
  /// `lines` placed by the cashier and paid as `pay` says.
  static func withPaidOrder(
    _ engine: StoreEngine, _ lines: [(String, Int)], card: Bool = false,
    _ body: (Refunding, Order) async throws -> Void
  ) async throws {
    try await TaxFixture.withStore(engine) { staffed in
      let store = try #require(staffed as? Refunding, "\(engine) does not implement RefundStore")
      let cart = try await store.cart(with: lines)
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "checkout"
      ).order
      if card {
        let start = try await store.beginCardPayment(
          orderId: order.id, owner: Fixture.owner, staff: S.cashier)
        let attempt = try #require(start.attempt)
        _ = try await store.settleCardPayment(
          id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "prov-charge-1"))
      } else {
        _ = try await store.payCash(
          orderId: order.id, owner: Fixture.owner, staff: S.cashier, tendered: Self.eur(100_000))
      }
      try await body(store, try await store.order(id: order.id, owner: Fixture.owner))
    }
  }

  static func refund(
    _ store: Refunding, _ order: Order, _ lines: [RefundRequest.Line], method: Payment.Method = .cash,
    key: String, actor: StaffActor = manager, approval: VerifiedApproval? = nil, requireSession: Bool = false
  ) async -> Result<RefundRecord, StoreError> {
    await outcome { () async throws(StoreError) in
      try await store.refund(
        orderId: order.id, request: RefundRequest(lines: lines, method: method), idempotencyKey: key,
        by: actor, approval: approval, requireSession: requireSession)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func partialCashRefundsAddUpToTheOrderAndEachKeyRefundsOnce(engine: StoreEngine) async throws {
    try await Self.withPaidOrder(engine, [("BAK-002", 3), ("COF-001", 1)]) { store, order in
      #expect(order.receiptNumber == 1)
      let stockBefore = try await store.stock(of: "BAK-002")
      let byCashier = await Self.refund(
        store, order, [Self.line("BAK-002", 1)], key: "r1", actor: Self.cashier)
      #expect(byCashier == .failure(.approvalRequired), "a cashier needs a manager")

      let first = try await Self.refund(
        store, order, [Self.line("BAK-002", 1)], key: "r1", actor: Self.cashier, approval: TaxFixture.approval
      ).get()
      #expect(first.created && first.refund.status == .succeeded && first.refund.approvedBy == S.manager)
      #expect(first.refund.receiptNumber == 2, "the refund takes the terminal's next receipt number")
      #expect(first.refund.amount == Self.eur(190) && first.refund.lines.first?.tax == Self.eur(12))
      #expect(try await store.stock(of: "BAK-002") == stockBefore + 1, "restocked in the same transaction")

      let again = await Self.refund(store, order, [Self.line("BAK-002", 1)], key: "r1")
      #expect(
        again == .success(RefundRecord(refund: first.refund, created: false)), "the same key refunds once")
      let otherBody = await Self.refund(store, order, [Self.line("BAK-002", 2)], key: "r1")
      #expect(otherBody == .failure(.idempotencyKeyReused))

      let tooMany = await Self.refund(
        store, order, [Self.line("BAK-002", 3), Self.line("COF-001", 2)], key: "r2")
      #expect(
        tooMany
          == .failure(
            .refundExceedsSold([
              RefundShortfall(sku: "BAK-002", requested: 3, refundable: 2),
              RefundShortfall(sku: "COF-001", requested: 2, refundable: 1),
            ])), "every line over what is left, in one refusal")

      let rest = try await Self.refund(
        store, order, [Self.line("BAK-002", 2, restock: false), Self.line("COF-001", 1)], key: "r3"
      ).get().refund
      #expect(rest.receiptNumber == 3)
      #expect(try await store.stock(of: "BAK-002") == stockBefore + 1, "written-off units stay off the shelf")
      #expect(first.refund.amount.amount + rest.amount.amount == order.total.amount, "to the cent")
      let taxBack = (first.refund.lines + rest.lines).map(\.tax.amount).reduce(0, +)
      #expect(taxBack == order.lines.map(\.tax.amount).reduce(0, +))
      let nothingLeft = await Self.refund(store, order, [Self.line("COF-001", 1)], key: "r4")
      #expect(
        nothingLeft
          == .failure(.refundExceedsSold([RefundShortfall(sku: "COF-001", requested: 1, refundable: 0)])))

      let listed = try await store.refunds(orderId: order.id, owner: Fixture.owner)
      #expect(listed.map(\.sequence) == [1, 2] && listed.map(\.id) == [first.refund.id, rest.id])
      #expect(try await S.trail(store).filter { $0.action == "refund" }.count == 2, "one audit row each")
      #expect(
        await Self.refund(store, order, [Self.line("BAK-002", 1)], key: "r5", requireSession: true)
          == .failure(.refundExceedsSold([RefundShortfall(sku: "BAK-002", requested: 1, refundable: 0)])))
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func refusalsChangeNothing(engine: StoreEngine) async throws {
    try await TaxFixture.withStore(engine) { staffed in
      let store = try #require(staffed as? Refunding)
      let cart = try await store.cart(with: [("BAK-001", 2)])
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k"
      ).order
      let unpaid = await Self.refund(store, placed, [Self.line("BAK-001", 1)], key: "u")
      #expect(unpaid == .failure(.orderNotRefundable(status: .placed)))
      _ = try await store.payCash(
        orderId: placed.id, owner: Fixture.owner, staff: S.cashier, tendered: Self.eur(500))
      let noDrawer = await Self.refund(
        store, placed, [Self.line("BAK-001", 1)], key: "d", requireSession: true)
      #expect(noDrawer == .failure(.noOpenSession), "cash leaves an open drawer")
      let noCard = await Self.refund(store, placed, [Self.line("BAK-001", 1)], method: .card, key: "c")
      #expect(noCard == .failure(.cardRefundUnavailable(refundable: Self.eur(0))), "paid in cash")
      let unknown = await Self.refund(store, placed, [Self.line("BAK-009", 1)], key: "x")
      #expect(
        unknown == .failure(.invalidField(field: "lines.sku", reason: "BAK-009 is not a line of the order.")))
      #expect(try await store.refunds(orderId: placed.id, owner: Fixture.owner).isEmpty)
      #expect(try await store.stock(of: "BAK-001") == 98)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func cardRefundIsPendingUntilTheProviderAnswers(engine: StoreEngine) async throws {
    try await Self.withPaidOrder(engine, [("COF-001", 2)], card: true) { store, order in
      let stockBefore = try await store.stock(of: "COF-001")
      let pending = try await Self.refund(store, order, [Self.line("COF-001", 1)], method: .card, key: "c1")
        .get().refund
      #expect(pending.status == .pending && pending.receiptNumber == nil)
      #expect(pending.idempotenceKey == "order-\(order.id)-refund-1")
      #expect(pending.paymentId == order.payments.first?.id)
      let listed = try await store.pendingCardRefunds()
      #expect(listed.map(\.refund.id) == [pending.id] && listed.first?.providerPaymentId == "prov-charge-1")

      let over = await Self.refund(store, order, [Self.line("COF-001", 2)], method: .card, key: "c2")
      #expect(
        over == .failure(.refundExceedsSold([RefundShortfall(sku: "COF-001", requested: 2, refundable: 1)])))

      let settled = try await store.settleCardRefund(
        id: pending.id, outcome: .succeeded(providerRefundId: "re-1"))
      #expect(settled.status == .succeeded && settled.receiptNumber == 2)
      let late = try await store.settleCardRefund(id: pending.id, outcome: .failed(reason: "late"))
      #expect(late == settled, "the first answer wins")
      #expect(try await store.pendingCardRefunds().isEmpty)

      let second = try await Self.refund(store, order, [Self.line("COF-001", 1)], method: .card, key: "c3")
        .get().refund
      #expect(try await store.stock(of: "COF-001") == stockBefore + 2)
      let failed = try await store.settleCardRefund(id: second.id, outcome: .failed(reason: "expired"))
      #expect(failed.status == .failed && failed.failureReason == "expired" && failed.receiptNumber == nil)
      #expect(
        try await store.stock(of: "COF-001") == stockBefore + 1, "a failed refund takes its restock back")
      let retried = await Self.refund(store, order, [Self.line("COF-001", 1)], key: "c4")
      #expect((try? retried.get().created) == true, "a failed refund's units can go back again")
    }
  }

  /// 20 refunds of one unit of a line of 5, each under its own key, and one key sent 20 times, all at
  /// once: exactly 5 units go back, once each, and the key refunds once.
  @Test(arguments: StoreEngine.allCases)
  func concurrentRefundsNeverExceedWhatWasSold(engine: StoreEngine) async throws {
    try await Self.withPaidOrder(engine, [("BAK-002", 5), ("COF-002", 1)]) { store, order in
      let stockBefore = try await store.stock(of: "BAK-002")
      let results = await withTaskGroup(of: Result<RefundRecord, StoreError>.self) { group in
        for index in 0..<20 {
          group.addTask { await Self.refund(store, order, [Self.line("BAK-002", 1)], key: "one-\(index)") }
          group.addTask { await Self.refund(store, order, [Self.line("COF-002", 1)], key: "same") }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let created = results.compactMap { try? $0.get() }.filter(\.created).map(\.refund)
      let units = created.filter { $0.lines.first?.sku == "BAK-002" }
      #expect(units.count == 5, "exactly the 5 sold")
      #expect(created.filter { $0.lines.first?.sku == "COF-002" }.count == 1, "one key, one refund")
      let refusals = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
      #expect(refusals.count == 15)
      #expect(refusals.allSatisfy { if case .refundExceedsSold = $0 { true } else { false } })
      let line = try #require(order.lines.first { $0.sku == "BAK-002" })
      #expect(units.map(\.amount.amount).reduce(0, +) == line.lineTotal.amount)
      #expect(try await store.stock(of: "BAK-002") == stockBefore + 5)
      let numbers = created.compactMap(\.receiptNumber).sorted()
      #expect(numbers == Array(2...(1 + created.count)), "receipt numbers without gap or duplicate")
    }
  }

  /// Refunds in the trading day: a cash refund leaves the open drawer (the X report's expected cash
  /// falls by it), a pending card refund keeps the session from closing, and the Z counts both.
  @Test(arguments: StoreEngine.allCases)
  func refundsBelongToTheDayAndItsZ(engine: StoreEngine) async throws {
    try await TaxFixture.withStore(engine) { staffed in
      let store = try #require(
        staffed as? any Store & PaymentStore & StaffStore & RefundStore & RegisterStore)
      let session = try await store.openSession(openingFloat: Self.eur(10_000), by: Self.manager)
      let cart = try await store.cart(with: [("BAK-002", 2), ("COF-001", 1)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "day", requireSession: true
      ).order
      _ = try await store.payCash(
        orderId: order.id, owner: Fixture.owner, staff: S.cashier, tendered: Self.eur(700))
      let card = try await store.cart(with: [("COF-002", 1)])
      let paidByCard = try await store.placeOrder(
        cartId: card.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "day-card",
        requireSession: true
      ).order
      let attempt = try #require(
        try await store.beginCardPayment(orderId: paidByCard.id, owner: Fixture.owner, staff: S.cashier)
          .attempt)
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "p"))

      let cash = try await Self.refund(
        store, order, [Self.line("BAK-002", 1)], key: "d1", requireSession: true
      )
      .get().refund
      #expect(cash.sessionId == session.id)
      let report = try await store.sessionReport(id: session.id, owner: Fixture.owner)
      #expect(report.refunds == [MethodTotal(method: .cash, count: 1, amount: cash.amount)])
      #expect(report.cash?.expected == Self.eur(10_000 + order.total.amount - cash.amount.amount))

      let pending = try await Self.refund(
        store, paidByCard, [Self.line("COF-002", 1)], method: .card, key: "d2"
      )
      .get().refund
      let blocked = await outcome { () async throws(StoreError) in
        try await store.closeSession(
          id: session.id, countedCash: Self.eur(0), idempotencyKey: "z", by: Self.manager)
      }
      #expect(
        blocked
          == .failure(
            .sessionHasOpenOrders([
              OpenOrder(id: paidByCard.id, number: paidByCard.number, paymentPending: true)
            ])),
        "a card refund of the session still pending keeps it open")
      _ = try await store.settleCardRefund(id: pending.id, outcome: .succeeded(providerRefundId: "r"))
      let expected = 10_000 + order.total.amount - cash.amount.amount
      let z = try await store.closeSession(
        id: session.id, countedCash: Self.eur(expected), idempotencyKey: "z", by: Self.manager
      ).report
      #expect(z.variance == Self.eur(0))
      #expect(z.report.refunds?.map(\.method) == [.cash, .card])
      #expect(
        z.report.refunds?.map(\.amount.amount).reduce(0, +) == cash.amount.amount + pending.amount.amount)
    }
  }
}
