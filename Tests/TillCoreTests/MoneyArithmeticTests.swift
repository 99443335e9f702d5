import Testing
import TillCore

@Suite("Checked money arithmetic and the bounds that make it unnecessary")
struct MoneyArithmeticTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  @Test func productsThatFitAreExact() throws {
    #expect(try Self.eur(1_000_000_000).times(9_999) == Self.eur(9_999_000_000_000))
    #expect(try Self.eur(Int.max).times(1) == Self.eur(Int.max))
    #expect(try Self.eur(250).times(0) == Self.eur(0))
  }

  @Test(arguments: [
    (Int.max, 2), (1_000_000_000_000_000, 9_999), (Int.min, -1), (4_611_686_018_427_387_904, 2),
  ])
  func productsThatOverflowAreRefused(amount: Int, quantity: Int) {
    #expect(throws: MoneyError.overflow) { try Self.eur(amount).times(quantity) }
  }

  @Test func sumsAndDifferencesAreChecked() throws {
    #expect(try Self.eur(Int.max - 1).adding(Self.eur(1)) == Self.eur(Int.max))
    #expect(throws: MoneyError.overflow) { try Self.eur(Int.max).adding(Self.eur(1)) }
    #expect(try Self.eur(10_000_000_000).subtracting(Self.eur(9_999)) == Self.eur(9_999_990_001))
    #expect(throws: MoneyError.overflow) { try Self.eur(Int.min).subtracting(Self.eur(1)) }
    #expect(throws: MoneyError.overflow) { try Money.sum([Self.eur(Int.max), Self.eur(1)], currency: "EUR") }
  }

  @Test func amountsOfTwoCurrenciesAreNeverAdded() throws {
    let usd = Money(amount: 500, currency: "USD")
    #expect(throws: MoneyError.currencyMismatch(expected: "EUR", found: "USD")) {
      try Money.sum([Self.eur(300), usd], currency: "EUR")
    }
    #expect(throws: MoneyError.currencyMismatch(expected: "EUR", found: "USD")) {
      try Self.eur(300).adding(usd)
    }
    #expect(throws: MoneyError.currencyMismatch(expected: "EUR", found: "USD")) {
      try Self.eur(300).subtracting(usd)
    }
    // A sum in the shop's currency refuses even a single amount in another one.
    #expect(throws: MoneyError.currencyMismatch(expected: "EUR", found: "USD")) {
      try Money.sum([usd], currency: "EUR")
    }
    #expect(try Money.sum([Money](), currency: "EUR") == Self.eur(0))
    #expect(try Money.sum([Self.eur(300), Self.eur(500)], currency: "EUR") == Self.eur(800))
  }

  @Test func theLargestTotalFitsWithRoomToSpare() throws {
    #expect(Limits.maxUnitPrice == 1_000_000_000)
    #expect(Limits.maxLineTotal == 9_999_000_000_000)
    #expect(Limits.maxOrderTotal == 1_999_800_000_000_000)
    // The largest cart computed the way the stores compute it: every line at the largest total.
    let line = try Self.eur(Limits.maxUnitPrice).times(Limits.maxLineQuantity)
    let total = try Money.sum(Array(repeating: line, count: Limits.maxCartLines), currency: "EUR")
    #expect(total == Self.eur(Limits.maxOrderTotal))
    #expect(Limits.maxOrderTotal < Int.max / 4_000)
    // Change is tendered − total with both in 0...maxTenderAmount.
    #expect(try Self.eur(Limits.maxTenderAmount).subtracting(Self.eur(0)) == Self.eur(Limits.maxTenderAmount))
  }

  @Test func skus() {
    #expect(Identifiers.isValidSKU("BAK-001"))
    #expect(Identifiers.isValidSKU("ÄÖ-1"))
    #expect(Identifiers.isValidSKU("sp ace"))
    #expect(Identifiers.isValidSKU("a/b%2F"))
    #expect(Identifiers.isValidSKU(String(repeating: "x", count: 64)))
    #expect(Identifiers.isValidSKU(String(repeating: "ö", count: 32)))
    #expect(!Identifiers.isValidSKU(""))
    #expect(!Identifiers.isValidSKU(String(repeating: "x", count: 65)))
    #expect(!Identifiers.isValidSKU(String(repeating: "x", count: 100)))
    #expect(!Identifiers.isValidSKU(String(repeating: "ö", count: 33)))
    #expect(!Identifiers.isValidSKU("line\nbreak"))
    #expect(!Identifiers.isValidSKU("nul\u{0}"))
    #expect(!Identifiers.isValidSKU("del\u{7F}"))
    #expect(!Identifiers.isValidSKU("c1\u{85}"))
  }
}
