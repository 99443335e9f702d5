import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Giving back the paid parts of an order not yet paid, on every engine, so that it can be canceled: a
/// refund with no lines gives back all the cash paid at once, or the latest card part when the provider
/// confirms it (holding payments and cancel back meanwhile); the order owes that amount again.
@Suite("Paid parts given back in the store")
struct PaidPartRefundStoreTests {
  typealias Refunding = RefundStoreTests.Refunding
  typealias S = StaffFixture
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
  static let owner = Fixture.owner

  /// A store of `engine` with the taxed catalogue and the fixture's people, and a placed order of two
  /// BAK-002 (3.80) with nothing paid yet.
  static func withPlacedOrder(_ engine: StoreEngine, _ body: (Refunding, Order) async throws -> Void)
    async throws
  {
    try await TaxFixture.withStore(engine) { staffed in
      let store = try #require(staffed as? Refunding, "\(engine) does not implement RefundStore")
      let cart = try await store.cart(with: [("BAK-002", 2)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: owner, staff: S.cashier, idempotencyKey: "checkout"
      ).order
      #expect(order.total == eur(380))
      try await body(store, order)
    }
  }

  static func cashPart(_ store: Refunding, _ order: Order, _ amount: Int, key: String) async throws {
    _ = try await store.payCash(
      orderId: order.id, owner: owner, staff: S.cashier, tendered: eur(amount),
      part: PaymentPart(amount: eur(amount), key: key))
  }

  static func giveBack(
    _ store: Refunding, _ order: Order, _ method: Payment.Method, key: String,
    actor: StaffActor = TaxFixture.manager, lines: [RefundRequest.Line] = []
  ) async -> Result<RefundRecord, StoreError> {
    await RefundStoreTests.refund(store, order, lines, method: method, key: key, actor: actor)
  }

  static func cancel(_ store: Refunding, _ order: Order) async -> Result<Order, StoreError> {
    await outcome { () async throws(StoreError) in
      try await store.cancelOrder(id: order.id, by: TaxFixture.manager, approval: nil)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func theCashPaidGoesBackAtOnceAndThenTheOrderCancels(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      let stockBefore = try await store.stock(of: "BAK-002")
      try await Self.cashPart(store, order, 100, key: "p1")
      try await Self.cashPart(store, order, 50, key: "p2")
      #expect(await Self.cancel(store, order) == .failure(.orderPartlyPaid(paid: Self.eur(150))))

      let withLines = await Self.giveBack(
        store, order, .cash, key: "lines", lines: [RefundStoreTests.line("BAK-002", 1)])
      guard case .failure(.invalidField(let field, _)) = withLines else {
        Issue.record("lines of an order not yet paid should be refused: \(withLines)")
        return
      }
      #expect(field == "lines")
      #expect(
        await Self.giveBack(store, order, .card, key: "card") == .failure(.nothingTendered(method: .card)))
      #expect(
        await Self.giveBack(store, order, .cash, key: "by-cashier", actor: TaxFixture.cashier)
          == .failure(.approvalRequired), "giving money back needs a manager")

      let back = try await Self.giveBack(store, order, .cash, key: "back").get()
      #expect(back.created && back.refund.status == .succeeded && back.refund.isPaidPart)
      #expect(back.refund.amount == Self.eur(150), "all the cash paid goes back")
      #expect(back.refund.receiptNumber == 1, "numbered in the terminal's receipt sequence")
      let again = await Self.giveBack(store, order, .cash, key: "back")
      #expect(again == .success(RefundRecord(refund: back.refund, created: false)), "one key, one refund")
      #expect(
        await Self.giveBack(store, order, .cash, key: "back-2")
          == .failure(.orderNotRefundable(status: .placed)),
        "nothing paid is left")

      let owing = try await store.order(id: order.id, owner: Self.owner)
      #expect(owing.status == .placed && owing.paid == Self.eur(0) && owing.due == Self.eur(380))
      #expect(try await store.stock(of: "BAK-002") == stockBefore, "no stock moves with a paid part")
      let canceled = try await Self.cancel(store, order).get()
      #expect(canceled.status == .canceled)
      #expect(try await store.stock(of: "BAK-002") == stockBefore + 2)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aCardPartGoesBackWhenTheProviderConfirmsAndHoldsPaymentsMeanwhile(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      let start = try await store.beginCardPayment(
        orderId: order.id, owner: Self.owner, staff: S.cashier,
        part: PaymentPart(amount: Self.eur(200), key: "c1"))
      let attempt = try #require(start.attempt)
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "prov-charge-1"))
      try await Self.cashPart(store, order, 100, key: "p1")

      let pending = try await Self.giveBack(store, order, .card, key: "cb").get()
      #expect(pending.refund.status == .pending && pending.refund.amount == Self.eur(200))
      #expect(pending.refund.paymentId == attempt.payment.id && pending.providerPaymentId == "prov-charge-1")
      #expect(try await store.order(id: order.id, owner: Self.owner).paid == Self.eur(300))
      #expect(await Self.cancel(store, order) == .failure(.refundPending), "no cancel while it is open")
      let payMeanwhile = await outcome { () async throws(StoreError) in
        try await store.payCash(
          orderId: order.id, owner: Self.owner, staff: S.cashier, tendered: Self.eur(10),
          part: PaymentPart(amount: Self.eur(10), key: "meanwhile"))
      }
      #expect(payMeanwhile == .failure(.refundPending), "no payment while it is open")

      let failed = try await store.settleCardRefund(id: pending.refund.id, outcome: .failed(reason: "x"))
      #expect(failed.status == .failed)
      #expect(
        try await store.order(id: order.id, owner: Self.owner).paid == Self.eur(300), "nothing went back")

      let retry = try await Self.giveBack(store, order, .card, key: "cb-2").get()
      #expect(retry.refund.amount == Self.eur(200), "a failed refund leaves the part to give back")
      let settled = try await store.settleCardRefund(
        id: retry.refund.id, outcome: .succeeded(providerRefundId: "prov-refund-1"))
      #expect(settled.status == .succeeded && settled.receiptNumber != nil)
      let settledAgain = try await store.settleCardRefund(
        id: retry.refund.id, outcome: .succeeded(providerRefundId: "prov-refund-1"))
      #expect(settledAgain == settled, "a second answer changes nothing")
      #expect(try await store.order(id: order.id, owner: Self.owner).paid == Self.eur(100))
      #expect(
        await Self.giveBack(store, order, .card, key: "cb-3") == .failure(.nothingTendered(method: .card)))

      #expect(try await Self.giveBack(store, order, .cash, key: "cash").get().refund.amount == Self.eur(100))
      #expect(try await Self.cancel(store, order).get().status == .canceled)
    }
  }

  /// 20 requests at once, each with its own key, to give back the cash paid of one order: one gives
  /// it all back, every other finds nothing paid left, and the order has paid nothing afterwards.
  @Test(arguments: StoreEngine.allCases)
  func concurrentRequestsGiveThePaidCashBackOnce(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      try await Self.cashPart(store, order, 300, key: "p1")
      let results = await withTaskGroup(of: Result<RefundRecord, StoreError>.self) { group in
        for index in 0..<20 {
          group.addTask { await Self.giveBack(store, order, .cash, key: "back-\(index)") }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let made = results.compactMap { try? $0.get() }
      #expect(made.count == 1 && made.first?.refund.amount == Self.eur(300))
      #expect(results.filter { $0 == .failure(.orderNotRefundable(status: .placed)) }.count == 19)
      let after = try await store.order(id: order.id, owner: Self.owner)
      #expect(after.paid == Self.eur(0) && after.due == Self.eur(380))
      #expect(try await store.refunds(orderId: order.id, owner: Self.owner).count == 1)
    }
  }
}
