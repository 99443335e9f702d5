/// How many terminal cells text takes, computed in Swift so the headless and ncurses terminals agree.
///
/// Wide East-Asian characters and emoji take two cells, combining marks and other zero-width scalars none,
/// everything else (including `€` and `é`) one.
public enum DisplayWidth {
  /// Cells taken by one grapheme cluster.
  public static func of(_ character: Character) -> Int {
    var width = 0
    for scalar in character.unicodeScalars {
      let scalarWidth = of(scalar)
      if scalar.value == 0xFE0F, width == 1 {
        // VS16 asks for emoji presentation of the preceding text-default symbol.
        return 2
      }
      width = max(width, scalarWidth)
    }
    return width
  }

  /// Cells taken by a whole string.
  public static func of(_ text: String) -> Int {
    text.reduce(0) { $0 + of($1) }
  }

  /// Cells taken by one scalar, as wcwidth(3) would answer for a UTF-8 locale (controls count 0).
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if value == 0x200B || (value >= 0x1160 && value <= 0x11FF) { return 0 }
    if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
  }

  /// The East-Asian Wide and Fullwidth blocks.
  private static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
      0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
      0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
  }

  /// The longest prefix of `text` that fits in `width` cells.
  public static func prefix(_ text: String, fitting width: Int) -> String {
    var used = 0
    var result = ""
    for character in text {
      let cells = of(character)
      if used + cells > width { break }
      used += cells
      result.append(character)
    }
    return result
  }

  /// `text` cut to `width` cells (with `…` when cut) and padded with spaces to exactly `width` cells.
  public static func fit(_ text: String, width: Int, alignRight: Bool = false) -> String {
    guard width > 0 else { return "" }
    var shown = text
    if of(text) > width {
      shown = prefix(text, fitting: width - 1) + "…"
    }
    let padding = String(repeating: " ", count: max(0, width - of(shown)))
    return alignRight ? padding + shown : shown + padding
  }
}
