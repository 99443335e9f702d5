import TillCore

/// A card acquirer the back end charges through. One call is one attempt at one charge; the
/// `idempotenceKey` makes repeats of that call safe: the provider charges a key at most once.
public protocol CardProvider: Sendable {
  func charge(_ charge: CardCharge) async -> CardProviderAnswer
  /// One attempt at one refund; the provider refunds a key at most once.
  func refund(_ refund: CardRefund) async -> CardRefundAnswer
}

public struct CardRefund: Hashable, Sendable {
  public var idempotenceKey: String
  /// The provider's id of the charge the money goes back to.
  public var providerPaymentId: String
  public var amount: Money
  public var description: String

  public init(idempotenceKey: String, providerPaymentId: String, amount: Money, description: String) {
    self.idempotenceKey = idempotenceKey
    self.providerPaymentId = providerPaymentId
    self.amount = amount
    self.description = description
  }
}

/// What one provider refund call told us.
public enum CardRefundAnswer: Hashable, Sendable {
  /// Refunded; the provider's refund id.
  case succeeded(providerRefundId: String)
  /// Definitely not refunded under this key, with the provider's reason.
  case failed(reason: String)
  /// Outcome unknown yet (202, 5xx, timeout, dropped connection, refused credentials): ask again with
  /// the same key later.
  case unknown(detail: String, retryAfterMilliseconds: Int?)
}

public struct CardCharge: Hashable, Sendable {
  public var idempotenceKey: String
  public var amount: Money
  public var description: String
  public var orderId: String

  public init(idempotenceKey: String, amount: Money, description: String, orderId: String) {
    self.idempotenceKey = idempotenceKey
    self.amount = amount
    self.description = description
    self.orderId = orderId
  }
}

/// What one provider call told us.
public enum CardProviderAnswer: Hashable, Sendable {
  /// Charged; the provider's payment id.
  case succeeded(providerPaymentId: String)
  /// Definitely not charged under this key, with the provider's reason.
  case declined(reason: String)
  /// Outcome unknown yet (202 processing, 5xx, timeout, dropped connection): ask again with the same key,
  /// not before `retryAfterMilliseconds` when the provider said so.
  case unknown(detail: String, retryAfterMilliseconds: Int?)
  /// The provider refused the shop's credentials (HTTP 401 or 403: wrong shop id or secret key, or a
  /// shop not allowed to charge). Nothing was charged under this key, and asking again will not help
  /// until the settings change: not the card's fault, so never a decline.
  case credentialsRefused(detail: String)
}
