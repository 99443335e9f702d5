/// Fresh random secrets for one run of the embedded back end: nothing is stored, nothing is guessable.
enum Secrets {
  /// `prefix` and 32 hex digits (128 bits from the system's secure generator).
  static func token(_ prefix: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = (0..<2).map { _ in
      let value = generator.next() as UInt64
      let hex = String(value, radix: 16)
      return String(repeating: "0", count: 16 - hex.count) + hex
    }
    return prefix + "-" + digits.joined()
  }
}
