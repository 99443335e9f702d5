import Foundation
import Testing
import TillCore
import TillFuzzing

/// Seeded random carts priced by `OrderPricing`, each checked against the rule written out again in
/// plain integer arithmetic. Values stay within `Limits` (as the API enforces), with edges on purpose:
/// zero prices and quantities, 0 % and 100 %, amounts larger than what they apply to, empty carts.
/// Reproducible: the run's seed is printed and named in every failure; `TILL_FUZZ_SEED=n` replays it.
@Suite struct PricingPropertyTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0015
  static let cartsPerBasis = 4_000

  @Test(arguments: [TaxBasis.inclusive, .exclusive])
  func randomCartsKeepEveryInvariant(basis: TaxBasis) throws {
    var random = SplitMix64(seed: Self.seed ^ (basis == .inclusive ? 0x11 : 0xE5))
    var failures: [String] = []
    var discounted = 0
    var largest = 0
    for index in 0..<Self.cartsPerBasis {
      let lines = Self.randomCart(&random)
      let orderDiscount = Self.randomDiscount(&random, typical: 5_000)
      let priced = try OrderPricing.price(lines, orderDiscount: orderDiscount, basis: basis, currency: "EUR")
      let problems = Self.violations(lines, orderDiscount, basis, priced)
      if !problems.isEmpty {
        failures.append(
          "cart \(index) (TILL_FUZZ_SEED=\(Self.seed)): \(problems.joined(separator: "; "))\n"
            + "  lines \(lines)\n  order discount \(String(describing: orderDiscount))")
      }
      if priced.discountTotal > 0 { discounted += 1 }
      largest = max(largest, priced.total)
      // The same inputs always price the same: the cart and the checkout agree.
      let again = try OrderPricing.price(lines, orderDiscount: orderDiscount, basis: basis, currency: "EUR")
      if again != priced { failures.append("cart \(index) (TILL_FUZZ_SEED=\(Self.seed)): not deterministic") }
    }
    print(
      "PricingPropertyTests \(basis) TILL_FUZZ_SEED=\(Self.seed) carts=\(Self.cartsPerBasis) "
        + "discounted=\(discounted) largest total=\(largest) failures=\(failures.count)")
    #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    // The generator reaches both small and large carts and discounts, or the run proves little.
    #expect(discounted > Self.cartsPerBasis / 4)
    #expect(largest > 1_000_000_000_000)
  }

  // MARK: the generator

  static func randomCart(_ random: inout SplitMix64) -> [PricingLine] {
    let count: Int
    switch random.below(20) {
    case 0: count = 0
    case 1: count = Limits.maxCartLines
    case 2...4: count = 1 + random.below(Limits.maxCartLines)
    default: count = 1 + random.below(8)
    }
    return (0..<count).map { index in
      let quantity: Int
      switch random.below(12) {
      case 0: quantity = 0
      case 1: quantity = Limits.maxLineQuantity
      case 2: quantity = random.below(Limits.maxLineQuantity + 1)
      default: quantity = 1 + random.below(6)
      }
      let unitPrice: Int
      switch random.below(12) {
      case 0: unitPrice = 0
      case 1: unitPrice = Limits.maxUnitPrice
      case 2: unitPrice = random.below(Limits.maxUnitPrice + 1)
      case 3: unitPrice = 1 + random.below(9)
      default: unitPrice = 1 + random.below(5_000)
      }
      let rates = [0, 700, 1900, 550, 2000, 2100, 1, 9_999, Limits.maxTaxRate]
      let taxRate =
        random.below(4) == 0 ? random.below(Limits.maxTaxRate + 1) : rates[random.below(rates.count)]
      let discount = random.below(3) == 0 ? randomDiscount(&random, typical: quantity * unitPrice) : nil
      return PricingLine(
        sku: "SKU-\(index)", quantity: quantity, unitPrice: unitPrice, taxRate: taxRate, discount: discount)
    }
  }

  /// A percentage (0–100, edges often) or an amount (up to half again the `typical` value it applies to).
  static func randomDiscount(_ random: inout SplitMix64, typical: Int) -> DiscountValue? {
    switch random.below(6) {
    case 0, 1: return nil
    case 2: return .percent([0, 1, 10, 33, 50, 99, 100][random.below(7)])
    case 3: return .percent(random.below(101))
    case 4: return .amount(random.below(max(1, typical + typical / 2) + 1))
    default: return .amount([0, 1, 2, 3][random.below(4)])
    }
  }

  // MARK: the rule written out again

  /// `value × percent / 100` rounded half-up, in plain arithmetic (values within `Limits` fit).
  static func percentHalfUp(_ value: Int, _ percent: Int) -> Int { (2 * value * percent + 100) / 200 }

  static func taken(_ discount: DiscountValue?, of value: Int) -> Int {
    switch discount {
    case nil: 0
    case .percent(let percent): percentHalfUp(value, percent)
    case .amount(let amount): min(amount, value)
    }
  }

  /// Everything `priced` gets wrong about `lines`, as readable sentences.
  static func violations(
    _ lines: [PricingLine], _ orderDiscount: DiscountValue?, _ basis: TaxBasis, _ priced: PricedOrder
  ) -> [String] {
    var found: [String] = []
    guard priced.lines.count == lines.count else { return ["\(priced.lines.count) lines priced"] }
    let afterOwn = lines.map { line in
      let base = line.quantity * line.unitPrice
      return base - taken(line.discount, of: base)
    }
    let sumAfterOwn = afterOwn.reduce(0, +)
    let orderTotalDiscount = taken(orderDiscount, of: sumAfterOwn)
    var shares: [Int] = []
    for (index, (line, result)) in zip(lines, priced.lines).enumerated() {
      let base = line.quantity * line.unitPrice
      let share = afterOwn[index] - (base - result.discount)
      shares.append(share)
      let rate = line.taxRate
      if result.sku != line.sku || result.taxRate != rate { found.append("line \(index) lost sku or rate") }
      if result.base != base { found.append("line \(index) base \(result.base) ≠ \(base)") }
      if result.discount < 0 || result.discount > base {
        found.append("line \(index) discount \(result.discount) outside 0...\(base)")
      }
      if share < 0 || share > afterOwn[index] {
        found.append("line \(index) order share \(share) outside 0...\(afterOwn[index])")
      }
      if result.net + result.tax != result.gross || result.net < 0 || result.tax < 0 {
        found.append("line \(index) net \(result.net) + tax \(result.tax) ≠ gross \(result.gross)")
      }
      let value = base - result.discount
      switch basis {
      case .inclusive:
        let tax = (2 * value * rate + 10_000 + rate) / (2 * (10_000 + rate))
        if result.gross != value || result.tax != tax {
          found.append("line \(index) gross \(result.gross) tax \(result.tax), expected \(value) \(tax)")
        }
      case .exclusive:
        let tax = (2 * value * rate + 10_000) / 20_000
        if result.net != value || result.tax != tax {
          found.append("line \(index) net \(result.net) tax \(result.tax), expected \(value) \(tax)")
        }
      }
    }
    if shares.reduce(0, +) != orderTotalDiscount {
      found.append("order discount shares \(shares.reduce(0, +)) ≠ \(orderTotalDiscount)")
    }
    found += spreadViolations(shares, of: orderTotalDiscount, over: afterOwn)
    found += totalViolations(priced)
    return found
  }

  /// Shares are each line's proportional part rounded down; the few cents left over go to the largest
  /// lines first (ties: the earlier line), each line taking as many as it has room for.
  static func spreadViolations(_ shares: [Int], of total: Int, over values: [Int]) -> [String] {
    let sum = values.reduce(0, +)
    guard sum > 0 else { return shares.allSatisfy { $0 == 0 } ? [] : ["shares of an empty cart"] }
    // total × value can pass 64 bits (2 × 10^15 × 10^13), so the proportional part is taken in double width.
    var extras = zip(shares, values).map { share, value in
      share - sum.dividingFullWidth(total.multipliedFullWidth(by: value)).quotient
    }
    var found: [String] = []
    if extras.contains(where: { $0 < 0 }) { found.append("a share below its proportional part") }
    let leftover = extras.reduce(0, +)
    if leftover >= max(1, values.count) { found.append("leftover \(leftover) ≥ line count") }
    let largestFirst = values.indices.sorted {
      values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1)
    }
    var left = leftover
    for index in largestFirst {
      let room = values[index] - (shares[index] - extras[index])
      let expected = min(room, left)
      if extras[index] != expected {
        found.append("line \(index) got \(extras[index]) leftover cents, expected \(expected)")
      }
      left -= expected
      extras[index] = 0
    }
    return found
  }

  /// The per-rate table holds the sums of the line figures of each rate; the totals are line sums.
  static func totalViolations(_ priced: PricedOrder) -> [String] {
    var found: [String] = []
    if priced.total != priced.lines.map(\.gross).reduce(0, +) { found.append("total ≠ Σ gross") }
    if priced.discountTotal != priced.lines.map(\.discount).reduce(0, +) {
      found.append("discount total ≠ Σ discounts")
    }
    let rates = Set(priced.lines.map(\.taxRate)).sorted()
    if priced.taxes.map(\.rate) != rates { found.append("tax table rates \(priced.taxes.map(\.rate))") }
    for row in priced.taxes {
      let lines = priced.lines.filter { $0.taxRate == row.rate }
      let expected = [lines.map(\.net), lines.map(\.tax), lines.map(\.gross)].map { $0.reduce(0, +) }
      if [row.net, row.tax, row.gross].map(\.amount) != expected
        || [row.net, row.tax, row.gross].contains(where: { $0.currency != "EUR" })
      {
        found.append("tax row \(row.rate): \(row) ≠ \(expected)")
      }
    }
    if priced.taxes.map(\.gross.amount).reduce(0, +) != priced.total { found.append("Σ table gross ≠ total") }
    return found
  }
}
