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

    public init(sku: String, name: String, quantity: Int, unitPrice: Money, lineTotal: Money, available: Int)
    {
      self.sku = sku
      self.name = name
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.lineTotal = lineTotal
      self.available = available
    }
  }

  public var id: String
  public var status: Status
  public var lines: [Line]
  public var total: Money

  public init(id: String, status: Status, lines: [Line], total: Money) {
    self.id = id
    self.status = status
    self.lines = lines
    self.total = total
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
