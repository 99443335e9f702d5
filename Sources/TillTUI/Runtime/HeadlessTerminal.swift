import Synchronization

/// A terminal in memory: it keeps the last screen drawn, and tests and scripts feed it keys and sizes.
public final class HeadlessTerminal: Terminal {
  private struct Shared {
    var size: Size
    var screen: Screen
    var draws = 0
    var events: (@Sendable (TerminalEvent) -> Void)?
    /// Keys pressed before the program started, delivered on start: typed-ahead keys are never lost.
    var early: [TerminalEvent] = []
  }

  private let shared: Mutex<Shared>

  public init(size: Size = Size(columns: 100, rows: 30)) {
    shared = Mutex(Shared(size: size, screen: Screen(size: size)))
  }

  public var size: Size { shared.withLock { $0.size } }
  /// The last screen drawn.
  public var screen: Screen { shared.withLock { $0.screen } }
  /// How many screens were drawn.
  public var drawCount: Int { shared.withLock { $0.draws } }

  /// Delivers the keys pressed before the start, then takes new ones as they come. A key pressed while
  /// the early ones are being delivered joins them instead of overtaking them: the events are handed on
  /// only once none is left, so typed-ahead keys arrive in the order they were typed.
  public func start(events: @escaping @Sendable (TerminalEvent) -> Void) throws(TerminalError) {
    while true {
      let early = shared.withLock { shared -> [TerminalEvent] in
        guard !shared.early.isEmpty else {
          shared.events = events
          return []
        }
        defer { shared.early = [] }
        return shared.early
      }
      guard !early.isEmpty else { return }
      early.forEach(events)
    }
  }

  public func draw(_ screen: Screen) {
    shared.withLock {
      $0.screen = screen
      $0.draws += 1
    }
  }

  public func stop() {
    shared.withLock { $0.events = nil }
  }

  /// Types a key as if a person pressed it.
  public func press(_ key: Key) {
    let events = shared.withLock {
      if $0.events == nil { $0.early.append(.key(key)) }
      return $0.events
    }
    events?(.key(key))
  }

  /// Scans a barcode, as a scanner's fast burst of digits and Enter arrives.
  public func scan(_ code: String) {
    let events = shared.withLock {
      if $0.events == nil { $0.early.append(.scan(code)) }
      return $0.events
    }
    events?(.scan(code))
  }

  /// Changes the size and reports it, like a window being resized.
  public func resize(to size: Size) {
    let events = shared.withLock {
      $0.size = size
      return $0.events
    }
    events?(.resize(size))
  }
}
