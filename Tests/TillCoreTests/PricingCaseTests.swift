import Testing
import TillCore

/// The rounding cases behind real complaints about tills, figured by hand: a cent too much or too little
/// tax, a discount cent that vanishes or lands twice, a discount larger than the cart.
@Suite struct PricingCaseTests {
  static func line(
    _ unitPrice: Int, _ quantity: Int = 1, rate: Int = 1900, discount: DiscountValue? = nil, sku: String = "A"
  ) -> PricingLine {
    PricingLine(sku: sku, quantity: quantity, unitPrice: unitPrice, taxRate: rate, discount: discount)
  }

  static func price(
    _ lines: [PricingLine], order: DiscountValue? = nil, basis: TaxBasis = .inclusive
  ) throws -> PricedOrder {
    try OrderPricing.price(lines, orderDiscount: order, basis: basis, currency: "EUR")
  }

  /// (gross or net as priced, rate, basis) → (net, tax, gross) of the one line.
  @Test(arguments: [
    // 19 % included in 1.00: 100 × 1900 / 11900 = 15.97 → 0.16 tax, 0.84 net.
    (100, 1900, TaxBasis.inclusive, 84, 16, 100),
    // 7 % of 0.10: included 10 × 700 / 10700 = 0.65 → 0.01; added 0.70 → 0.01.
    (10, 700, .inclusive, 9, 1, 10),
    (10, 700, .exclusive, 10, 1, 11),
    // 19 % added to 0.01: 0.19 of a cent rounds away.
    (1, 1900, .exclusive, 1, 0, 1),
    (1, 1900, .inclusive, 1, 0, 1),
    // Exactly half a cent rounds up: 5 % of 0.10 added; 100 % included in 0.01 (half of it is tax).
    (10, 500, .exclusive, 10, 1, 11),
    (1, 10_000, .inclusive, 0, 1, 1),
    // 0.49: 49 × 1900 / 11900 = 7.82 → 0.08; added 9.31 → 0.09.
    (49, 1900, .inclusive, 41, 8, 49),
    (49, 1900, .exclusive, 49, 9, 58),
    (0, 1900, .inclusive, 0, 0, 0),
    (100, 0, .exclusive, 100, 0, 100),
  ])
  func oneLineTax(price: Int, rate: Int, basis: TaxBasis, net: Int, tax: Int, gross: Int) throws {
    let line = try Self.price([Self.line(price, rate: rate)], basis: basis).lines[0]
    #expect([line.net, line.tax, line.gross] == [net, tax, gross])
  }

  /// 0.49 beside 0.01 makes a total of 0.50; the tax is taken per line, so 0.16 of a cent on the 0.01 line
  /// rounds away, and the table shows the sums of the lines — never the tax of 0.50 figured again.
  @Test func unitPriceOf049BesideATotalOf050() throws {
    let priced = try Self.price([Self.line(49, sku: "A"), Self.line(1, sku: "B")])
    #expect(priced.total == 50)
    #expect(priced.lines.map(\.tax) == [8, 0])
    #expect(priced.taxes == [TaxTotal(rate: 1900, net: eur(42), tax: eur(8), gross: eur(50))])
    // Three at 0.49 are taxed as one line of 1.47: 23.47 → 0.23, not 3 × 0.08.
    let three = try Self.price([Self.line(49, 3)])
    #expect([three.lines[0].net, three.lines[0].tax, three.total] == [124, 23, 147])
    // Half off 0.49 is 24.5 cents: the discount rounds half-up to 0.25 and the line costs 0.24.
    let half = try Self.price([Self.line(49, discount: .percent(50))])
    #expect([half.lines[0].discount, half.total] == [25, 24])
  }

  /// Percentages of a line round half-up to whole cents.
  @Test(arguments: [
    (5, 10, 1), (49, 50, 25), (50, 33, 17), (49, 1, 0), (50, 1, 1), (150, 1, 2), (149, 1, 1), (999, 100, 999),
    (999, 0, 0), (0, 50, 0),
  ])
  func percentRoundsHalfUp(base: Int, percent: Int, discount: Int) throws {
    let priced = try Self.price([Self.line(base, discount: .percent(percent))])
    #expect(priced.lines[0].discount == discount)
    #expect(priced.discountTotal == discount)
    #expect(priced.total == base - discount)
  }

  @Test func oneCentOverThreeEqualLinesGoesToTheFirst() throws {
    let lines = (0..<3).map { Self.line(100, sku: "L\($0)") }
    #expect(try Self.price(lines, order: .amount(1)).lines.map(\.discount) == [1, 0, 0])
    #expect(try Self.price(lines, order: .amount(2)).lines.map(\.discount) == [2, 0, 0])
    #expect(try Self.price(lines, order: .amount(3)).lines.map(\.discount) == [1, 1, 1])
    // 10 % of 3.00 is 0.30: exactly 0.10 each.
    #expect(try Self.price(lines, order: .percent(10)).lines.map(\.discount) == [10, 10, 10])
  }

  @Test func theLeftoverCentGoesToTheLargestLine() throws {
    let lines = [Self.line(100, sku: "S"), Self.line(300, sku: "L1"), Self.line(300, sku: "L2")]
    // 0.01 × 1/7, 3/7, 3/7 all round down; the cent goes to the first of the two largest.
    #expect(try Self.price(lines, order: .amount(1)).lines.map(\.discount) == [0, 1, 0])
    // 1.00 off 7.00: 14.28, 42.85, 42.85 → 14, 42, 42, and the 2 cents left both fit on the largest.
    #expect(try Self.price(lines, order: .amount(100)).lines.map(\.discount) == [14, 44, 42])
    // Two cents over three one-cent lines: the first has room for one, the next takes the other.
    let cents = (0..<3).map { Self.line(1, sku: "C\($0)") }
    #expect(try Self.price(cents, order: .amount(2)).lines.map(\.discount) == [1, 1, 0])
  }

