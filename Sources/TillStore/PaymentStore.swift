import TillCore

/// Payment and cancellation bookkeeping. Engines implement it beside `Store`; the provider call itself
/// happens outside any transaction (in the server), between `beginCardPayment` and `settleCardPayment`.
///
/// The order is: write the pending payment and commit, call the provider with the attempt's key, record
/// the outcome. A crash between the charge and the record leaves a pending row that recovery settles with
/// the same key, so the provider recognises the repeat and charges nothing more.
public protocol PaymentStore: Sendable {
  /// Records a cash payment of `part` (all that is due, or a part of it) and, when it pays the order in
  /// full, marks the order paid, in one transaction. An already paid order answers its latest successful
  /// payment when the request names no part, and a key used before answers its payment
  /// (`created == false`). The payment records `staff`.
  func payCash(orderId: String, owner: String, staff: String, tendered: Money, part: PaymentPart)
    async throws(StoreError) -> PaymentRecord

  /// Starts the order's next card attempt for `part`, or answers the attempt already pending, the
  /// payment that already succeeded, or the attempt made before under the part's key. A new attempt
  /// number is taken only after a definite decline. A new attempt records `staff`.
  func beginCardPayment(orderId: String, owner: String, staff: String, part: PaymentPart)
    async throws(StoreError) -> CardPaymentStart

  /// Records the provider's definite answer for a pending card payment. Settling a payment that is no
  /// longer pending changes nothing and answers it as it is (the live path and recovery may race).
  func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment

  /// Every pending card payment, oldest first, for recovery.
  func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment]

  /// Removes a pending card attempt for which the provider refused the shop's credentials on every
  /// call under its key (so it processed nothing), under the order's lock: the order is payable again,
  /// in cash or by card, and the next card attempt takes the same attempt number and key. Answers
  /// whether it was removed; an attempt settled or removed meanwhile is left as it is (false).
  func withdrawRefusedCardPayment(id: String) async throws(StoreError) -> Bool

  /// Cancels an unpaid order of the actor's terminal and returns its stock in the same transaction.
  /// Canceling a canceled order answers it unchanged; a paid order, or one with a pending card payment,
  /// is refused. Someone else's order needs the actor to be a manager or a manager's `approval`, which
  /// is re-checked in the same transaction (`CancelPermission`); the cancel records who canceled and
  /// who approved, and writes its `order-cancel` audit row in that transaction.
  func cancelOrder(id: String, by actor: StaffActor, approval: VerifiedApproval?) async throws(StoreError)
    -> Order
}

/// What a payment request asks beyond its method: the part to pay (nil: all that is due) and the
/// request's idempotency key (nil: none was sent).
public struct PaymentPart: Hashable, Sendable {
  public var amount: Money?
  public var key: String?

  public init(amount: Money? = nil, key: String? = nil) {
    self.amount = amount
    self.key = key
  }

  public static let whole = PaymentPart()
}

/// A payment and whether this request created it (false: an earlier one is answered again).
public struct PaymentRecord: Hashable, Sendable {
  public var payment: Payment
  public var created: Bool

  public init(payment: Payment, created: Bool) {
    self.payment = payment
    self.created = created
  }
}

public enum CardPaymentStart: Hashable, Sendable {
  /// The order is paid already; this is the successful payment.
  case alreadyPaid(Payment)
  /// The request's key named this attempt, settled before (succeeded or declined): nothing new is asked.
  case replayed(Payment)
  /// This attempt was written now: no provider call has been made under its key yet.
  case started(PendingCardPayment)
  /// This attempt was pending already (another request, or a process before a restart, may have
  /// called the provider under its key); it must be driven to an outcome.
  case pending(PendingCardPayment)

  /// The attempt to drive, new or resumed; nil when the order is paid.
  public var attempt: PendingCardPayment? {
    switch self {
    case .alreadyPaid, .replayed: nil
    case .started(let attempt), .pending(let attempt): attempt
    }
  }
}

/// What the provider must be asked to charge, with the attempt's deterministic key.
public struct PendingCardPayment: Hashable, Sendable {
  public var payment: Payment
  /// The order's number, for the provider's description.
  public var orderNumber: Int

  public init(payment: Payment, orderNumber: Int) {
    self.payment = payment
    self.orderNumber = orderNumber
  }
}

/// A definite answer from the card provider.
public enum CardOutcome: Hashable, Sendable {
  case succeeded(providerPaymentId: String)
  case declined(reason: String)
}

extension PaymentStore {
  /// A cash payment of all that is due.
  public func payCash(orderId: String, owner: String, staff: String, tendered: Money)
    async throws(StoreError) -> PaymentRecord
  {
    try await payCash(orderId: orderId, owner: owner, staff: staff, tendered: tendered, part: .whole)
  }

  /// A card attempt for all that is due.
  public func beginCardPayment(orderId: String, owner: String, staff: String) async throws(StoreError)
    -> CardPaymentStart
  {
    try await beginCardPayment(orderId: orderId, owner: owner, staff: staff, part: .whole)
  }
}
