import Foundation
import Logging
import Synchronization
import TillClient
import TillServer
import TillStore
import TillTUI

/// The front end's figures for one catalogue size: startup of the real `till` executable to
/// its first product screen, key to redrawn screen in the headless terminal, and peak memory.
struct FrontEndFigure: Codable, Sendable {
  var products: Int
  /// Process start to the first product screen, `till` on an existing database (median of 3 runs).
  var startupMs: Double
  /// Key press to the frame that shows it (cursor moves and search typing), median and p99.
  var keyMedianMs: Double
  var keyP99Ms: Double
  /// Peak resident memory (VmHWM) of the `till` process on an existing database (highest of 3 runs), MiB.
  var peakRSSMB: Double
}

/// Measures the front end: the real `till` binary for startup and memory (`FrontEndProcessRun`), and the real
/// `Program` on a real back end in this process for key latency (`FrontEndKeyRun`).
///
/// Details the figure has no field for (the seeding run's startup and memory, search results on screen)
/// go to standard error as one block per catalogue size.
enum FrontEndBench {
  /// The front end's targets, for the caller's table.
  static let startupTargetMs = 1000.0
  static func keyMedianTargetMs(products: Int) -> Double { products <= 10_000 ? 2 : 10 }

  static func run(productCounts: [Int], quick: Bool) async throws -> [FrontEndFigure] {
    let executable = try FrontEndProcessRun.executable()
    var figures: [FrontEndFigure] = []
    for count in productCounts {
      let startup = try await FrontEndProcessRun.measure(executable: executable, products: count)
      let keys = try await FrontEndKeyRun.measure(products: count, keys: quick ? 200 : 1000)
      let figure = FrontEndFigure(
        products: count, startupMs: startup.startupMs, keyMedianMs: keys.frame.median,
        keyP99Ms: keys.frame.p99, peakRSSMB: startup.peakMiB)
      figures.append(figure)
      report(figure, startup: startup, keys: keys)
    }
    return figures
  }

  private static func report(_ figure: FrontEndFigure, startup: FrontEndStartup, keys: FrontEndKeyLatencies) {
    func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
    func mib(_ value: Double) -> String { String(format: "%.1f MiB", value) }
    let text = """
      front end, \(figure.products) products (headless 100x30, real back end on loopback):
        startup, existing database: median \(ms(startup.startupMs)) (target < \(ms(startupTargetMs))) \
      of \(startup.existingRuns.map { ms($0.startupMs) }.joined(separator: ", ")); \
      peak \(mib(startup.peakMiB))
        startup, first run seeding the database: \(ms(startup.seeding.startupMs)), \
      peak \(mib(startup.seeding.peakMiB)), whole run \(ms(startup.seeding.wallMs))
        key → redrawn screen (\(keys.frame.count) keys: ↑ ↓ PgUp PgDn, search typing): \
      median \(ms(keys.frame.median)) (target < \(ms(keyMedianTargetMs(products: figure.products)))), \
      p99 \(ms(keys.frame.p99)), max \(ms(keys.frame.max))
        search key → results on screen (\(keys.searchResults.count) keys): \
      median \(ms(keys.searchResults.median)), p99 \(ms(keys.searchResults.p99)), \
      max \(ms(keys.searchResults.max))

      """
    FileHandle.standardError.write(Data(text.utf8))
  }
}

/// Median, p99 and maximum of a set of durations, in milliseconds.
struct FrontEndLatency: Sendable {
  var count: Int
  var median: Double
  var p99: Double
  var max: Double

  init(_ samples: [Duration]) {
    let sorted = samples.map(Self.milliseconds).sorted()
    count = sorted.count
    func rank(_ fraction: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      // Nearest rank: the smallest sample with at least `fraction` of the samples at or below it.
      let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
      return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
    }
    median = rank(0.5)
    p99 = rank(0.99)
    max = sorted.last ?? 0
  }

  static func milliseconds(_ value: Duration) -> Double {
    Double(value.components.seconds) * 1000 + Double(value.components.attoseconds) / 1e15
  }
}

/// Why a front-end measurement could not be taken.
struct FrontEndBenchError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) { self.description = description }
}

/// Key to redrawn screen, and search key to results on screen.
struct FrontEndKeyLatencies: Sendable {
  var frame: FrontEndLatency
  var searchResults: FrontEndLatency
}

/// Key latency of the real `Program` in a headless terminal, on a real back end in this process: a
/// `TillServer` on 127.0.0.1 over a SQLite file seeded with `DemoCatalogue.synthetic`, reached through
/// `TillClientBackend` (libcurl), as `till` itself does.
///
/// Each key is pressed only when the program is idle (every key handled, no call in flight), so the first
/// frame after the press is the key's own. Frames are timestamped in the terminal's `draw`, not when this
/// loop notices them.
enum FrontEndKeyRun {
  static let token = "till-bench-frontend-staff-token"

