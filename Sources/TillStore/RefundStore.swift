import TillCore

/// Refunds and returns of paid orders. Engines implement it beside `PaymentStore`; each reads the facts
/// under the order's lock in its own SQL and applies what `RefundRules` decides. A card refund's
/// provider call happens outside any transaction (in the server), between `refund` and
/// `settleCardRefund`, exactly as a card payment's: the pending row is committed first, the provider is
/// asked under the refund's deterministic key, and recovery settles what a crash left pending.
public protocol RefundStore: Sendable {
  /// Refunds lines of the actor's terminal's paid order `orderId`, once per `idempotencyKey` (the same
  /// key and body again answer the same refund, `created == false`; another body is
  /// `.idempotencyKeyReused`). In one transaction, under the order's lock: never more units of a line
  /// than sold minus refunded (`.refundExceedsSold` naming every such line), the amounts from the stored
  /// line figures, restocked units back in stock, a `refund` audit row. A cashier needs a manager's
  /// `approval`, re-checked here. Cash is succeeded at once (the terminal's next receipt number, the
  /// open register session's drawer; without one, `.noOpenSession` when `requireSession`); card is
  /// pending, against a card payment of the order that can take the whole amount back.
  func refund(
    orderId: String, request: RefundRequest, idempotencyKey: String, by actor: StaffActor,
    approval: VerifiedApproval?, requireSession: Bool
  ) async throws(StoreError) -> RefundRecord

  /// Records the provider's definite answer for a pending card refund: succeeded (the terminal's next
  /// receipt number) or failed (its units count as not refunded; its restock is taken back, never
  /// below zero). A refund no longer pending is answered as it is.
  func settleCardRefund(id: String, outcome: RefundOutcome) async throws(StoreError) -> Refund

  /// Every pending card refund, oldest first, with what the provider must be asked, for recovery.
  func pendingCardRefunds() async throws(StoreError) -> [PendingCardRefund]

  /// The refunds of the owner's order, by sequence.
  func refunds(orderId: String, owner: String) async throws(StoreError) -> [Refund]
}

/// A refund and whether this request made it (false: an earlier request with its key did).
public struct RefundRecord: Hashable, Sendable {
  public var refund: Refund
  public var created: Bool
  /// For a pending card refund, the provider's id of the charge it goes back to.
  public var providerPaymentId: String?

  public init(refund: Refund, created: Bool, providerPaymentId: String? = nil) {
    self.refund = refund
    self.created = created
    self.providerPaymentId = providerPaymentId
  }
}

/// A pending card refund and the provider's id of the charge it goes back to.
public struct PendingCardRefund: Hashable, Sendable {
  public var refund: Refund
  public var providerPaymentId: String

  public init(refund: Refund, providerPaymentId: String) {
    self.refund = refund
    self.providerPaymentId = providerPaymentId
  }
}

/// A definite answer from the card provider about a refund.
public enum RefundOutcome: Hashable, Sendable {
  case succeeded(providerRefundId: String)
  case failed(reason: String)
}
