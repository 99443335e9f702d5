/// Whether catalogue prices include tax. European retail prices do (the default): the shelf price is
/// what the customer pays and the tax is taken out of it. Prices without tax get the tax added on top.
public enum TaxBasis: String, Codable, Hashable, Sendable {
  case inclusive, exclusive
}

/// A discount as the pricing rule applies it: a whole percentage (0–100) of what it applies to, or an
/// amount in minor units (never more than what it applies to).
public enum DiscountValue: Hashable, Sendable {
  case percent(Int)
  case amount(Int)
}

/// One line to price: `quantity × unitPrice` (minor units, in the basis the shop's prices use) taxed at
/// `taxRate` basis points, with its own discount if any.
public struct PricingLine: Hashable, Sendable {
  public var sku: String
  public var quantity: Int
  public var unitPrice: Int
  public var taxRate: Int
  public var discount: DiscountValue?

  public init(sku: String, quantity: Int, unitPrice: Int, taxRate: Int, discount: DiscountValue? = nil) {
    self.sku = sku
    self.quantity = quantity
    self.unitPrice = unitPrice
    self.taxRate = taxRate
    self.discount = discount
  }
}

/// A priced line: every figure in minor units, `net + tax == gross`, `gross` being what the line costs.
public struct PricedLine: Hashable, Sendable {
  public var sku: String
  public var taxRate: Int
  /// `quantity × unitPrice`, before any discount.
  public var base: Int
  /// The line's own discount plus its share of the order's discount.
  public var discount: Int
  public var net: Int
  public var tax: Int
  public var gross: Int
}

/// Per-rate totals: the sums of the stored line figures of that rate (never taxed again as a whole).
public struct TaxTotal: Codable, Hashable, Sendable {
  public var rate: Int
  public var net: Money
  public var tax: Money
  public var gross: Money

  public init(rate: Int, net: Money, tax: Money, gross: Money) {
    self.rate = rate
    self.net = net
    self.tax = tax
    self.gross = gross
  }
}

/// A priced cart or order: its lines in the order given, the per-rate table (ascending rate), the sum of
/// every discount and the total (the sum of the lines' `gross`).
public struct PricedOrder: Hashable, Sendable {
  public var lines: [PricedLine]
  public var taxes: [TaxTotal]
  public var discountTotal: Int
  public var total: Int
}

/// The one pricing rule of Till, used for carts, orders, receipts and reports alike.
///
/// 1. A line's base is `quantity × unitPrice`.
/// 2. Its own discount: a percentage of the base rounded half-up, or an amount, never above the base.
/// 3. The order discount applies to what the lines cost after their own discounts: a percentage of
///    their sum rounded half-up, or an amount, never above that sum. It is spread over the lines in
///    proportion to that value, each share rounded down; the cents left over go to the largest line
///    (ties: the first in the order given), then the next largest while the largest is used up, so no
///    line's discount ever exceeds its base.
/// 4. Tax per line at its rate, rounded half-up once per line. Prices with tax included: the discounted
///    line is the gross, `tax = gross × rate / (10 000 + rate)` and `net = gross − tax`. Prices without
///    tax: the discounted line is the net, `tax = net × rate / 10 000`, `gross = net + tax`.
/// 5. Per-rate totals are sums of line figures; the total is the sum of the lines' gross.
///
/// Every figure is exact integer arithmetic in minor units; anything that would not fit in 64 bits is
/// refused with `MoneyError.overflow` rather than wrapped.
public enum OrderPricing {
  public static let basisPointsPerWhole = 10_000

