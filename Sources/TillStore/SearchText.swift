import Foundation

/// The one folding rule shared by the stored `search_text` column and the user's query, so that
/// "CAFÉ", "cafe" and "Café" all meet. SQLite's own LIKE only folds ASCII, hence doing it in Swift.
enum SearchText {
  /// Lower-cased, diacritics and width folded; a few letters that are not decomposable
  /// (ø, æ, œ, ł, ...) are spelled out so "smorrebrod" finds "Smørrebrød".
  static func fold(_ text: String) -> String {
    let folded = text.folding(
      options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil
    )
    .lowercased()
    guard folded.unicodeScalars.contains(where: { !$0.isASCII }) else { return folded }
    var result = ""
    result.reserveCapacity(folded.utf8.count)
    for character in folded {
      result += spelledOut[character] ?? String(character)
    }
    return result
  }

  private static let spelledOut: [Character: String] = [
    "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ß": "ss",
  ]

  /// The stored column: name, SKU and barcode in one folded string.
  static func column(name: String, sku: String, barcode: String) -> String {
    fold(name) + "\u{1F}" + fold(sku) + "\u{1F}" + fold(barcode)
  }

  /// A `LIKE ... ESCAPE '\'` pattern that matches `query` anywhere; `%` and `_` in the query are
  /// literal characters, not wildcards.
  static func containsPattern(_ query: String) -> String {
    var escaped = ""
    for character in fold(query) {
      if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
      escaped.append(character)
    }
    return "%" + escaped + "%"
  }
}
