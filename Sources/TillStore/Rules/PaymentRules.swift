import TillCore

/// The few columns of an order that payment and cancel decide on, read under the order's write lock.
struct PaymentOrder: Hashable, Sendable {
  var id: String
  var number: Int
  var status: Order.Status
  var total: Money
  /// What its succeeded payments have paid so far (the stored `paid_amount`).
  var paid: Money

  init(id: String, number: Int, status: Order.Status, total: Money, paid: Money? = nil) {
    self.id = id
    self.number = number
    self.status = status
    self.total = total
    self.paid = paid ?? .zero(total.currency)
  }

  /// What is still to pay; zero unless placed.
  var due: Money {
    Money(amount: status == .placed ? max(0, total.amount - paid.amount) : 0, currency: total.currency)
  }
}

/// What a payment or a cancel is decided on, read after the order's lock (so exact until commit).
struct PaymentFacts: Hashable, Sendable {
  var order: PaymentOrder
  /// The order's pending card attempt (at most one: a unique index).
  var pending: Payment?
  /// The order's latest successful payment (the last part of a split tender).
  var succeeded: Payment?
  /// One above the order's highest attempt number so far.
  var nextAttempt: Int
  /// The payment recorded before under the request's `Idempotency-Key`, if any.
  var keyed: Payment?
  /// Whether a card refund of the order is pending: of a paid part, while the order is placed, it
  /// holds every payment and cancel back until it settles (its amount leaves `paid` only then).
  var refundPending: Bool

  init(
    order: PaymentOrder, pending: Payment?, succeeded: Payment?, nextAttempt: Int, keyed: Payment?,
    refundPending: Bool
  ) {
    self.order = order
    self.pending = pending
    self.succeeded = succeeded
    self.nextAttempt = nextAttempt
    self.keyed = keyed
    self.refundPending = refundPending
  }
}

/// What the engine does with a card payment request.
enum CardStartDecision: Hashable, Sendable {
  /// Answer without writing: the order is paid, an attempt is pending and must be resumed, or the
  /// request's key names an earlier attempt.
  case answer(CardPaymentStart)
  /// Write this new pending attempt (and commit) before the provider is called.
  case start(Payment)
}

/// What the engine does with a cancel request.
enum CancelDecision: Hashable, Sendable {
  /// The order is canceled already: answer it unchanged.
  case answerUnchanged
  /// Mark the order canceled and return its stock, in one transaction.
  case cancel
}

/// What the engine does with the provider's answer for a payment.
enum SettleDecision: Hashable, Sendable {
  /// Settled before (the live request and recovery may race; the first answer wins): change nothing.
  case answerAsIs
  /// Mark the payment succeeded, with the provider's id as it may be stored, and add its amount to the
  /// order's paid amount; with `completesOrder`, mark the order paid too.
  case succeed(providerPaymentId: String, completesOrder: Bool)
  /// Mark the payment declined, with the reason as it may be stored.
  case decline(reason: String)
}

/// What the engine does with an attempt the provider refused the shop's credentials for.
enum WithdrawDecision: Hashable, Sendable {
  /// Delete the pending attempt: the order is payable again and its attempt number is free.
  case remove
  /// Settled or removed meanwhile (the first answer wins): change nothing.
  case keep
}

/// The payment state machine: an order is placed, then paid (when its successful payments — one, or the
/// parts of a split tender — cover its total, never more) or canceled (only before any part is paid); a
/// pending card attempt, or a pending card refund of a paid part, blocks every other payment and cancel
/// until it settles; a new attempt number
/// is taken only after a definite decline (a declined attempt is never pending again); a request's
/// `Idempotency-Key` records one payment.
enum PaymentRules {
  /// Provider reasons are short codes; a longer one is cut rather than stored whole.
  static let maxDeclineReasonLength = 200

  /// A cash payment of `tendered` for `part`: the payment recorded before under the request's key, or
  /// the order's existing success when it is paid and the request names no part (`created == false`),
  /// or a new succeeded payment named `newId` with its change, to record (`completes(_:order:)` says
  /// whether it pays the order in full).
  static func payCash(tendered: Money, part: PaymentPart, facts: PaymentFacts, newId: String)
    throws(StoreError) -> PaymentRecord
  {
    let request = PaymentRequest.cash(tendered: tendered, amount: part.amount)
    if let earlier = try replay(request, facts: facts) {
      return PaymentRecord(payment: earlier, created: false)
    }
    if let paid = try alreadyPaid(facts, part: part) { return PaymentRecord(payment: paid, created: false) }
    if let pending = facts.pending { throw .paymentPending(pending) }
    if facts.refundPending { throw .refundPending }
    let amount = try partAmount(part, facts: facts)
    guard tendered.currency == amount.currency else { throw .currencyMismatch(expected: amount.currency) }
    guard tendered.amount >= amount.amount else { throw .insufficientTender(total: amount) }
    let change = try checkedAmount("the change for order \(facts.order.id)") {
      () throws(MoneyError) -> Money in
      try tendered.subtracting(amount)
    }
    let payment = Payment(
      id: newId, orderId: facts.order.id, method: .cash, status: .succeeded, amount: amount,
      tendered: tendered, change: change, attempt: facts.nextAttempt, idempotenceKey: nil, declineReason: nil)
    return PaymentRecord(payment: payment, created: true)
  }

