import Testing
import TillCore

@testable import TillTUI

/// The pay dialog's split tender: `a` and a part, then the method; the dialog stays for what is still
/// due, each payment under a key that survives a lost answer and changes after a definite one.
@Suite("update: split tender")
struct SplitTenderUpdateTests {
  /// An order of 8.70 placed and waiting for payment.
  func placed() -> AppState { CheckoutUpdateTests().placed() }

  func cashPart(_ amount: Int, tendered: Int, attempt: Int) -> Payment {
    Payment(
      id: "pay-\(attempt)", orderId: "order-1", method: .cash, status: .succeeded, amount: euro(amount),
      tendered: euro(tendered), change: euro(tendered - amount), attempt: attempt, idempotenceKey: nil,
      declineReason: nil)
  }

  @Test func aPartThenTheRestKeepsTheDialogForWhatIsDue() {
    var state = placed()
    _ = state.press(.character("a"))
    #expect(state.mode == .payment(.partAmount("")))
    _ = state.type("9")
    #expect(state.press(.enter).isEmpty)
    #expect(state.status?.text == "At most 8.70 is due", "a part above the due is refused before the server")
    _ = state.press(.backspace)
    _ = state.type("5")
    _ = state.press(.enter)
    #expect(state.paymentPart == euro(500) && state.mode == .payment(.choose))
    _ = state.press(.character("1"))
    _ = state.type("4")
    #expect(state.press(.enter).isEmpty, "4.00 does not cover the 5.00 part")
    _ = state.press(.backspace)
    _ = state.type("10")
    let sent = state.press(.enter)
    #expect(
      sent == [
        .pay(
          orderId: "order-1", request: .cash(tendered: euro(1000), amount: euro(500)), key: "S-pay-2")
      ])
    _ = state.update(
      .paymentFinished(
        orderId: "order-1", .success(PaymentAnswer(payment: cashPart(500, tendered: 1000, attempt: 1)))))
    #expect(state.mode == .payment(.choose), "the order still owes 3.70")
    #expect(state.order?.paid == euro(500) && state.order?.due == euro(370))
    #expect(state.paymentPart == nil)
    #expect(state.status?.text == "Cash 5.00 taken, change 5.00 — 3.70 still due")
    _ = state.press(.character("2"))
    #expect(state.press(.enter) == [.pay(orderId: "order-1", request: .card, key: "S-pay-3")])
    let card = Payment(
      id: "pay-2", orderId: "order-1", method: .card, status: .succeeded, amount: euro(370), tendered: nil,
      change: nil, attempt: 2, idempotenceKey: "order-order-1-payment-2", declineReason: nil)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: card))))
    guard case .receipt(let receipt) = state.mode else {
      Issue.record("expected the receipt, got \(state.mode)")
      return
    }
    #expect(receipt.order.status == .paid && receipt.order.payments.count == 2)
  }

  @Test func aPartSentAgainAfterALostAnswerKeepsItsKey() {
    var state = placed()
    _ = state.press(.character("a"))
    _ = state.type("2")
    _ = state.press(.enter)
    _ = state.press(.character("1"))
    _ = state.type("2")
    let first = state.press(.enter)
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.offline("lost"))))
    #expect(state.mode == .payment(.choose) && state.paymentPart == euro(200), "the part is still chosen")
    _ = state.press(.character("1"))
    _ = state.type("2")
    #expect(state.press(.enter) == first, "the same part under the same key: the server answers it once")
  }

  @Test func escapeFromThePartAmountPaysAllThatIsDue() {
    var state = placed()
    _ = state.press(.character("a"))
    _ = state.type("3")
    _ = state.press(.escape)
    #expect(state.paymentPart == nil && state.mode == .payment(.choose))
    _ = state.press(.character("2"))
    #expect(state.press(.enter) == [.pay(orderId: "order-1", request: .card, key: "S-pay-2")])
  }
}