  @Test func theOrderDiscountAppliesAfterLineDiscountsAndReducesTheTax() throws {
    let lines = [
      Self.line(1_000, rate: 700, discount: .percent(10), sku: "food"),
      Self.line(1_000, rate: 1900, sku: "drink"),
    ]
    let priced = try Self.price(lines, order: .percent(10))
    // 9.00 and 10.00 after the line discount; 10 % of 19.00 = 1.90 spread 0.90 / 1.00.
    #expect(priced.lines.map(\.discount) == [190, 100])
    #expect(priced.lines.map(\.gross) == [810, 900])
    // 8.10 incl. 7 % → 0.53; 9.00 incl. 19 % → 1.44 (143.7 cents).
    #expect(priced.lines.map(\.tax) == [53, 144])
    #expect(priced.taxes.map(\.rate) == [700, 1900])
    #expect(priced.total == 1_710 && priced.discountTotal == 290)
  }

  @Test func amountsLargerThanTheCartTakeItAllAndNoMore() throws {
    let line = try Self.price([Self.line(300, discount: .amount(500))])
    #expect([line.lines[0].discount, line.total, line.lines[0].tax] == [300, 0, 0])
    let cart = [Self.line(150, sku: "A"), Self.line(200, rate: 700, sku: "B")]
    for basis in [TaxBasis.inclusive, .exclusive] {
      let priced = try Self.price(cart, order: .amount(10_000), basis: basis)
      #expect(priced.lines.map(\.discount) == [150, 200])
      #expect(priced.total == 0 && priced.discountTotal == 350)
      #expect(priced.taxes.allSatisfy { $0.net.amount == 0 && $0.tax.amount == 0 && $0.gross.amount == 0 })
    }
    // Out-of-range values the API refuses are clamped by the rule, never priced negative.
    let odd = try Self.price([Self.line(100, discount: .percent(150)), Self.line(100, discount: .amount(-5))])
    #expect(odd.lines.map(\.discount) == [100, 0])
  }

  @Test func emptyAndZeroCarts() throws {
    for discount in [nil, DiscountValue.percent(10), .amount(500)] {
      for basis in [TaxBasis.inclusive, .exclusive] {
        let empty = try Self.price([], order: discount, basis: basis)
        #expect(empty.lines.isEmpty && empty.taxes.isEmpty && empty.total == 0 && empty.discountTotal == 0)
        let zeros = try Self.price(
          [Self.line(0, 3), Self.line(250, 0, rate: 700)], order: discount, basis: basis)
        #expect(zeros.total == 0 && zeros.discountTotal == 0)
        #expect(zeros.taxes.map(\.rate) == [700, 1900])
      }
    }
  }

  @Test func theLargestCartWithinLimitsPricesExactly() throws {
    let lines = (0..<Limits.maxCartLines).map {
      Self.line(Limits.maxUnitPrice, Limits.maxLineQuantity, rate: Limits.maxTaxRate, sku: "L\($0)")
    }
    let inclusive = try Self.price(lines, order: .amount(1))
    #expect(inclusive.total == Limits.maxOrderTotal - 1)
    let exclusive = try Self.price(lines, basis: .exclusive)
    #expect(exclusive.total == 2 * Limits.maxOrderTotal)
    #expect(
      exclusive.taxes == [
        TaxTotal(
          rate: 10_000, net: eur(Limits.maxOrderTotal), tax: eur(Limits.maxOrderTotal),
          gross: eur(2 * Limits.maxOrderTotal))
      ])
  }

  /// Past every limit the rule refuses with `MoneyError.overflow` instead of trapping or wrapping.
  @Test func overflowIsRefusedNeverATrap() throws {
    let cases: [([PricingLine], TaxBasis)] = [
      ([Self.line(Int.max / 2, 3)], .inclusive),
      ([Self.line(Int.max, 2)], .exclusive),
      ([Self.line(Int.max / 2 + 1, sku: "A"), Self.line(Int.max / 2 + 1, sku: "B")], .inclusive),
      // Each line fits; the tax added on top does not.
      ([Self.line(Int.max - 10, rate: 10_000)], .exclusive),
      (
        [Self.line(Int.max / 2, rate: 0, sku: "A"), Self.line(Int.max / 2, rate: 10_000, sku: "B")],
        .exclusive
      ),
      // A negative price is refused the same way.
      ([Self.line(-1)], .inclusive),
    ]
    for (lines, basis) in cases {
      #expect(throws: MoneyError.overflow) {
        try OrderPricing.price(lines, orderDiscount: .percent(10), basis: basis, currency: "EUR")
      }
    }
    // Huge but fitting: priced in double width without a trap (the tax included at 100 % in Int.max).
    let priced = try OrderPricing.price(
      [Self.line(Int.max, rate: 10_000)], orderDiscount: .percent(1), basis: .inclusive, currency: "EUR")
    #expect(priced.lines[0].net + priced.lines[0].tax == priced.lines[0].gross)
    #expect(priced.lines[0].discount == Int.max / 100)
  }
}

private func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
