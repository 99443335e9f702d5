import Testing

@testable import TillPaymentSandbox

@Suite("Decimal amounts without floating point")
struct AmountTests {
  @Test(
    "plain decimals parse to exact minor units",
    arguments: [
      ("12.50", "EUR", 1250), ("12.5", "EUR", 1250), ("12", "EUR", 1200), ("0.01", "EUR", 1),
      ("007.10", "EUR", 710), ("999999999999.99", "EUR", 99_999_999_999_999), ("1200", "JPY", 1200),
      ("0.5", "KWD", 500), ("1.234", "KWD", 1234),
    ])
  func parses(text: String, currency: String, minorUnits: Int) {
    #expect(Amount.parse(text, currency: currency) == Amount(minorUnits: minorUnits, currency: currency))
  }

  @Test(
    "anything but a plain positive decimal is refused",
    arguments: [
      ("12.5.0", "EUR"), ("-1", "EUR"), ("abc", "EUR"), ("1e3", "EUR"), ("", "EUR"), ("0", "EUR"),
      ("0.00", "EUR"), ("1.234", "EUR"), ("1.", "EUR"), (".5", "EUR"), ("+1", "EUR"), (" 1", "EUR"),
      ("1_000", "EUR"), ("1234567890123", "EUR"), ("12.5", "JPY"), ("1.2345", "KWD"), ("12.50", "eur"),
      ("12.50", "EU"), ("٣", "EUR"), ("１", "EUR"),
    ])
  func refuses(text: String, currency: String) {
    #expect(Amount.parse(text, currency: currency) == nil)
  }

  @Test(
    "the canonical string has the currency's fraction digits",
    arguments: [(1250, "EUR", "12.50"), (5, "EUR", "0.05"), (1200, "JPY", "1200"), (500, "KWD", "0.500")])
  func formats(minorUnits: Int, currency: String, text: String) {
    #expect(Amount(minorUnits: minorUnits, currency: currency).value == text)
  }
}
