import TillCore

/// A discount as a cart stores it: on the line `sku`, or on the whole order when `sku` is nil.
struct CartDiscount: Hashable, Sendable {
  var sku: String?
  var percent: Int?
  var amount: Int?
  var staff: String
  var approvedBy: String?

  var value: DiscountValue? {
    if let percent { return .percent(percent) }
    if let amount { return .amount(amount) }
    return nil
  }

  /// As the cart shows it.
  func shown(in currency: String) -> Discount {
    Discount(
      sku: sku, percent: percent, amount: amount.map { Money(amount: $0, currency: currency) }, staff: staff,
      approvedBy: approvedBy)
  }
}

/// Carts and orders priced by `OrderPricing` from the facts either engine reads: the cart's lines
/// (current prices and effective tax rates) and its discounts. A cart read and the checkout both come
/// through here, so a cart's total is the total its order will store.
enum CartPricing {
  /// The priced lines, in the order of `lines`. A discount on a SKU the cart no longer holds is ignored.
  static func price(
    _ lines: [CheckoutLine], discounts: [CartDiscount], basis: TaxBasis, currency: String,
    what: @autoclosure () -> String
  ) throws(StoreError) -> PricedOrder {
    var lineDiscounts: [String: DiscountValue] = [:]
    var orderDiscount: DiscountValue?
    for discount in discounts {
      if let sku = discount.sku {
        lineDiscounts[sku] = discount.value
      } else {
        orderDiscount = discount.value
      }
    }
    var pricing: [PricingLine] = []
    pricing.reserveCapacity(lines.count)
    for line in lines {
      pricing.append(try line.pricingLine(in: currency, discount: lineDiscounts[line.sku]))
    }
    do throws(MoneyError) {
      return try OrderPricing.price(pricing, orderDiscount: orderDiscount, basis: basis, currency: currency)
    } catch {
      // Within `Limits` nothing overflows: stored data slipped past `CatalogueRules`.
      throw .engine("the figures of \(what()) do not fit in a 64-bit integer")
    }
  }

  /// The discounts to show: those whose line is in the cart (by SKU), then the order's.
  static func shownDiscounts(_ discounts: [CartDiscount], lines: [CheckoutLine], currency: String)
    -> [Discount]
  {
    let skus = Set(lines.map(\.sku))
    let onLines = discounts.filter { $0.sku.map(skus.contains) ?? false }
      .sorted { ($0.sku ?? "") < ($1.sku ?? "") }
    let onOrder = discounts.filter { $0.sku == nil && !lines.isEmpty }
    return (onLines + onOrder).map { $0.shown(in: currency) }
  }

  /// The cart of `lines` (ordered by SKU) and `discounts`, priced.
  static func cart(
    id: String, status: Cart.Status, lines: [CheckoutLine], discounts: [CartDiscount], basis: TaxBasis,
    currency: String
  ) throws(StoreError) -> Cart {
    let priced = try price(lines, discounts: discounts, basis: basis, currency: currency, what: "cart \(id)")
    let money = { (amount: Int) in Money(amount: amount, currency: currency) }
    let cartLines = zip(lines, priced.lines).map { line, figures in
      Cart.Line(
        sku: line.sku, name: line.name, quantity: line.quantity, unitPrice: money(line.unitPrice),
        lineTotal: money(figures.gross), available: line.stock, taxRate: figures.taxRate,
        discount: money(figures.discount))
    }
    return Cart(
      id: id, status: status, lines: cartLines, total: money(priced.total),
      discounts: shownDiscounts(discounts, lines: lines, currency: currency),
      discountTotal: money(priced.discountTotal), taxes: priced.taxes)
  }

  /// The order's lines and figures as checkout stores them.
  static func draft(
    cartId: String, lines: [CheckoutLine], discounts: [CartDiscount], basis: TaxBasis, currency: String
  ) throws(StoreError) -> OrderDraft {
    let priced = try price(
      lines, discounts: discounts, basis: basis, currency: currency, what: "the order of cart \(cartId)")
    let money = { (amount: Int) in Money(amount: amount, currency: currency) }
    let orderLines = zip(lines, priced.lines).map { line, figures in
      Order.Line(
        sku: line.sku, name: line.name, quantity: line.quantity, unitPrice: money(line.unitPrice),
        lineTotal: money(figures.gross), taxRate: figures.taxRate, discount: money(figures.discount),
        net: money(figures.net), tax: money(figures.tax))
    }
    return OrderDraft(
      lines: orderLines, total: money(priced.total), discountTotal: money(priced.discountTotal),
      taxes: priced.taxes, basis: basis)
  }
}

/// The shop's settings every priced cart and order uses: its currency and whether prices include tax.
struct ShopPricing: Hashable, Sendable {
  var currency: String
  var basis: TaxBasis
}
