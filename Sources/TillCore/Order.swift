/// An order: the lines of a checked-out cart with prices captured at checkout.
public struct Order: Codable, Hashable, Sendable {
  public enum Status: String, Codable, Hashable, Sendable {
    case placed, paid, canceled
  }

  public struct Line: Codable, Hashable, Sendable {
    public var sku: String
    public var name: String
    public var quantity: Int
    public var unitPrice: Money
    public var lineTotal: Money

    public init(sku: String, name: String, quantity: Int, unitPrice: Money, lineTotal: Money) {
      self.sku = sku
      self.name = name
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.lineTotal = lineTotal
    }
  }

  public var id: String
  /// Human-friendly sequential number, printed on the receipt.
  public var number: Int
  public var status: Status
  public var lines: [Line]
  public var total: Money
  /// RFC 3339 timestamp in UTC.
  public var createdAt: String
  /// The latest payment attempt, if any.
  public var payment: Payment?
  /// The staff code of the person who placed it (`legacy` for orders from before staff sign-in).
  public var staff: String?

  public init(
    id: String, number: Int, status: Status, lines: [Line], total: Money, createdAt: String,
    payment: Payment?, staff: String? = nil
  ) {
    self.id = id
    self.number = number
    self.status = status
    self.lines = lines
    self.total = total
    self.createdAt = createdAt
    self.payment = payment
    self.staff = staff
  }
}

/// `POST /v1/orders` body; the `Idempotency-Key` header travels beside it.
public struct PlaceOrderRequest: Codable, Hashable, Sendable {
  public var cartId: String

  public init(cartId: String) { self.cartId = cartId }
}

/// What the store answers when an order is placed: the order, and whether it was a replay of an earlier
/// request with the same idempotency key.
public struct OrderPlacement: Hashable, Sendable {
  public var order: Order
  public var replayed: Bool

  public init(order: Order, replayed: Bool) {
    self.order = order
    self.replayed = replayed
  }
}
