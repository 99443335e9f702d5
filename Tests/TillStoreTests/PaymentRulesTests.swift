import Testing
import TillCore

@testable import TillStore

/// Facts for the payment rule tables: order 7 of 6.40 EUR, its payments as a row names them.
enum PaymentFactsFixture {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  static let pending = Payment(
    id: "pay-2", orderId: "order-1", method: .card, status: .pending, amount: eur(640), tendered: nil,
    change: nil, attempt: 2, idempotenceKey: "order-order-1-payment-2", declineReason: nil)
  static let succeeded = Payment(
    id: "pay-1", orderId: "order-1", method: .cash, status: .succeeded, amount: eur(640), tendered: eur(700),
    change: eur(60), attempt: 1, idempotenceKey: nil, declineReason: nil)

  static func facts(
    _ status: Order.Status = .placed, pending: Payment? = nil, succeeded: Payment? = nil, next: Int = 1
  ) -> PaymentFacts {
    PaymentFacts(
      order: PaymentOrder(id: "order-1", number: 7, status: status, total: eur(640)), pending: pending,
      succeeded: succeeded, nextAttempt: next, keyed: nil, refundPending: false)
  }

  static func cash(tendered: Int, change: Int, attempt: Int = 1) -> Payment {
    Payment(
      id: "new", orderId: "order-1", method: .cash, status: .succeeded, amount: eur(640),
      tendered: eur(tendered),
      change: eur(change), attempt: attempt, idempotenceKey: nil, declineReason: nil)
  }

  static func card(attempt: Int) -> Payment {
    Payment(
      id: "new", orderId: "order-1", method: .card, status: .pending, amount: eur(640), tendered: nil,
      change: nil, attempt: attempt, idempotenceKey: "order-order-1-payment-\(attempt)", declineReason: nil)
  }
}

/// One row of a payment rule table: a name, the facts, and what the rule must answer.
struct RuleCase<Input: Sendable, Output: Sendable & Equatable>: Sendable, CustomTestStringConvertible {
  var name: String
  var input: Input
  var expected: Result<Output, StoreError>
  var testDescription: String { name }
}

@Suite("Payment rules: pay, card, cancel and settle, facts in, decision or refusal out")
struct PaymentRulesTests {
  typealias F = PaymentFactsFixture

  static let cashCases: [RuleCase<(PaymentFacts, Money), PaymentRecord>] = [
    .init(
      name: "pays with change", input: (F.facts(), F.eur(1_000)),
      expected: .success(PaymentRecord(payment: F.cash(tendered: 1_000, change: 360), created: true))),
    .init(
      name: "exact tender, after a declined card attempt", input: (F.facts(next: 2), F.eur(640)),
      expected: .success(PaymentRecord(payment: F.cash(tendered: 640, change: 0, attempt: 2), created: true))),
    .init(
      name: "one cent short", input: (F.facts(), F.eur(639)),
      expected: .failure(.insufficientTender(total: F.eur(640)))),
    .init(
      name: "another currency, before the amount", input: (F.facts(), Money(amount: 1, currency: "USD")),
      expected: .failure(.currencyMismatch(expected: "EUR"))),
    .init(
      name: "pending card attempt blocks cash", input: (F.facts(pending: F.pending), F.eur(1_000)),
      expected: .failure(.paymentPending(F.pending))),
    .init(
      name: "paid answers the success, whatever the tender",
      input: (F.facts(.paid, succeeded: F.succeeded), F.eur(5)),
      expected: .success(PaymentRecord(payment: F.succeeded, created: false))),
    .init(
      name: "paid without a success is our fault", input: (F.facts(.paid), F.eur(1_000)),
      expected: .failure(.engine("order order-1 is paid but has no successful payment"))),
    .init(
      name: "canceled", input: (F.facts(.canceled), F.eur(1_000)),
      expected: .failure(.orderNotPayable(status: .canceled))),
  ]

  @Test(arguments: cashCases)
  func cash(_ row: RuleCase<(PaymentFacts, Money), PaymentRecord>) {
    let decided = decision { () throws(StoreError) in
      try PaymentRules.payCash(tendered: row.input.1, part: .whole, facts: row.input.0, newId: "new")
    }
    #expect(decided == row.expected)
  }

  static let cardCases: [RuleCase<PaymentFacts, CardStartDecision>] = [
    .init(name: "first attempt", input: F.facts(), expected: .success(.start(F.card(attempt: 1)))),
    .init(name: "after a decline", input: F.facts(next: 3), expected: .success(.start(F.card(attempt: 3)))),
    .init(
      name: "pending attempt is resumed", input: F.facts(pending: F.pending, next: 3),
      expected: .success(.answer(.pending(PendingCardPayment(payment: F.pending, orderNumber: 7))))),
    .init(
      name: "paid", input: F.facts(.paid, succeeded: F.succeeded),
      expected: .success(.answer(.alreadyPaid(F.succeeded)))),
    .init(
      name: "canceled", input: F.facts(.canceled), expected: .failure(.orderNotPayable(status: .canceled))),
  ]