  /// A card payment for `part`: the success, the pending attempt or the keyed attempt to answer, or a
  /// new attempt named `newId`. A request for all that is due resumes a pending attempt for exactly
  /// that; any other request waits for the pending one to settle.
  static func beginCard(part: PaymentPart = .whole, facts: PaymentFacts, newId: String) throws(StoreError)
    -> CardStartDecision
  {
    let request = PaymentRequest(method: .card, amount: part.amount)
    if let earlier = try replay(request, facts: facts) {
      guard earlier.status == .pending else { return .answer(.replayed(earlier)) }
      return .answer(.pending(PendingCardPayment(payment: earlier, orderNumber: facts.order.number)))
    }
    if let paid = try alreadyPaid(facts, part: part) { return .answer(.alreadyPaid(paid)) }
    if facts.refundPending { throw .refundPending }
    if let pending = facts.pending {
      guard part.amount == nil, pending.amount == facts.order.due else { throw .paymentPending(pending) }
      return .answer(.pending(PendingCardPayment(payment: pending, orderNumber: facts.order.number)))
    }
    let amount = try partAmount(part, facts: facts)
    let attempt = facts.nextAttempt
    return .start(
      Payment(
        id: newId, orderId: facts.order.id, method: .card, status: .pending, amount: amount,
        tendered: nil, change: nil, attempt: attempt,
        idempotenceKey: Payment.idempotenceKey(orderId: facts.order.id, attempt: attempt), declineReason: nil)
    )
  }

  /// Whether recording `payment` as succeeded pays what the order still owes, so the order becomes
  /// paid (and takes its receipt number) in the same transaction.
  static func completes(_ payment: Payment, order: PaymentOrder) -> Bool {
    payment.amount.amount == order.due.amount
  }

  /// A cancel: only an unpaid order without a pending attempt; a canceled one answers unchanged.
  static func cancel(facts: PaymentFacts) throws(StoreError) -> CancelDecision {
    switch facts.order.status {
    case .canceled: return .answerUnchanged
    case .paid: throw .orderNotCancelable(status: .paid)
    case .placed: break
    }
    if let pending = facts.pending { throw .paymentPending(pending) }
    if facts.refundPending { throw .refundPending }
    guard facts.order.paid.amount == 0 else { throw .orderPartlyPaid(paid: facts.order.paid) }
    return .cancel
  }

  /// The provider's definite answer `outcome` for `payment`, whose order is `order`.
  static func settle(_ payment: Payment, order: PaymentOrder, outcome: CardOutcome) throws(StoreError)
    -> SettleDecision
  {
    guard payment.status == .pending else { return .answerAsIs }
    switch outcome {
    case .succeeded(let providerPaymentId):
      // A pending payment blocks cancel and every other part, so its order is still placed and still
      // owes at least the attempt's amount.
      guard order.status == .placed, payment.amount.amount <= order.due.amount else {
        throw .engine(
          "order \(payment.orderId) is \(order.status.rawValue) owing \(order.due.amount) while its payment of \(payment.amount.amount) is pending"
        )
      }
      return .succeed(
        providerPaymentId: StoreIdentifiers.storable(providerPaymentId),
        completesOrder: completes(payment, order: order))
    case .declined(let reason):
      return .decline(reason: String(StoreIdentifiers.storable(reason).prefix(maxDeclineReasonLength)))
    }
  }

  /// A card attempt the provider refused the shop's credentials for, on every call under its key.
  ///
  /// A 401/403 is answered before the provider looks at the charge, so nothing was processed under the
  /// key. Removing the row (rather than declining it) frees its attempt number, so the next attempt
  /// sends the same key again: safe, because the provider never accepted that key and so has nothing
  /// to replay or to charge twice; a decline would burn a key for a card that was never asked. An
  /// attempt that got any other answer may have been processed and is never withdrawn: the caller
  /// asks only for attempts whose every call was refused.
  static func withdrawRefused(_ payment: Payment?) -> WithdrawDecision {
    guard let payment, payment.method == .card, payment.status == .pending else { return .keep }
    return .remove
  }

  /// The order's latest successful payment when it is paid and the request names no part (it asked for
  /// whatever was due: nothing); a part of a paid order owes nothing and is refused; a canceled order is
  /// refused; nil when placed.
  private static func alreadyPaid(_ facts: PaymentFacts, part: PaymentPart) throws(StoreError) -> Payment? {
    switch facts.order.status {
    case .canceled: throw .orderNotPayable(status: .canceled)
    case .placed: return nil
    case .paid:
      guard part.amount == nil else { throw .amountExceedsDue(due: facts.order.due) }
      guard let succeeded = facts.succeeded else {
        throw .engine("order \(facts.order.id) is paid but has no successful payment")
      }
      return succeeded
    }
  }

  /// The payment recorded before under the request's key, when it answers the same request; a key used
  /// for another request is refused.
  private static func replay(_ request: PaymentRequest, facts: PaymentFacts) throws(StoreError) -> Payment? {
    guard let earlier = facts.keyed else { return nil }
    guard earlier.answers(request) else { throw .idempotencyKeyReused }
    return earlier
  }

  /// The part to pay now: the request's amount, or all that is due; in the order's currency, at least
  /// one minor unit and never more than is due (refused, never capped).
  private static func partAmount(_ part: PaymentPart, facts: PaymentFacts) throws(StoreError) -> Money {
    let due = facts.order.due
    guard let amount = part.amount else { return due }
    guard amount.currency == due.currency else { throw .currencyMismatch(expected: due.currency) }
    guard amount.amount >= 1 else {
      throw .invalidField(field: "amount.amount", reason: "A part payment is at least one minor unit.")
    }
    guard amount.amount <= due.amount else { throw .amountExceedsDue(due: due) }
    return amount
  }
}
