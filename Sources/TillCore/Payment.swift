/// One payment attempt for an order: the whole amount due, or a part of it (split tender). The
/// succeeded payments of an order never sum to more than its total; only cash gives change.
public struct Payment: Codable, Hashable, Sendable {
  public enum Method: String, Codable, Hashable, Sendable {
    case cash, card
  }

  public enum Status: String, Codable, Hashable, Sendable {
    case pending, succeeded, declined
  }

  public var id: String
  public var orderId: String
  public var method: Method
  public var status: Status
  public var amount: Money
  /// Cash handed over (cash only).
  public var tendered: Money?
  /// Change given back (cash only).
  public var change: Money?
  /// 1 for the first card attempt on an order; a new attempt only after a definite decline.
  public var attempt: Int
  /// The key sent to the card provider: `order-<orderId>-payment-<attempt>`.
  public var idempotenceKey: String?
  public var declineReason: String?

  public init(
    id: String, orderId: String, method: Method, status: Status, amount: Money, tendered: Money?,
    change: Money?, attempt: Int, idempotenceKey: String?, declineReason: String?
  ) {
    self.id = id
    self.orderId = orderId
    self.method = method
    self.status = status
    self.amount = amount
    self.tendered = tendered
    self.change = change
    self.attempt = attempt
    self.idempotenceKey = idempotenceKey
    self.declineReason = declineReason
  }

  /// Whether this payment is what `request` asked for: the same method, for cash the same tender, and
  /// the same part amount when the request names one (without one it asked for whatever was due).
  public func answers(_ request: PaymentRequest) -> Bool {
    method == request.method && (request.method == .card || tendered == request.tendered)
      && (request.amount == nil || request.amount == amount)
  }

  /// The deterministic key for a card attempt, so a retry is recognised by the provider itself.
  public static func idempotenceKey(orderId: String, attempt: Int) -> String {
    "order-\(orderId)-payment-\(attempt)"
  }
}

/// `POST /v1/orders/{id}/payments` body. Without `amount` it pays what the order still owes; with one
/// it pays that part (split tender), and then travels with an `Idempotency-Key` header.
public struct PaymentRequest: Codable, Hashable, Sendable {
  public var method: Payment.Method
  public var tendered: Money?
  /// The part of the order to pay now; nil for all that is due.
  public var amount: Money?

  public init(method: Payment.Method, tendered: Money? = nil, amount: Money? = nil) {
    self.method = method
    self.tendered = tendered
    self.amount = amount
  }

  public static func cash(tendered: Money, amount: Money? = nil) -> PaymentRequest {
    PaymentRequest(method: .cash, tendered: tendered, amount: amount)
  }
  public static let card = PaymentRequest(method: .card)
  public static func card(amount: Money) -> PaymentRequest { PaymentRequest(method: .card, amount: amount) }
}
