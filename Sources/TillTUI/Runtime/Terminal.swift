/// What a terminal reports: keys and size changes.
public enum TerminalEvent: Sendable, Hashable {
  case key(Key)
  /// A barcode scanner's burst: the code's digits, read as one (see `ScanDetector`).
  case scan(String)
  case resize(Size)
  /// SIGINT, SIGTERM or SIGHUP: finish sending what the cashier typed, then end.
  case interrupted
}

/// Why a terminal could not start.
public enum TerminalError: Error, Hashable, Sendable {
  case cannotInitialize(String)
}

/// A surface that draws screens and reports keys. Terminals only draw: all decisions live in `update`.
public protocol Terminal: AnyObject, Sendable {
  /// The size now.
  var size: Size { get }
  /// Starts delivering events (from the terminal's own thread, never blocked by the network).
  func start(events: @escaping @Sendable (TerminalEvent) -> Void) throws(TerminalError)
  /// Shows `screen`. May return before it is on the glass; the latest screen always wins.
  func draw(_ screen: Screen)
  /// Restores the terminal. Safe to call more than once.
  func stop()
}
