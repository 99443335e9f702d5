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
    /// The gross: what the line costs after its discount, `net + tax`.
    public var lineTotal: Money
    /// Tax rate in basis points, captured at checkout.
    public var taxRate: Int
    /// The line's own discount plus its share of the order's discount.
    public var discount: Money
    public var net: Money
    public var tax: Money

    public init(
      sku: String, name: String, quantity: Int, unitPrice: Money, lineTotal: Money, taxRate: Int = 0,
      discount: Money? = nil, net: Money? = nil, tax: Money? = nil
    ) {
      self.sku = sku
      self.name = name
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.lineTotal = lineTotal
      self.taxRate = taxRate
      self.discount = discount ?? .zero(unitPrice.currency)
      self.net = net ?? lineTotal
      self.tax = tax ?? .zero(unitPrice.currency)
    }
  }

  public var id: String
  /// Human-friendly sequential number, printed on the receipt.
  public var number: Int
  public var status: Status
  public var lines: [Line]
  /// The sum of the stored line totals (gross).
  public var total: Money
  /// RFC 3339 timestamp in UTC.
  public var createdAt: String
  /// The latest payment attempt, if any.
  public var payment: Payment?
  /// Every succeeded or pending payment (the parts of a split tender), by attempt.
  public var payments: [Payment]
  /// What the succeeded payments have paid of the total (stored with each payment that succeeds).
  public var paid: Money
  /// What is still to pay: `total - paid` (zero once paid, and for a canceled order).
  public var due: Money
  /// The staff code of the person who placed it (`legacy` for orders from before staff sign-in).
  public var staff: String?
  /// Every discount of the order's lines, summed.
  public var discountTotal: Money
  /// Per-rate totals captured at checkout (ascending rate), sums of the stored line figures.
  public var taxes: [TaxTotal]
  /// Whether the catalogue prices the order was made from included tax.
  public var taxBasis: TaxBasis
  /// The terminal's gap-free receipt number, taken in the transaction that completed the payment.
  public var receiptNumber: Int?
  /// RFC 3339 timestamp in UTC of that transaction.
  public var paidAt: String?
  /// The register session the order was placed in (its terminal's open session then), whose Z report
  /// counts it; nil for an order placed while the terminal had none.
  public var sessionId: String?

  public init(
    id: String, number: Int, status: Status, lines: [Line], total: Money, createdAt: String,
    payment: Payment?, staff: String? = nil, discountTotal: Money? = nil, taxes: [TaxTotal] = [],
    taxBasis: TaxBasis = .inclusive, receiptNumber: Int? = nil, paidAt: String? = nil,
    sessionId: String? = nil, payments: [Payment]? = nil, paid: Money? = nil
  ) {
    self.id = id
    self.number = number
    self.status = status
    self.lines = lines
    self.total = total
    self.createdAt = createdAt
    self.payment = payment
    self.payments = payments ?? payment.map { [$0] }?.filter { $0.status != .declined } ?? []
    let paid = paid ?? (status == .paid ? total : .zero(total.currency))
    self.paid = paid
    self.due = Money(
      amount: status == .placed ? max(0, total.amount - paid.amount) : 0, currency: total.currency)
    self.staff = staff
    self.discountTotal = discountTotal ?? .zero(total.currency)
    self.taxes = taxes
    self.taxBasis = taxBasis
    self.receiptNumber = receiptNumber
    self.paidAt = paidAt
    self.sessionId = sessionId
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
