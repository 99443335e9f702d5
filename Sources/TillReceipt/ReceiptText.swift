import Foundation

/// Text helpers of the receipt layout. Widths count characters (`Character`s), not bytes: a receipt
/// printer prints one code-page byte per character, and "Brötchen" is eight columns on paper and screen.
enum ReceiptText {
  /// `text` in composed form (so "o" + combining diaeresis is the one character "ö" the code page has)
  /// with control characters (line breaks, escapes) shown as `?`: data never moves the layout and never
  /// reaches a printer as a command.
  static func clean(_ text: String) -> String {
    let composed = text.precomposedStringWithCanonicalMapping
    var out = ""
    for character in composed {
      let isControl = character.unicodeScalars.contains { scalar in
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      }
      out.append(isControl ? "?" : character)
    }
    return out
  }

  /// `text` broken into rows of at most `width` characters, at spaces where it can be and inside a word
  /// only when the word alone is longer than a row.
  static func wrap(_ text: String, width: Int) -> [String] {
    let width = max(1, width)
    var rows: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      var word = String(word)
      if !current.isEmpty && current.count + 1 + word.count <= width {
        current += " " + word
        continue
      }
      if !current.isEmpty { rows.append(current) }
      while word.count > width {
        rows.append(String(word.prefix(width)))
        word = String(word.dropFirst(width))
      }
      current = word
    }
    if !current.isEmpty || rows.isEmpty { rows.append(current) }
    return rows
  }

  /// At most `limit` rows of `text` wrapped to `width`; a cut-off last row ends in `...`.
  static func wrap(_ text: String, width: Int, limit: Int) -> [String] {
    var rows = wrap(text, width: width)
    guard rows.count > limit else { return rows }
    rows = Array(rows.prefix(limit))
    let last = rows[limit - 1]
    rows[limit - 1] = String(last.prefix(max(0, width - 3))) + "..."
    return rows
  }

  /// Rows of `text` centred in `width` (no trailing spaces).
  static func centred(_ text: String, width: Int) -> [String] {
    wrap(text, width: width).map { row in
      String(repeating: " ", count: (width - row.count) / 2) + row
    }
  }

  /// `left` and `right` on one row with `right` ending at column `width`, or on two rows when they do not
  /// fit together (the left wrapped, the right on its own row, still right-aligned).
  static func spread(_ left: String, _ right: String, width: Int) -> [String] {
    if left.count + 1 + right.count <= width {
      return [left + String(repeating: " ", count: width - left.count - right.count) + right]
    }
    return wrap(left, width: width) + [padLeft(right, width)]
  }

  /// `text` right-aligned in `width` columns (longer text is left as it is).
  static func padLeft(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }

  /// A rate in basis points as a percentage: `700` → `7%`, `1950` → `19.5%`, `1234` → `12.34%`.
  static func percent(_ basisPoints: Int) -> String {
    let whole = basisPoints / 100
    let hundredths = basisPoints % 100
    if hundredths == 0 { return "\(whole)%" }
    if hundredths % 10 == 0 { return "\(whole).\(hundredths / 10)%" }
    return "\(whole).\(hundredths < 10 ? "0" : "")\(hundredths)%"
  }

  /// The letter that marks the lines of the `index`-th rate (ascending) and its row in the tax table:
  /// `A`, `B`, … `Z`, then `*` (more than 26 rates on one receipt do not happen in practice).
  static func marker(_ index: Int) -> String {
    guard index >= 0, index < 26, let scalar = Unicode.Scalar(UInt32(65 + index)) else { return "*" }
    return String(Character(scalar))
  }
}
