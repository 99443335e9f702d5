import TillCore

/// One cart line joined with its product, as a cart read and a checkout see it on either engine: what
/// the stock check looks at, what the cart shows and what the order's line is made from (price captured
/// now). Every amount is computed with `Money`'s checked arithmetic in the shop's currency.
struct CheckoutLine: Hashable, Sendable {
  var sku: String
  var name: String
  var quantity: Int
  var unitPrice: Int
  var currency: String
  var stock: Int

  var isShort: Bool { quantity > stock }

  /// What the 409 names when stock cannot cover this line.
  var shortage: Shortage { Shortage(sku: sku, requested: quantity, available: stock) }

  /// The product's effective tax rate in basis points.
  var taxRate: Int

  /// What the pricing rule prices, with the line's own discount if any; a product priced in another
  /// currency is refused (no such product passes `CatalogueRules`).
  func pricingLine(in shopCurrency: String, discount: DiscountValue?) throws(StoreError) -> PricingLine {
    guard currency == shopCurrency else {
      let price = Money(amount: unitPrice, currency: currency)
      throw .engine(
        "the line \(sku) (\(quantity) × \(price)) is in \(currency), but the shop's currency is "
          + "\(shopCurrency); amounts are never mixed")
    }
    return PricingLine(
      sku: sku, quantity: quantity, unitPrice: unitPrice, taxRate: taxRate, discount: discount)
  }
}

/// `body`'s amount, or an engine error naming `what` when it cannot be computed. Within `Limits` this
/// never fails: a failure means stored data slipped past `CatalogueRules` (a database filled by an
/// older version or by hand), which is the back end's fault, answered 500 and logged, never a trap.
func checkedAmount(_ what: @autoclosure () -> String, _ body: () throws(MoneyError) -> Money)
  throws(StoreError) -> Money
{
  do throws(MoneyError) {
    return try body()
  } catch {
    switch error {
    case .overflow:
      throw .engine("\(what()) does not fit in a 64-bit integer")
    case .currencyMismatch(let expected, let found):
      throw .engine(
        "\(what()) is in \(found), but the shop's currency is \(expected); amounts are never mixed")
    }
  }
}
