import TillCore

/// Payment and cancellation bookkeeping. Engines implement it beside `Store`; the provider call itself
/// happens outside any transaction (in the server), between `beginCardPayment` and `settleCardPayment`.
///
/// The order is: write the pending payment and commit, call the provider with the attempt's key, record
/// the outcome. A crash between the charge and the record leaves a pending row that recovery settles with
/// the same key, so the provider recognises the repeat and charges nothing more.
public protocol PaymentStore: Sendable {
  /// Records a cash payment and marks the order paid, in one transaction. An already paid order answers
  /// its existing successful payment (`created == false`).
  func payCash(orderId: String, owner: String, tendered: Money) async throws(StoreError) -> PaymentRecord

  /// Starts the order's next card attempt, or answers the attempt already pending, or the payment that
  /// already succeeded. A new attempt number is taken only after a definite decline.
  func beginCardPayment(orderId: String, owner: String) async throws(StoreError) -> CardPaymentStart

  /// Records the provider's definite answer for a pending card payment. Settling a payment that is no
  /// longer pending changes nothing and answers it as it is (the live path and recovery may race).
  func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment

  /// Every pending card payment, oldest first, for recovery.
  func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment]

  /// Cancels an unpaid order and returns its stock in the same transaction. Canceling a canceled order
  /// answers it unchanged; a paid order, or one with a pending card payment, is refused.
  func cancelOrder(id: String, owner: String) async throws(StoreError) -> Order
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
  /// This pending attempt must be driven to an outcome at the provider (new or resumed).
  case pending(PendingCardPayment)
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