  static func measure(products: Int, keys: Int) async throws -> FrontEndKeyLatencies {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-bench-keys-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await SQLiteStore.open(path: directory.appendingPathComponent("till.sqlite").path)
    do {
      _ = try await store.seedIfEmpty(with: DemoCatalogue.synthetic(count: products))
      // The cashier signs in by typing, as at a counter; the least bcrypt cost keeps that out of the way.
      try await DemoStaff.seed(into: store, hasher: PINHasher(cost: PINHasher.allowedCosts.lowerBound))
      let server = try await RunningServer.start(
        store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, staffTokens: [token]),
        logger: Logger(label: "till.bench.frontend", factory: { _ in SwiftLogNoOpLogHandler() }))
      let result: Result<FrontEndKeyLatencies, any Error>
      do {
        result = .success(try await drive(baseURL: server.baseURL, keys: keys))
      } catch {
        result = .failure(error)
      }
      await server.stop()
      await store.close()
      return try result.get()
    } catch {
      await store.close()
      throw error
    }
  }

  /// The demo cashier's code, Tab, PIN and Enter on the sign-in screen, then the opening float the new
  /// database's register asks for and Enter (typed ahead: none is lost).
  private static var signInKeys: [Key] {
    let code: [Key] = DemoStaff.cashier.code.map(Key.character)
    let pin: [Key] = DemoStaff.cashier.pin.map(Key.character)
    let float: [Key] = "100".map(Key.character)
    return code + [.tab] + pin + [.enter] + float + [.enter]
  }

  /// One planned key press; `searchWord` marks a typed character of a search (its results are timed).
  private struct Press {
    var key: Key
    var searchWord: String?
  }

  /// Blocks of cursor moves and searches, repeated until `count` keys. The words are in the generated
  /// names (typed in lower case: the search ignores case and accents).
  private static func plan(count: Int) -> [Press] {
    let words = ["tart", "latte", "crème", "bagel", "smoked", "würzig", "olive", "zesty"]
    var presses: [Press] = []
    var block = 0
    while presses.count < count {
      presses += Array(repeating: Press(key: .down), count: 20)
      presses += Array(repeating: Press(key: .pageDown), count: 4)
      presses += Array(repeating: Press(key: .up), count: 8)
      presses.append(Press(key: .pageUp))
      let word = words[block % words.count]
      presses.append(Press(key: .character("/")))
      presses += word.map { Press(key: .character($0), searchWord: word) }
      presses.append(Press(key: .escape))
      block += 1
    }
    return Array(presses.prefix(count))
  }

  private static func drive(baseURL: String, keys: Int) async throws -> FrontEndKeyLatencies {
    let terminal = FrontEndTerminal(size: Size(columns: 100, rows: 30))
    // No ticks: a stock refresh would draw a frame no key asked for.
    let program = Program(
      configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId()),
      backend: TillClientBackend(client: TillClient(baseURL: baseURL, token: token)), terminal: terminal,
      tickInterval: .seconds(3600))
    let loop = Task { try await program.run() }
    defer { program.stop() }
    for key in signInKeys { terminal.press(key) }
    try await waitUntil("the first product screen") {
      program.screen.contains("Classic Brötchen 1 ") && program.isIdle
        && program.state.register.session != nil
    }

    var frames: [Duration] = []
    var results: [Duration] = []
    var found: Set<String> = []
    for press in plan(count: keys) {
      try await waitUntil("the program to settle") { program.isIdle }
      let before = terminal.drawCount
      let start = ContinuousClock.now
      terminal.press(press.key)
      try await waitUntil("a frame after \(press.key)") { terminal.drawCount > before }
      frames.append(terminal.drawTime(before) - start)
      guard let word = press.searchWord else { continue }
      try await waitUntil("the results of a search") { program.isIdle }
      results.append(terminal.drawTime(terminal.drawCount - 1) - start)
      if program.state.searchText == word && !program.state.products.isEmpty { found.insert(word) }
    }
    program.stop()
    try await loop.value
    // The run must have done what the figures claim: every key drew, and the searches found products.
    let searched = Set(plan(count: keys).compactMap(\.searchWord))
    guard frames.count == keys, found == searched else {
      throw FrontEndBenchError(
        "the key run went wrong: \(frames.count) of \(keys) keys drew, searches found \(found.sorted()) "
          + "of \(searched.sorted())\n\(program.screen.text)")
    }
    return FrontEndKeyLatencies(frame: FrontEndLatency(frames), searchResults: FrontEndLatency(results))
  }

  /// Polls `condition` every 0.2 ms for at most 30 s. The timing comes from the draw timestamps, so the
  /// polling interval only paces the run.
  private static func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
      guard ContinuousClock.now < deadline else {
        throw FrontEndBenchError("timed out waiting for \(what)")
      }
      try await Task.sleep(for: .microseconds(200))
    }
  }
}

/// A `HeadlessTerminal` that also notes when each frame was drawn.
final class FrontEndTerminal: Terminal {
  private let headless: HeadlessTerminal
  private let drawTimes = Mutex<[ContinuousClock.Instant]>([])

  init(size: Size) {
    headless = HeadlessTerminal(size: size)
  }

  var size: Size { headless.size }
  var drawCount: Int { drawTimes.withLock { $0.count } }

  /// When frame `index` (0-based) was drawn; frames are only counted once drawn, so it exists.
  func drawTime(_ index: Int) -> ContinuousClock.Instant {
    drawTimes.withLock { $0[index] }
  }

  func press(_ key: Key) { headless.press(key) }

  func start(events: @escaping @Sendable (TerminalEvent) -> Void) throws(TerminalError) {
    try headless.start(events: events)
  }

  func draw(_ screen: Screen) {
    headless.draw(screen)
    let now = ContinuousClock.now
    drawTimes.withLock { $0.append(now) }
  }

  func stop() { headless.stop() }
}
