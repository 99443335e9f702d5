/// What a piece of text means on screen. Terminals map roles to colours (or to attributes in monochrome),
/// so the renderer never names a colour.
public enum StyleRole: String, Sendable, Hashable, CaseIterable {
  case normal
  case header
  case selection
  case dim
  case pending
  case lowStock
  case soldOut
  case success
  case warning
  case error
  case key
  case border
  case title
  case input
}

/// The look of one cell.
public struct Style: Sendable, Hashable {
  public var role: StyleRole
  public var bold: Bool
  public var reverse: Bool

  public init(_ role: StyleRole = .normal, bold: Bool = false, reverse: Bool = false) {
    self.role = role
    self.bold = bold
    self.reverse = reverse
  }

  public static let normal = Style()
  public static let header = Style(.header, bold: true, reverse: true)
  public static let selection = Style(.selection, reverse: true)
  public static let dim = Style(.dim)
  public static let pending = Style(.pending)
  public static let lowStock = Style(.lowStock, bold: true)
  public static let soldOut = Style(.soldOut)
  public static let success = Style(.success, bold: true)
  public static let warning = Style(.warning, bold: true)
  public static let error = Style(.error, bold: true)
  public static let key = Style(.key, bold: true)
  public static let border = Style(.border)
  public static let title = Style(.title, bold: true)
  public static let input = Style(.input, bold: true)
}
