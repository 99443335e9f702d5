import CNCursesShim

/// Maps style roles to ncurses colour pairs, or to attributes alone in monochrome (NO_COLOR or no colours).
enum Palette {
  // ncurses colour numbers (COLOR_* are macros).
  private static let black: Int16 = 0
  private static let red: Int16 = 1
  private static let green: Int16 = 2
  private static let yellow: Int16 = 3
  private static let blue: Int16 = 4
  private static let cyan: Int16 = 6
  private static let white: Int16 = 7
  private static let terminalDefault: Int16 = -1

  private static func colors(for role: StyleRole) -> (Int16, Int16)? {
    switch role {
    case .normal, .title, .dim, .input: return nil
    case .header: return (white, blue)
    case .selection: return (black, cyan)
    case .pending, .lowStock, .warning: return (yellow, terminalDefault)
    case .soldOut, .error: return (red, terminalDefault)
    case .success: return (green, terminalDefault)
    case .key, .border: return (cyan, terminalDefault)
    }
  }

  private static func pair(for role: StyleRole) -> Int16 {
    Int16((StyleRole.allCases.firstIndex(of: role) ?? 0) + 1)
  }

  static func install() {
    for role in StyleRole.allCases {
      if let (foreground, background) = colors(for: role) {
        _ = till_init_pair(pair(for: role), foreground, background)
      }
    }
  }

  static func attributes(for style: Style, colors: Bool) -> (pair: Int16, bits: Int32) {
    var bits: Int32 = 0
    if style.bold { bits |= Int32(TILL_ATTR_BOLD) }
    if style.reverse { bits |= Int32(TILL_ATTR_REVERSE) }
    if colors, Palette.colors(for: style.role) != nil {
      if style.role == .header || style.role == .selection { bits &= ~Int32(TILL_ATTR_REVERSE) }
      if style.role == .dim || style.role == .soldOut { bits |= Int32(TILL_ATTR_DIM) }
      return (pair(for: style.role), bits)
    }
    // Monochrome: meaning through attributes only.
    switch style.role {
    case .dim, .soldOut: bits |= Int32(TILL_ATTR_DIM)
    case .pending, .input: bits |= Int32(TILL_ATTR_UNDERLINE)
    case .lowStock, .warning, .success, .key, .title: bits |= Int32(TILL_ATTR_BOLD)
    case .error: bits |= Int32(TILL_ATTR_BOLD | TILL_ATTR_UNDERLINE)
    case .header, .selection: bits |= Int32(TILL_ATTR_REVERSE)
    case .normal, .border: break
    }
    return (0, bits)
  }
}