  public static func price(
    _ lines: [PricingLine], orderDiscount: DiscountValue?, basis: TaxBasis, currency: String
  ) throws(MoneyError) -> PricedOrder {
    var bases: [Int] = []
    var afterLine: [Int] = []
    for line in lines {
      let (base, overflow) = line.unitPrice.multipliedReportingOverflow(by: max(0, line.quantity))
      guard !overflow, base >= 0 else { throw .overflow }
      bases.append(base)
      afterLine.append(base - discountAmount(line.discount, of: base))
    }
    let shares = try spread(orderDiscount, over: afterLine)
    var priced: [PricedLine] = []
    priced.reserveCapacity(lines.count)
    for (index, line) in lines.enumerated() {
      let value = afterLine[index] - shares[index]
      let rate = min(max(0, line.taxRate), basisPointsPerWhole)
      let net: Int
      let tax: Int
      let gross: Int
      switch basis {
      case .inclusive:
        gross = value
        tax = mulDivHalfUp(value, rate, basisPointsPerWhole + rate)
        net = gross - tax
      case .exclusive:
        net = value
        tax = mulDivHalfUp(value, rate, basisPointsPerWhole)
        let (sum, overflow) = net.addingReportingOverflow(tax)
        guard !overflow else { throw .overflow }
        gross = sum
      }
      priced.append(
        PricedLine(
          sku: line.sku, taxRate: rate, base: bases[index], discount: bases[index] - value, net: net,
          tax: tax, gross: gross))
    }
    return PricedOrder(
      lines: priced, taxes: try taxTable(priced, currency: currency),
      discountTotal: try checkedSum(priced.map(\.discount)), total: try checkedSum(priced.map(\.gross)))
  }

  /// The amount `discount` takes off `value` (non-negative): never more than `value`.
  public static func discountAmount(_ discount: DiscountValue?, of value: Int) -> Int {
    switch discount {
    case nil: return 0
    case .percent(let percent): return mulDivHalfUp(value, min(max(0, percent), 100), 100)
    case .amount(let amount): return min(max(0, amount), value)
    }
  }

  /// `value × numerator / denominator` rounded half-up, for `0 ≤ numerator ≤ denominator`, computed in
  /// double width so it cannot overflow (the result is never above `value`).
  static func mulDivHalfUp(_ value: Int, _ numerator: Int, _ denominator: Int) -> Int {
    guard value > 0, numerator > 0 else { return 0 }
    let product = value.multipliedFullWidth(by: numerator)
    let (quotient, remainder) = denominator.dividingFullWidth(product)
    return remainder * 2 >= denominator ? quotient + 1 : quotient
  }

  /// Each line's share of the order discount (see rule 3).
  static func spread(_ discount: DiscountValue?, over values: [Int]) throws(MoneyError) -> [Int] {
    let sum = try checkedSum(values)
    let total = discountAmount(discount, of: sum)
    guard total > 0 else { return values.map { _ in 0 } }
    var shares = values.map { value in
      let product = total.multipliedFullWidth(by: value)
      return sum.dividingFullWidth(product).quotient
    }
    var left = total - shares.reduce(0, +)
    let largestFirst = values.indices.sorted {
      values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1)
    }
    for index in largestFirst where left > 0 {
      let room = values[index] - shares[index]
      let extra = min(room, left)
      shares[index] += extra
      left -= extra
    }
    return shares
  }

  static func checkedSum(_ values: [Int]) throws(MoneyError) -> Int {
    var total = 0
    for value in values {
      let (sum, overflow) = total.addingReportingOverflow(value)
      guard !overflow else { throw .overflow }
      total = sum
    }
    return total
  }

  static func taxTable(_ lines: [PricedLine], currency: String) throws(MoneyError) -> [TaxTotal] {
    let rates = Set(lines.map(\.taxRate)).sorted()
    var table: [TaxTotal] = []
    for rate in rates {
      let ofRate = lines.filter { $0.taxRate == rate }
      table.append(
        TaxTotal(
          rate: rate, net: Money(amount: try checkedSum(ofRate.map(\.net)), currency: currency),
          tax: Money(amount: try checkedSum(ofRate.map(\.tax)), currency: currency),
          gross: Money(amount: try checkedSum(ofRate.map(\.gross)), currency: currency)))
    }
    return table
  }
}
