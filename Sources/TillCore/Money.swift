/// An amount of money in minor units (cents) of one currency.
///
/// Money is always an integer: no floating point is ever used to hold or compute it.
public struct Money: Codable, Hashable, Sendable, CustomStringConvertible {
  /// Amount in the currency's minor units, e.g. 1250 for 12.50 EUR.
  public var amount: Int
  /// ISO 4217 code, e.g. "EUR".
  public var currency: String

  public init(amount: Int, currency: String) {
    self.amount = amount
    self.currency = currency
  }

  public static func zero(_ currency: String) -> Money { Money(amount: 0, currency: currency) }

  /// Number of minor-unit digits of an ISO 4217 currency (2 unless the currency has none or three).
  public static func minorDigits(of currency: String) -> Int {
    switch currency {
    case "JPY", "KRW", "ISK", "CLP", "VND": return 0
    case "BHD", "KWD", "OMR", "JOD", "TND": return 3
    default: return 2
    }
  }

  /// The amount as a decimal string without a currency, e.g. "12.50" or "-0.05".
  public var decimalString: String {
    let digits = Money.minorDigits(of: currency)
    guard digits > 0 else { return String(amount) }
    var divisor = 1
    for _ in 0..<digits { divisor *= 10 }
    let magnitude = amount.magnitude
    let whole = magnitude / UInt(divisor)
    let fraction = String(magnitude % UInt(divisor))
    let padded = String(repeating: "0", count: digits - fraction.count) + fraction
    return (amount < 0 ? "-" : "") + "\(whole).\(padded)"
  }

  /// Parses a decimal string such as "12.5" or "12.50" into minor units; nil when it is not a plain
  /// non-negative decimal with at most the currency's number of fraction digits.
  public static func parse(_ text: String, currency: String) -> Money? {
    let digits = minorDigits(of: currency)
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 1 || (parts.count == 2 && digits > 0) else { return nil }
    let wholeText = parts[0]
    let fractionText = parts.count == 2 ? parts[1] : ""
    guard !wholeText.isEmpty, wholeText.count <= 12, fractionText.count <= digits,
      wholeText.allSatisfy(\.isASCIIDigit), fractionText.allSatisfy(\.isASCIIDigit),
      let whole = Int(wholeText)
    else { return nil }
    if parts.count == 2 && fractionText.isEmpty { return nil }
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let paddedFraction = fractionText + String(repeating: "0", count: digits - fractionText.count)
    let fraction = paddedFraction.isEmpty ? 0 : (Int(paddedFraction) ?? 0)
    return Money(amount: whole * scale + fraction, currency: currency)
  }

  public var description: String { "\(decimalString) \(currency)" }
}

extension Character {
  var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