  @Test(arguments: cardCases)
  func card(_ row: RuleCase<PaymentFacts, CardStartDecision>) {
    let decided = decision { () throws(StoreError) in
      try PaymentRules.beginCard(facts: row.input, newId: "new")
    }
    #expect(decided == row.expected)
  }

  static let cancelCases: [RuleCase<PaymentFacts, CancelDecision>] = [
    .init(name: "placed", input: F.facts(), expected: .success(.cancel)),
    .init(name: "placed after a decline", input: F.facts(next: 2), expected: .success(.cancel)),
    .init(name: "canceled again", input: F.facts(.canceled), expected: .success(.answerUnchanged)),
    .init(
      name: "paid", input: F.facts(.paid, succeeded: F.succeeded),
      expected: .failure(.orderNotCancelable(status: .paid))),
    .init(
      name: "pending card attempt", input: F.facts(pending: F.pending),
      expected: .failure(.paymentPending(F.pending))),
  ]

  @Test(arguments: cancelCases)
  func cancel(_ row: RuleCase<PaymentFacts, CancelDecision>) {
    #expect(decision { () throws(StoreError) in try PaymentRules.cancel(facts: row.input) } == row.expected)
  }

  static func settled(_ status: Payment.Status) -> Payment {
    var payment = F.pending
    payment.status = status
    return payment
  }

  static let longReason = String(repeating: "x", count: 250)

  static let settleCases: [RuleCase<(Payment, Order.Status, CardOutcome), SettleDecision>] = [
    .init(
      name: "success", input: (F.pending, .placed, .succeeded(providerPaymentId: "prov-1")),
      expected: .success(.succeed(providerPaymentId: "prov-1", completesOrder: true))),
    .init(
      name: "decline", input: (F.pending, .placed, .declined(reason: "insufficient_funds")),
      expected: .success(.decline(reason: "insufficient_funds"))),
    .init(
      name: "long reason is cut", input: (F.pending, .placed, .declined(reason: longReason)),
      expected: .success(.decline(reason: String(repeating: "x", count: PaymentRules.maxDeclineReasonLength)))
    ),
    .init(
      name: "U+0000 stored as U+FFFD", input: (F.pending, .placed, .declined(reason: "a\0b")),
      expected: .success(.decline(reason: "a\u{FFFD}b"))),
    .init(
      name: "provider id with U+0000", input: (F.pending, .placed, .succeeded(providerPaymentId: "p\0")),
      expected: .success(.succeed(providerPaymentId: "p\u{FFFD}", completesOrder: true))),
    .init(
      name: "settled success answers as is", input: (settled(.succeeded), .paid, .declined(reason: "late")),
      expected: .success(.answerAsIs)),
    .init(
      name: "settled decline answers as is",
      input: (settled(.declined), .placed, .succeeded(providerPaymentId: "late")),
      expected: .success(.answerAsIs)),
    .init(
      name: "pending payment of a canceled order is our fault",
      input: (F.pending, .canceled, .succeeded(providerPaymentId: "prov-1")),
      expected: .failure(
        .engine("order order-1 is canceled owing 0 while its payment of 640 is pending"))),
    .init(
      name: "a decline needs no placed order", input: (F.pending, .canceled, .declined(reason: "no")),
      expected: .success(.decline(reason: "no"))),
  ]

  @Test(arguments: settleCases)
  func settle(_ row: RuleCase<(Payment, Order.Status, CardOutcome), SettleDecision>) {
    let decided = decision { () throws(StoreError) in
      try PaymentRules.settle(
        row.input.0, order: PaymentOrder(id: "order-1", number: 7, status: row.input.1, total: F.eur(640)),
        outcome: row.input.2)
    }
    #expect(decided == row.expected)
  }

  static let withdrawCases: [RuleCase<Payment?, WithdrawDecision>] = [
    .init(name: "pending card attempt is removed", input: F.pending, expected: .success(.remove)),
    .init(name: "settled meanwhile: succeeded", input: settled(.succeeded), expected: .success(.keep)),
    .init(name: "settled meanwhile: declined", input: settled(.declined), expected: .success(.keep)),
    .init(name: "removed meanwhile", input: nil, expected: .success(.keep)),
    .init(name: "a cash payment is never withdrawn", input: F.succeeded, expected: .success(.keep)),
  ]

  @Test(arguments: withdrawCases)
  func withdrawRefused(_ row: RuleCase<Payment?, WithdrawDecision>) {
    #expect(.success(PaymentRules.withdrawRefused(row.input)) == row.expected)
  }
}
