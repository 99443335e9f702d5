/// A server-side cart. Quantities change only through increment operations.
public struct Cart: Codable, Hashable, Sendable {
  public enum Status: String, Codable, Hashable, Sendable {
    case open
    case checkedOut = "checked_out"
  }

  public struct Line: Codable, Hashable, Sendable {
    public var sku: String
    public var name: String
    public var quantity: Int
    public var unitPrice: Money
    public var lineTotal: Money
    /// Live stock of the product when the cart was read.
    public var available: Int
    /// The product's tax rate in basis points.
    public var taxRate: Int
    /// The line's own discount plus its share of the order's discount; `lineTotal` is after it.
    public var discount: Money

    public init(
      sku: String, name: String, quantity: Int, unitPrice: Money, lineTotal: Money, available: Int,
      taxRate: Int = 0, discount: Money? = nil
    ) {
      self.sku = sku
      self.name = name
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.lineTotal = lineTotal
      self.available = available
      self.taxRate = taxRate
      self.discount = discount ?? .zero(unitPrice.currency)
    }
  }

  public var id: String
  public var status: Status
  public var lines: [Line]
  /// What the cart costs now, after every discount (the sum of the lines' `lineTotal`), priced by
  /// `OrderPricing` exactly as checkout will price it.
  public var total: Money
  /// The discounts given on this cart, line discounts first (by SKU), then the order's.
  public var discounts: [Discount]
  public var discountTotal: Money
  public var taxes: [TaxTotal]

  public init(
    id: String, status: Status, lines: [Line], total: Money, discounts: [Discount] = [],
    discountTotal: Money? = nil, taxes: [TaxTotal] = []
  ) {
    self.id = id
    self.status = status
    self.lines = lines
    self.total = total
    self.discounts = discounts
    self.discountTotal = discountTotal ?? .zero(total.currency)
    self.taxes = taxes
  }
}

/// `POST /v1/carts/{id}/increments`: add `delta` (may be negative) to one line, atomically.
///
/// The same `opId` is applied once however often it arrives, so a retry can never double an edit.
public struct IncrementRequest: Codable, Hashable, Sendable {
  public var sku: String
  public var delta: Int
  public var opId: String

  public init(sku: String, delta: Int, opId: String) {
    self.sku = sku
    self.delta = delta
    self.opId = opId
  }
}
