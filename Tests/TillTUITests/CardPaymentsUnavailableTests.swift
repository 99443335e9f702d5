import Testing
import TillClient
import TillCore

@testable import TillTUI

/// A card provider refusing the shop's settings reads as what it is, not as a declined card, and the
/// cashier can still take cash.
@Suite("update: card payments unavailable")
struct CardPaymentsUnavailableTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.broetchen, 5)]
  static let problem = Problem(
    .cardPaymentsUnavailable, status: 503,
    detail: "Card payments are unavailable — check the provider settings.")

  @Test func theStatusLineNamesTheSettingsAndCashPaysTheSameOrder() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(Self.lines))))
    _ = state.answerList()
    _ = state.press(.character("2"))
    #expect(state.press(.enter) == [.pay(orderId: "order-1", request: .card, key: "S-pay-2")])

    let failure = TillClientBackend.failure(for: .cardPaymentsUnavailable(Self.problem))
    #expect(
      failure
        == .rejected(
          kind: .cardPaymentsUnavailable,
          message: TillClientError.cardPaymentsUnavailable(Self.problem).message))
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(failure)))
    #expect(state.status?.text == "card payments unavailable — check the provider settings")
    #expect(state.status?.text.contains("declined") == false)
    #expect(state.mode == .payment(.choose))

    _ = state.press(.character("1"))
    _ = state.type("10")
    let effects = state.press(.enter)
    #expect(
      effects == [.pay(orderId: "order-1", request: .cash(tendered: euro(1000)), key: "S-pay-3")])

    // The back end withdrew the refused card attempt, so the same order is paid in cash, with change.
    let total = Fixtures.order(Self.lines).total
    let cash = Payment(
      id: "pay-1", orderId: "order-1", method: .cash, status: .succeeded, amount: total,
      tendered: euro(1000), change: euro(1000 - total.amount), attempt: 1, idempotenceKey: nil,
      declineReason: nil)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: cash))))
    guard case .receipt(let receipt) = state.mode else {
      Issue.record("a cash payment after the refusal shows the receipt, not \(state.mode)")
      return
    }
    #expect(receipt.order.id == "order-1" && receipt.order.status == .paid)
    #expect(receipt.payment == cash && !receipt.alreadyPaid)
    #expect(state.status?.text == "Paid — Enter for the next customer")
  }
}
