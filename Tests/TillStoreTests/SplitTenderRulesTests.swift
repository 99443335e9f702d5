import Foundation
import Testing
import TillCore
import TillFuzzing

@testable import TillStore

/// The payment rules for parts of an order (split tender): seeded random sequences of cash and card
/// parts, requests for the rest, repeated keys and declines, applied to a model order the way an engine
/// applies the decisions. Whatever the sequence, the order never takes more than its total, is paid
/// exactly when its parts cover it, gives change only in cash, and records each key once.
/// Reproducible: `TILL_FUZZ_SEED=n` replays a run.
@Suite struct SplitTenderRulesTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5911_7017
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  /// A model order and its payment rows, changed only as an engine would change them.
  struct ModelOrder {
    var order: PaymentOrder
    var payments: [Payment] = []
    var keys: [String: String] = [:]

    func facts(key: String?) -> PaymentFacts {
      PaymentFacts(
        order: order, pending: payments.last { $0.status == .pending },
        succeeded: payments.last { $0.status == .succeeded }, nextAttempt: (payments.last?.attempt ?? 0) + 1,
        keyed: key.flatMap { keys[$0] }.flatMap { id in payments.first { $0.id == id } },
        refundPending: false)
    }

    mutating func record(_ payment: Payment, key: String?) {
      payments.append(payment)
      if let key { keys[key] = payment.id }
    }

    mutating func succeed(_ payment: Payment) {
      if PaymentRules.completes(payment, order: order) { order.status = .paid }
      order.paid = Money(amount: order.paid.amount + payment.amount.amount, currency: order.paid.currency)
    }
  }

  @Test func randomPartSequencesNeverTakeMoreThanTheTotal() throws {
    var random = SplitMix64(seed: Self.seed)
    for run in 0..<2_000 {
      let total = random.below(3) == 0 ? 1 + random.below(9) : random.below(50_000)
      var model = ModelOrder(order: PaymentOrder(id: "o", number: 1, status: .placed, total: Self.eur(total)))
      var serial = 0
      for _ in 0..<random.below(12) {
        serial += 1
        let key = random.below(4) == 0 && serial > 1 ? "k\(random.below(serial - 1) + 1)" : "k\(serial)"
        let due = model.order.due.amount
        let amount: Money? =
          random.below(3) == 0
          ? nil : Self.eur(random.below(4) == 0 ? due + random.below(3) : max(1, random.below(due + 1)))
        let part = PaymentPart(amount: amount, key: key)
        if random.below(2) == 0 {
          let tendered = Self.eur((amount?.amount ?? due) + random.below(500))
          guard
            let record = try? PaymentRules.payCash(
              tendered: tendered, part: part, facts: model.facts(key: key), newId: "p\(serial)")
          else { continue }
          #expect(
            record.payment.change?.amount == tendered.amount - record.payment.amount.amount || !record.created
          )
          if record.created {
            model.succeed(record.payment)
            model.record(record.payment, key: key)
          }
        } else {
          guard
            case .start(var attempt)? = try? PaymentRules.beginCard(
              part: part, facts: model.facts(key: key), newId: "p\(serial)")
          else { continue }
          #expect(attempt.change == nil && attempt.tendered == nil, "a card part gives no change")
          model.record(attempt, key: key)
          let outcome: CardOutcome =
            random.below(4) == 0 ? .declined(reason: "no") : .succeeded(providerPaymentId: "x")
          let decision = try PaymentRules.settle(attempt, order: model.order, outcome: outcome)
          let index = try #require(model.payments.firstIndex { $0.id == attempt.id })
          switch decision {
          case .succeed:
            attempt.status = .succeeded
            model.succeed(attempt)
          case .decline:
            attempt.status = .declined
          case .answerAsIs:
            Issue.record("a fresh attempt is pending")
          }
          model.payments[index] = attempt
        }
      }
      let succeeded = model.payments.filter { $0.status == .succeeded }.map(\.amount.amount).reduce(0, +)
      #expect(succeeded == model.order.paid.amount, "run \(run)")
      #expect(succeeded <= total, "run \(run): \(succeeded) paid of \(total)")
      let anySucceeded = model.payments.contains { $0.status == .succeeded }
      #expect((model.order.status == .paid) == (succeeded == total && anySucceeded), "run \(run)")
      #expect(Set(model.keys.values).count == model.keys.count, "run \(run): one payment per key")
    }
  }

  @Test func aPartIsRefusedNotCappedAndTheRestResumesOnlyItsOwnAttempt() throws {
    let order = PaymentOrder(id: "o", number: 1, status: .placed, total: Self.eur(1_000), paid: Self.eur(400))
    let facts = PaymentFacts(
      order: order, pending: nil, succeeded: nil, nextAttempt: 2, keyed: nil, refundPending: false)
    #expect(
      decision { () throws(StoreError) in
        try PaymentRules.beginCard(
          part: PaymentPart(amount: Self.eur(601), key: "k"), facts: facts, newId: "n")
      } == .failure(.amountExceedsDue(due: Self.eur(600))))
    #expect(
      decision { () throws(StoreError) in
        try PaymentRules.payCash(
          tendered: Self.eur(599), part: .whole, facts: facts, newId: "n")
      } == .failure(.insufficientTender(total: Self.eur(600))))
    let pendingPart = Payment(
      id: "c", orderId: "o", method: .card, status: .pending, amount: Self.eur(100), tendered: nil,
      change: nil,
      attempt: 2, idempotenceKey: "order-o-payment-2", declineReason: nil)
    var waiting = facts
    waiting.pending = pendingPart
    #expect(
      decision { () throws(StoreError) in try PaymentRules.beginCard(part: .whole, facts: waiting, newId: "n")
      }
        == .failure(.paymentPending(pendingPart)), "the rest is not this 1.00 part")
    #expect(
      decision { () throws(StoreError) in try PaymentRules.cancel(facts: facts) }
        == .failure(.orderPartlyPaid(paid: Self.eur(400))))
    let settle = decision { () throws(StoreError) in
      try PaymentRules.settle(pendingPart, order: order, outcome: .succeeded(providerPaymentId: "x"))
    }
    #expect(settle == .success(.succeed(providerPaymentId: "x", completesOrder: false)))
  }
}
