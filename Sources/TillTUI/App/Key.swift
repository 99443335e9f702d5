/// A key press, independent of the terminal that read it.
public enum Key: Hashable, Sendable {
  case character(Character)
  case enter, escape, tab, backTab, backspace, delete
  case up, down, left, right, pageUp, pageDown, home, end
  case function(Int)
  /// Ctrl plus a letter, lower-cased (`Ctrl+C` is `.control("c")`).
  case control(Character)

  /// Parses a key name as scripts write it: Enter, Esc, Tab, Up, F1, Ctrl+X, or one character.
  public init?(name: String) {
    let lower = name.lowercased()
    switch lower {
    case "enter", "return": self = .enter
    case "esc", "escape": self = .escape
    case "tab": self = .tab
    case "backtab", "shift+tab": self = .backTab
    case "backspace", "bs": self = .backspace
    case "delete", "del": self = .delete
    case "up": self = .up
    case "down": self = .down
    case "left": self = .left
    case "right": self = .right
    case "pgup", "pageup": self = .pageUp
    case "pgdn", "pagedown": self = .pageDown
    case "home": self = .home
    case "end": self = .end
    case "space": self = .character(" ")
    default:
      if name.count == 1, let character = name.first {
        self = .character(character)
      } else if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...12).contains(number) {
        self = .function(number)
      } else if lower.hasPrefix("ctrl+"), lower.count == 6, let letter = lower.last, letter.isLetter,
        letter.isASCII
      {
        self = .control(letter)
      } else {
        return nil
      }
    }
  }
}
