import CNCursesShim
import Foundation
import Synchronization

/// A real terminal through ncursesw. One thread of its own makes every ncurses call: it polls keys with a
/// short timeout, draws the newest screen (only the cells that changed), and restores the terminal on
/// stop, on a signal (SIGINT, SIGTERM, SIGHUP) and at exit.
public final class NCursesTerminal: Terminal {
  private struct Shared {
    var size = Size(columns: 80, rows: 24)
    var pending: Screen?
    var running = false
    var events: (@Sendable (TerminalEvent) -> Void)?
    var scans: ScanDetector
  }

  private let shared: Mutex<Shared>
  private let finished = DispatchSemaphore(value: 0)
  private let useColors: Bool

  /// - Parameters:
  ///   - colors: nil follows the environment (`NO_COLOR` set and non-empty turns colours off).
  ///   - scanGap: the longest pause between two keys of a barcode scan (see `ScanDetector`).
  public init(colors: Bool? = nil, scanGap: Duration = ScanDetector.defaultGap) {
    shared = Mutex(Shared(scans: ScanDetector(maximumGap: scanGap)))
    let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    useColors = colors ?? !noColor
  }

  public var size: Size { shared.withLock { $0.size } }

  public func start(events: @escaping @Sendable (TerminalEvent) -> Void) throws(TerminalError) {
    _ = till_setup_locale()
    guard till_start(useColors ? 1 : 0) == 0 else {
      throw .cannotInitialize("ncurses could not initialise the terminal (is TERM set?)")
    }
    till_install_signal_handlers()
    let colors = useColors && till_has_colors() == 1
    if colors { Palette.install() }
    till_set_timeout(10)
    shared.withLock {
      $0.size = Size(columns: Int(till_cols()), rows: Int(till_rows()))
      $0.running = true
      $0.events = events
    }
    let thread = Thread { [self] in loop(colors: colors) }
    thread.name = "till-terminal"
    thread.start()
  }

  public func draw(_ screen: Screen) {
    shared.withLock { $0.pending = screen }
  }

  public func stop() {
    let wasRunning = shared.withLock {
      let running = $0.running
      $0.running = false
      return running
    }
    if wasRunning { finished.wait() }
  }

  /// How long the program may take to send queued edits after a signal before the process exits anyway.
  static let interruptGrace = Duration.seconds(5)

  /// The terminal thread: keys out, screens in.
  private func loop(colors: Bool) {
    var previous: Screen?
    var interruptedAt: ContinuousClock.Instant?
    while shared.withLock({ $0.running }) {
      let signals = till_signal_count()
      if signals > 0 {
        if let interruptedAt {
          // A second signal, or a program that cannot finish: restore the terminal and go.
          if signals > 1 || ContinuousClock.now - interruptedAt > Self.interruptGrace {
            till_stop()
            exit(128 + till_pending_signal())
          }
        } else {
          // The first: the signal overtakes keys typed before it that still wait in the terminal's
          // input, so those go to the program first; then it sends what the cashier typed and stops
          // this terminal.
          interruptedAt = ContinuousClock.now
          // A read the signal interrupted looks like an empty one, so stop after three empty reads.
          var (read, empty) = (0, 0)
          while read < 4_096, empty < 3 {
            empty = forward(till_read_key(), previous: &previous) ? 0 : empty + 1
            read += 1
          }
          let (sink, held) = shared.withLock { ($0.events, $0.scans.releaseDigits()) }
          held.forEach { sink?($0) }
          sink?(.interrupted)
        }
      }
      if !forward(till_read_key(), previous: &previous) {
        let (sink, held) = shared.withLock { ($0.events, $0.scans.flush(at: .now)) }
        held.forEach { sink?($0) }
      }
      // No painting while digits wait to be told scan or keys: a slow paint between two digits of a
      // scan would split the burst and hand its first digits to the program as keys.
      if let screen = shared.withLock({ state -> Screen? in
        guard !state.scans.isHolding else { return nil }
        defer { state.pending = nil }
        return state.pending
      }) {
        paint(screen, over: previous, colors: colors)
        previous = screen
      }
    }
    till_stop()
    finished.signal()
  }

  /// Hands a key read from ncurses to the program; false when there was none (the read timed out).
  private func forward(_ key: till_key, previous: inout Screen?) -> Bool {
    guard key.kind == Int32(TILL_KEY_CHAR) || key.kind == Int32(TILL_KEY_CODE) else { return false }
    guard let event = event(for: key) else { return true }
    let now = ContinuousClock.now
    let (sink, events) = shared.withLock {
      shared -> ((@Sendable (TerminalEvent) -> Void)?, [TerminalEvent]) in
      switch event {
      case .key(let key): return (shared.events, shared.scans.feed(key, at: now))
      case .resize(let size):
        shared.size = size
        return (shared.events, shared.scans.releaseDigits() + [event])
      default: return (shared.events, shared.scans.releaseDigits() + [event])
      }
    }
    if case .resize = event { previous = nil }
    events.forEach { sink?($0) }
    return true
  }

  private func event(for key: till_key) -> TerminalEvent? {
    switch key.kind {
    case Int32(TILL_KEY_CHAR): return KeyDecoder.character(key.value).map(TerminalEvent.key)
    case Int32(TILL_KEY_CODE):
      if key.value == till_key_resize() {
        return .resize(Size(columns: Int(till_cols()), rows: Int(till_rows())))
      }
      return KeyDecoder.code(key.value).map(TerminalEvent.key)
    default: return nil
    }
  }

  /// Draws the cells that differ from the previous frame (all of them after a resize).
  private func paint(_ screen: Screen, over previous: Screen?, colors: Bool) {
    let old = previous?.size == screen.size ? previous : nil
    if old == nil { till_clear() }
    let size = screen.size
    for row in 0..<size.rows {
      for column in 0..<size.columns {
        let cell = screen[row, column]
        if cell.isContinuation { continue }
        if let old, old[row, column] == cell,
          column + 1 >= size.columns || old[row, column + 1] == screen[row, column + 1]
        {
          continue
        }
        let attributes = Palette.attributes(for: cell.style, colors: colors)
        till_set_attributes(attributes.pair, attributes.bits)
        var wide = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        _ = till_put(Int32(row), Int32(column), wide, Int32(wide.count - 1))
      }
    }
    till_set_attributes(0, 0)
    till_refresh()
  }
}
