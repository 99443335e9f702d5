import Testing
import TillCore

@testable import TillTUI

@Suite("update: checkout, shortage, payment, orders, quit")
struct CheckoutUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.broetchen, 5)]

  @Test func checkoutOfAnEmptyCartWarns() {
    var state = Fixtures.state(withCart: [])
    #expect(state.press(.character("c")).isEmpty)
    #expect(state.mode == .browse)
    #expect(state.status?.text == "The cart is empty — add something first")
  }

  @Test func checkoutPlacesTheOrderWithAnIdempotencyKey() {
    var state = Fixtures.state(withCart: Self.lines)
    let effects = state.press(.character("c"))
    #expect(effects == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-1")])
    #expect(Identifiers.isValidIdempotencyKey("S-order-1"))
    #expect(state.mode == .checkout)
  }

  @Test func checkoutWaitsForPendingEdits() {
    var state = Fixtures.state(withCart: Self.lines)
    let sent = increments(state.press(.character("+")))
    state.failIncrementOffline()
    #expect(state.press(.character("c")).isEmpty)
    #expect(state.mode == .checkout)
    #expect(
      state.update(.tick).contains(.increment(cartId: "cart-1", sku: "BAK-001", delta: 1, opId: sent[0].opId))
    )
    let cart = Fixtures.cart([Fixtures.line(Fixtures.croissant, 4), Fixtures.line(Fixtures.broetchen, 5)])
    let effects = state.update(.incrementFinished(opId: sent[0].opId, .success(cart)))
    #expect(effects == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-2")])
  }

  @Test func checkoutTypedBehindAnEditActsOnItsAnswer() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("+"))
    #expect(state.press(.character("c")) == [.noticeKeysWaiting(hold: 1)])
    #expect(state.mode == .browse)
    let effects = state.answerIncrement([
      Fixtures.line(Fixtures.croissant, 4), Fixtures.line(Fixtures.broetchen, 5),
    ])
    #expect(effects == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-2")])
    #expect(state.mode == .checkout)
  }

  @Test func offlineCheckoutIsRetriedWithTheSameKey() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    #expect(state.update(.orderPlaced(key: "S-order-1", .failure(.offline("lost")))).isEmpty)
    #expect(state.update(.tick).contains(.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-1")))
  }

  @Test func shortageShowsEachLineAndOneKeyReducesToAvailableAndRetries() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    let shortages = [
      Shortage(sku: "BAK-001", requested: 3, available: 0),
      Shortage(sku: "BAK-003", requested: 5, available: 2),
    ]
    _ = state.update(.orderPlaced(key: "S-order-1", .failure(.insufficientStock(shortages))))
    #expect(state.mode == .shortage(shortages))
    state.answerList()
    let fix = state.press(.character("f"))
    #expect(increments(fix).map { "\($0.sku) \($0.delta)" } == ["BAK-001 -3"])
    #expect(state.queue == [PendingOperation(sku: "BAK-003", delta: -3)])
    #expect(state.mode == .checkout)
    let afterFirst = state.update(
      .incrementFinished(
        opId: increments(fix)[0].opId, .success(Fixtures.cart([Fixtures.line(Fixtures.broetchen, 5)]))))
    let second = increments(afterFirst)
    #expect(second.map { "\($0.sku) \($0.delta)" } == ["BAK-003 -3"])
    let retry = state.update(
      .incrementFinished(
        opId: second[0].opId, .success(Fixtures.cart([Fixtures.line(Fixtures.broetchen, 2)]))))
    #expect(
      retry == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-3")], "a new key: the cart changed")
  }

  @Test func escapeFromShortageLeavesTheCartToEdit() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(
      .orderPlaced(
        key: "S-order-1", .failure(.insufficientStock([Shortage(sku: "BAK-003", requested: 5, available: 2)]))
      ))
    state.answerList()
    #expect(state.press(.escape).isEmpty)
    #expect(state.mode == .browse && state.focus == .cart)
  }

  /// Places an order for `lines` and answers the payment stage.
  func placed() -> AppState {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(Self.lines))))
    state.answerList()
    return state
  }

  func payment(
    _ status: Payment.Status, _ method: Payment.Method, tendered: Int? = nil, reason: String? = nil
  ) -> Payment {
    Payment(
      id: "pay-1", orderId: "order-1", method: method, status: status, amount: euro(870),
      tendered: tendered.map(euro), change: tendered.map { euro($0 - 870) }, attempt: 1, idempotenceKey: nil,
      declineReason: reason)
  }

  @Test func placedOrderOpensPaymentAndEmptiesTheCart() {
    let state = placed()
    #expect(state.mode == .payment(.choose))
    #expect(state.cart == nil)
    #expect(state.order?.number == 7)
  }

  @Test func cashWithChange() {
    var state = placed()
    _ = state.press(.character("1"))
    #expect(state.mode == .payment(.cash("")))
    _ = state.type("20")
    let effects = state.press(.enter)
    #expect(
      effects == [.pay(orderId: "order-1", request: .cash(tendered: euro(2000)), key: "S-pay-2")])
    let paid = payment(.succeeded, .cash, tendered: 2000)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: paid))))
    guard case .receipt(let receipt) = state.mode else {
      Issue.record("expected the receipt, got \(state.mode)")
      return
    }
    #expect(receipt.order.status == .paid)
    #expect(receipt.payment.change == euro(1130))
    #expect(!receipt.alreadyPaid)
    // Enter waits for the server's receipt the screen shows.
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .success("receipt")))
    _ = state.press(.enter)
    #expect(state.mode == .browse)
    #expect(state.order == nil)
  }

  @Test func cashBelowTheTotalIsRefusedLocally() {
    var state = placed()
    _ = state.press(.character("1"))
    _ = state.type("5,5")
    #expect(state.press(.enter).isEmpty)
    #expect(state.status?.text == "That is less than the 8.70 to pay")
  }

  @Test func cardDeclinedThenCash() {
    var state = placed()
    #expect(state.press(.character("2")).isEmpty, "2 alone charges nothing")
    #expect(state.mode == .payment(.confirmCard))
    #expect(state.press(.enter) == [.pay(orderId: "order-1", request: .card, key: "S-pay-2")])
    #expect(state.mode == .payment(.sending(.card)))
    #expect(
      state.press(.character("2")) == [.noticeKeysWaiting(hold: 1)],
      "no second charge while one is on its way")
    _ = state.update(
      .paymentFinished(
        orderId: "order-1",
        .success(PaymentAnswer(payment: payment(.declined, .card, reason: "insufficient funds")))))
    #expect(
      state.mode == .payment(.confirmCard), "the held 2 acts on the decline: the card again, once confirmed")
    _ = state.press(.escape)
    _ = state.press(.character("1"))
    _ = state.type("10")
    #expect(
      state.press(.enter) == [
        .pay(orderId: "order-1", request: .cash(tendered: euro(1000)), key: "S-pay-3")
      ],
      "a new key after the decline")
  }

  @Test func declineAsAFailureShowsTheReason() {
    var state = placed()
    _ = state.press(.character("2"))
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.declined(reason: "card expired"))))
    #expect(state.mode == .payment(.declined("card expired")))
  }

  @Test func anOrderThatCannotBePaidShowsTheOrdersList() {
    var state = placed()
    _ = state.press(.character("2"))
    let effects = state.update(
      .paymentFinished(orderId: "order-1", .failure(.rejected(kind: .orderNotPayable, message: "paid"))))
    #expect(effects == [.loadOrders])
    #expect(state.mode == .orders)
    #expect(state.order == nil)
  }

  @Test func offlinePaymentCanBeTriedAgain() {
    var state = placed()
    _ = state.press(.character("1"))
    _ = state.type("10")
    _ = state.press(.enter)
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.offline("lost"))))
    #expect(state.mode == .payment(.choose))
    #expect(state.status?.text == "Offline — payment not confirmed; press 1 or 2 to try again")
  }

  @Test func pendingCardIsWatchedUntilTheServerSettlesIt() {
    var state = placed()
    _ = state.press(.character("2"), .enter)
    _ = state.update(
      .paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: payment(.pending, .card)))))
    #expect(state.mode == .payment(.cardPending))
    #expect(state.update(.tick).contains(.loadOrders))
    var settled = Fixtures.order(Self.lines, status: .paid)
    settled.payment = payment(.succeeded, .card)
    _ = state.update(.ordersLoaded(.success([settled])))
    #expect(state.mode == .receipt(Receipt(order: settled, payment: payment(.succeeded, .card))))
  }

  @Test func escapeLeavesTheOrderUnpaidAndPReopensIt() {
    var state = placed()
    _ = state.press(.escape)
    #expect(state.mode == .browse)
    #expect(state.status?.text == "Order #7 waits for payment — p to pay, o for orders")
    _ = state.press(.character("p"))
    #expect(state.mode == .payment(.choose))
  }

  @Test func ordersListPaysAndCancelsUnpaidOrders() {
    var state = Fixtures.state(withCart: [])
    #expect(state.press(.character("o")) == [.loadOrders])
    let unpaid = Fixtures.order(Self.lines, number: 8, id: "order-8")
    let paid = Fixtures.order(Self.lines, number: 7, status: .paid, id: "order-7")
    _ = state.update(.ordersLoaded(.success([unpaid, paid])))
    #expect(state.press(.character("x")).isEmpty, "x alone cancels nothing")
    #expect(state.press(.character("y")) == [.cancelOrder(id: "order-8", approval: nil)])
    _ = state.update(
      .orderCanceled(.success(Fixtures.order(Self.lines, number: 8, status: .canceled, id: "order-8"))))
    _ = state.update(
      .productsLoaded(
        .list(generation: state.productGeneration), .success(Page(items: Fixtures.products, next: nil))))
    #expect(state.orders.first?.status == .canceled)
    _ = state.press(.down)
    #expect(state.press(.character("x")).isEmpty)
    #expect(state.status?.text == "Only unpaid orders can be canceled")
    _ = state.press(.up, .character("p"))
    #expect(state.mode == .orders, "a canceled order cannot be paid")
    #expect(state.order == nil)
  }

  @Test func payingAnOlderOrderKeepsTheOpenCart() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([Fixtures.order(Self.lines, number: 8, id: "order-1")])))
    _ = state.press(.character("p"), .character("2"), .enter)
    _ = state.update(
      .paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: payment(.succeeded, .card)))))
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .success("receipt")))
    _ = state.press(.enter)
    #expect(state.mode == .browse)
    #expect(state.cart?.lines.count == 2)
  }

  @Test func cancelAnswerUpdatesTheList() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("o"))
    var order = Fixtures.order(Self.lines, number: 8, id: "order-8")
    _ = state.update(.ordersLoaded(.success([order])))
    order.status = .canceled
    _ = state.update(.orderCanceled(.success(order)))
    #expect(state.orders.first?.status == .canceled)
    #expect(state.status?.text == "Order #8 canceled — stock returned")
  }

  @Test func quitWithoutACartQuitsAtOnce() {
    var state = Fixtures.state(withCart: [])
    #expect(state.press(.character("q")) == [.quit])
    #expect(state.quitting)
  }

  @Test func quitWithAnOpenCartAsksFirst() {
    var state = Fixtures.state(withCart: Self.lines)
    #expect(state.press(.character("q")).isEmpty)
    #expect(state.mode == .confirmQuit)
    _ = state.press(.character("n"))
    #expect(state.mode == .browse && !state.quitting)
    _ = state.press(.character("q"))
    #expect(state.press(.character("y")) == [.quit])
  }

  @Test func pendingEditsCountAsAnOpenCart() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.enter)
    state.failIncrementOffline()
    _ = state.press(.character("q"))
    #expect(state.mode == .confirmQuit)
  }
}
