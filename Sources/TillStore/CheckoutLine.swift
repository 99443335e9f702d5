import TillCore

/// One cart line joined with its product as a checkout reads it under the lock, on either engine: what
/// the stock check looks at and what the order's line is made from (price captured now).
struct CheckoutLine {
  var sku: String
  var name: String
  var quantity: Int
  var unitPrice: Int
  var currency: String
  var stock: Int
  var lineTotal: Int { quantity * unitPrice }

  var isShort: Bool { quantity > stock }

  /// What the 409 names when stock cannot cover this line.
  var shortage: Shortage { Shortage(sku: sku, requested: quantity, available: stock) }

  func orderLine(currency: String) -> Order.Line {
    Order.Line(
      sku: sku, name: name, quantity: quantity, unitPrice: Money(amount: unitPrice, currency: currency),
      lineTotal: Money(amount: lineTotal, currency: currency))
  }
}
