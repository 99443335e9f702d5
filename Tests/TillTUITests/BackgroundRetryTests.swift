import Testing
import TillCore

@testable import TillTUI

/// Calls the clock resends after a network failure hold no key, and what the pay dialog does with answers
/// that come back late or twice.
@Suite("update: background retries, late payment answers")
struct BackgroundRetryTests {
  @Test func anEditResentByTheClockHoldsNoKey() {
    var state = Fixtures.state(withCart: [])
    let first = increments(state.press(.character("+")))
    state.failIncrementOffline()
    #expect(
      state.update(.tick).contains(
        .increment(cartId: "cart-1", sku: "BAK-001", delta: 1, opId: first[0].opId)))
    #expect(!state.awaitingAnswer, "the resend is in the background")
    _ = state.press(.character("c"))
    #expect(
      state.heldKeys.isEmpty && state.mode == .checkout, "c applied at once; checkout waits for the edit")
    let order = state.answerIncrement([Fixtures.line(Fixtures.croissant, 1)])
    #expect(order == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-2")])
  }

  @Test func aProductListReloadedByTheClockHoldsNoKey() {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    state.signInAs(Fixtures.cashier)
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(Fixtures.categories)))
    _ = state.update(.productsLoaded(.list(generation: 1), .failure(.offline("refused"))))
    #expect(state.update(.tick).contains(.loadProducts(ProductQuery(limit: 200), .list(generation: 2))))
    _ = state.press(.tab)
    #expect(state.focus == .cart && state.heldKeys.isEmpty)
    _ = state.press(.character("/"))
    #expect(state.awaitingAnswer == false || state.searching, "a key's own reload is waited for again")
  }

  func placed() -> AppState {
    let lines = [Fixtures.line(Fixtures.croissant, 1)]
    var state = Fixtures.state(withCart: lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(lines))))
    state.answerList()
    return state
  }

  @Test func rInThePendingCardDialogOnlyReadsTheOrder() {
    var state = placed()
    _ = state.press(.character("2"), .enter)
    let pending = Payment(
      id: "p1", orderId: "order-1", method: .card, status: .pending, amount: euro(190), tendered: nil,
      change: nil,
      attempt: 1, idempotenceKey: "k", declineReason: nil)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: pending))))
    #expect(state.press(.character("r")) == [.loadOrders], "no payment request: Enter alone charges")
    _ = state.update(.ordersLoaded(.failure(.offline("refused"))))
    #expect(state.mode == .payment(.cardPending), "still pending: no cash offered")
  }

  @Test func aPaymentWhoseFirstAnswerWasLostIsThisTillsOwn() {
    var state = placed()
    _ = state.press(.character("1"))
    _ = state.type("5")
    _ = state.press(.enter)
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.offline("answer lost"))))
    #expect(state.mode == .payment(.choose))
    _ = state.press(.character("1"))
    _ = state.type("5")
    _ = state.press(.enter)
    let earlier = Payment(
      id: "p1", orderId: "order-1", method: .cash, status: .succeeded, amount: euro(190), tendered: euro(500),
      change: euro(310), attempt: 1, idempotenceKey: nil, declineReason: nil)
    _ = state.update(
      .paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: earlier, alreadyPaid: true))))
    guard case .receipt(let receipt) = state.mode else {
      Issue.record("expected the receipt, got \(state.mode)")
      return
    }
    #expect(
      !receipt.alreadyPaid, "the server's earlier payment is the one this till asked for: change is due")
    #expect(render(state, size: Size(columns: 80, rows: 24)).contains("Change"))
  }

  @Test func anAnswerForAnotherOrderStillReleasesTheKeys() {
    var state = placed()
    _ = state.press(.character("1"))
    _ = state.type("5")
    _ = state.press(.enter)
    #expect(state.paymentInFlight)
    state.order = nil
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.offline("late"))))
    #expect(!state.paymentInFlight && !state.awaitingAnswer)
  }
}
