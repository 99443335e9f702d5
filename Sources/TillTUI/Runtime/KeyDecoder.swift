import CNCursesShim

/// Turns ncurses' key values into `Key`s.
enum KeyDecoder {
  /// A character read by wget_wch (not a key code).
  static func character(_ value: Int32) -> Key? {
    switch value {
    case 10, 13: return .enter
    case 9: return .tab
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26:
      guard let scalar = Unicode.Scalar(UInt32(value) + 96) else { return nil }
      return .control(Character(scalar))
    default:
      guard value >= 32, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// A key code read by wget_wch (KEY_CODE_YES).
  static func code(_ value: Int32) -> Key? {
    switch value {
    case till_key_up(): return .up
    case till_key_down(): return .down
    case till_key_left(): return .left
    case till_key_right(): return .right
    case till_key_ppage(): return .pageUp
    case till_key_npage(): return .pageDown
    case till_key_home(): return .home
    case till_key_end(): return .end
    case till_key_backspace(): return .backspace
    case till_key_dc(): return .delete
    case till_key_enter(): return .enter
    case till_key_btab(): return .backTab
    default:
      let function = Int(value - till_key_f0())
      return (1...12).contains(function) ? .function(function) : nil
    }
  }
}
