/// An amount of money as the sandbox stores it: integer minor units of one currency.
///
/// The wire carries amounts as decimal strings ("12.50"); they are parsed digit by digit into
/// integers so that no floating-point value ever holds money.
struct Amount: Equatable, Sendable {
  /// Amount in minor units, e.g. 1250 for "12.50" EUR.
  var minorUnits: Int
  /// ISO 4217 code, e.g. "EUR".
  var currency: String

  /// The largest whole part accepted; keeps every amount far away from `Int` overflow.
  static let maximumWholeDigits = 12

  /// Number of minor-unit digits of an ISO 4217 currency (2 unless it has none or three).
  static func minorDigits(of currency: String) -> Int {
    switch currency {
    case "JPY", "KRW", "ISK", "CLP", "VND": return 0
    case "BHD", "KWD", "OMR", "JOD", "TND": return 3
    default: return 2
    }
  }

  /// Whether `code` looks like an ISO 4217 code: exactly three ASCII capital letters.
  static func isCurrencyCode(_ code: String) -> Bool {
    code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
  }

  /// Parses a plain, positive decimal string such as "12", "12.5" or "12.50".
  ///
  /// Returns nil for anything else: signs, exponents, spaces, more fraction digits than the currency
  /// has, a dangling or repeated ".", an empty string, zero, or more than ``maximumWholeDigits``
  /// whole digits.
  static func parse(_ text: String, currency: String) -> Amount? {
    guard isCurrencyCode(currency) else { return nil }
    let digits = minorDigits(of: currency)
    let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 1 || (parts.count == 2 && digits > 0) else { return nil }
    let whole = parts[0]
    // An empty suffix stands for "no fraction" so both cases share one type.
    let fraction = parts.count == 2 ? parts[1] : whole.suffix(0)
    guard !whole.isEmpty, whole.count <= maximumWholeDigits, fraction.count <= digits else { return nil }
    if parts.count == 2 && fraction.isEmpty { return nil }
    guard let wholeValue = decimalValue(whole), let fractionValue = decimalValue(fraction) else { return nil }
    var fractionScaled = fractionValue
    for _ in fraction.count..<digits { fractionScaled *= 10 }
    let amount = wholeValue * power10(digits) + fractionScaled
    guard amount > 0 else { return nil }
    return Amount(minorUnits: amount, currency: currency)
  }

  /// The canonical decimal string, always with the currency's number of fraction digits ("12.50").
  var value: String {
    let digits = Amount.minorDigits(of: currency)
    guard digits > 0 else { return String(minorUnits) }
    let scale = Amount.power10(digits)
    let fraction = String(minorUnits % scale)
    return "\(minorUnits / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
  }

  /// Value of a run of ASCII digits (0 for an empty run); nil if any byte is not a digit.
  private static func decimalValue(_ bytes: some Collection<UInt8>) -> Int? {
    var result = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      result = result * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return result
  }

  private static func power10(_ exponent: Int) -> Int {
    var result = 1
    for _ in 0..<exponent { result *= 10 }
    return result
  }
}
