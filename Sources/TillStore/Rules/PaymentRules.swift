import TillCore

/// The few columns of an order that payment and cancel decide on, read under the order's write lock.
struct PaymentOrder: Hashable, Sendable {
  var id: String
  var number: Int
  var status: Order.Status
  var total: Money
}

/// What a payment or a cancel is decided on, read after the order's lock (so exact until commit).
struct PaymentFacts: Hashable, Sendable {
  var order: PaymentOrder
  /// The order's pending card attempt (at most one: a unique index).
  var pending: Payment?
  /// The order's successful payment (at most one: a unique index).
  var succeeded: Payment?
  /// One above the order's highest attempt number so far.
  var nextAttempt: Int
}

/// What the engine does with a card payment request.
enum CardStartDecision: Hashable, Sendable {
  /// Answer without writing: the order is paid, or an attempt is pending and must be resumed.
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
  /// Mark the payment succeeded, with the provider's id as it may be stored, and the order paid.
  case succeed(providerPaymentId: String)
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

/// The payment state machine: an order is placed, then paid (one successful payment, ever) or
/// canceled; a pending card attempt blocks cash and cancel until it settles; a new attempt number
/// is taken only after a definite decline (a declined attempt is never pending again).
enum PaymentRules {
  /// Provider reasons are short codes; a longer one is cut rather than stored whole.
  static let maxDeclineReasonLength = 200

  /// A cash payment of `tendered`: the order's existing success (`created == false`), or a new
  /// succeeded payment with its change, named `newId`, to record and mark the order paid.
  static func payCash(tendered: Money, facts: PaymentFacts, newId: String) throws(StoreError) -> PaymentRecord
  {
    if let paid = try alreadyPaid(facts) { return PaymentRecord(payment: paid, created: false) }
    if let pending = facts.pending { throw .paymentPending(pending) }
    let total = facts.order.total
    guard tendered.currency == total.currency else { throw .currencyMismatch(expected: total.currency) }
    guard tendered.amount >= total.amount else { throw .insufficientTender(total: total) }
    let change = try checkedAmount("the change for order \(facts.order.id)") {
      () throws(MoneyError) -> Money in
      try tendered.subtracting(total)
    }
    let payment = Payment(
      id: newId, orderId: facts.order.id, method: .cash, status: .succeeded, amount: total,
      tendered: tendered,
      change: change, attempt: facts.nextAttempt, idempotenceKey: nil, declineReason: nil)
    return PaymentRecord(payment: payment, created: true)
  }

  /// A card payment: the success or the pending attempt to answer, or a new attempt named `newId`.
  static func beginCard(facts: PaymentFacts, newId: String) throws(StoreError) -> CardStartDecision {
    if let paid = try alreadyPaid(facts) { return .answer(.alreadyPaid(paid)) }
    if let pending = facts.pending {
      return .answer(.pending(PendingCardPayment(payment: pending, orderNumber: facts.order.number)))
    }
    let attempt = facts.nextAttempt
    return .start(
      Payment(
        id: newId, orderId: facts.order.id, method: .card, status: .pending, amount: facts.order.total,
        tendered: nil, change: nil, attempt: attempt,
        idempotenceKey: Payment.idempotenceKey(orderId: facts.order.id, attempt: attempt), declineReason: nil)
    )
  }

  /// A cancel: only an unpaid order without a pending attempt; a canceled one answers unchanged.
  static func cancel(facts: PaymentFacts) throws(StoreError) -> CancelDecision {
    switch facts.order.status {
    case .canceled: return .answerUnchanged
    case .paid: throw .orderNotCancelable(status: .paid)
    case .placed: break
    }
    if let pending = facts.pending { throw .paymentPending(pending) }
    return .cancel
  }

  /// The provider's definite answer `outcome` for `payment`, whose order has `orderStatus`.
  static func settle(_ payment: Payment, orderStatus: Order.Status, outcome: CardOutcome) throws(StoreError)
    -> SettleDecision
  {
    guard payment.status == .pending else { return .answerAsIs }
    switch outcome {
    case .succeeded(let providerPaymentId):
      // A pending payment blocks cancel and cash, so its order is still placed.
      guard orderStatus == .placed else {
        throw .engine("order \(payment.orderId) is \(orderStatus.rawValue) while its payment is pending")
      }
      return .succeed(providerPaymentId: StoreIdentifiers.storable(providerPaymentId))
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

  /// The order's successful payment when it is paid; a canceled order is refused; nil when placed.
  private static func alreadyPaid(_ facts: PaymentFacts) throws(StoreError) -> Payment? {
    switch facts.order.status {
    case .canceled: throw .orderNotPayable(status: .canceled)
    case .placed: return nil
    case .paid:
      guard let succeeded = facts.succeeded else {
        throw .engine("order \(facts.order.id) is paid but has no successful payment")
      }
      return succeeded
    }
  }
}
