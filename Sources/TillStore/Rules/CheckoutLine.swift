import TillCore

/// One cart line joined with its product, as a cart read and a checkout see it on either engine: what
/// the stock check looks at, what the cart shows and what the order's line is made from (price captured
/// now). Every amount is computed with `Money`'s checked arithmetic in the shop's currency.
struct CheckoutLine {
  var sku: String
  var name: String
  var quantity: Int
  var unitPrice: Int
  var currency: String
  var stock: Int

  var isShort: Bool { quantity > stock }

  /// What the 409 names when stock cannot cover this line.
  var shortage: Shortage { Shortage(sku: sku, requested: quantity, available: stock) }

  /// The unit price and `quantity ×` it, in `shopCurrency`; a product priced in another currency or a
  /// total that does not fit in 64 bits is refused (neither passes `CatalogueRules`).
  func amounts(in shopCurrency: String) throws(StoreError) -> (unitPrice: Money, lineTotal: Money) {
    let price = Money(amount: unitPrice, currency: currency)
    let lineTotal = try checkedAmount("the line \(sku) (\(quantity) × \(price))") {
      () throws(MoneyError) -> Money in
      guard currency == shopCurrency else {
        throw MoneyError.currencyMismatch(expected: shopCurrency, found: currency)
      }
      return try price.times(quantity)
    }
    return (price, lineTotal)
  }

  func cartLine(in shopCurrency: String) throws(StoreError) -> Cart.Line {
    let (price, lineTotal) = try amounts(in: shopCurrency)
    return Cart.Line(
      sku: sku, name: name, quantity: quantity, unitPrice: price, lineTotal: lineTotal, available: stock)
  }

  func orderLine(in shopCurrency: String) throws(StoreError) -> Order.Line {
    let (price, lineTotal) = try amounts(in: shopCurrency)
    return Order.Line(sku: sku, name: name, quantity: quantity, unitPrice: price, lineTotal: lineTotal)
  }

  /// A cart of `lines` (in the order given) with their total in `shopCurrency`.
  static func cart(id: String, status: Cart.Status, lines: [CheckoutLine], shopCurrency: String)
    throws(StoreError) -> Cart
  {
    var cartLines: [Cart.Line] = []
    cartLines.reserveCapacity(lines.count)
    for line in lines { cartLines.append(try line.cartLine(in: shopCurrency)) }
    let total = try total(of: cartLines.map(\.lineTotal), in: shopCurrency, what: "cart \(id)")
    return Cart(id: id, status: status, lines: cartLines, total: total)
  }

  /// The sum of `lineTotals` in `shopCurrency`, refused rather than wrapped or mixed.
  static func total(of lineTotals: [Money], in shopCurrency: String, what: @autoclosure () -> String)
    throws(StoreError) -> Money
  {
    try checkedAmount("the total of \(what())") { () throws(MoneyError) -> Money in
      try Money.sum(lineTotals, currency: shopCurrency)
    }
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
