import Foundation
import Testing
import TillClient
import TillCore
import TillStore
import TillTUI
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Figures for the closing note, printed rather than asserted (this machine is shared): key to redrawn
/// screen on a 10 000-product catalogue over a real back end, startup to the first product screen of the
/// real binary, and its peak memory. The expectations only check that the runs did what they claim.
@Suite("end to end: measurements", .serialized)
struct EndToEndMeasurementTests {
  @Test func keyToRedrawnScreenOnTenThousandProducts() async throws {
    try await withEndToEndBackend(products: DemoCatalogue.synthetic(count: 10_000)) { backend in
      let terminal = HeadlessTerminal(size: Size(columns: 100, rows: 30))
      // No ticks: a stock refresh would draw a frame no key asked for.
      let program = Program(
        configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId()),
        backend: TillClientBackend(client: backend.terminalClient()), terminal: terminal,
        tickInterval: .seconds(600))
      let loop = Task { try await program.run() }
      terminal.signIn()
      try await waitUntil { program.screen.contains("Classic Brötchen 1 ") && program.isIdle }

      let moves: [Key] =
        Array(repeating: .down, count: 60) + Array(repeating: .pageDown, count: 20)
        + Array(repeating: .up, count: 40)
      var redraw: [Duration] = []
      for key in moves { redraw.append(try await timeToDraw(key, terminal)) }
      var addDrawn: [Duration] = []
      var addConfirmed: [Duration] = []
      for _ in 0..<30 {
        let start = ContinuousClock.now
        addDrawn.append(try await timeToDraw(.character("+"), terminal))
        try await waitUntil { program.isIdle }
        addConfirmed.append(ContinuousClock.now - start)
      }
      var searched: [Duration] = []
      try await timeToDraw(.character("/"), terminal)
      for character in "crème" {
        let start = ContinuousClock.now
        terminal.press(.character(character))
        try await waitUntil { program.isIdle }
        searched.append(ContinuousClock.now - start)
      }
      let found = program.screen
      program.stop()
      try await loop.value

      print(
        """
        key → redrawn screen, 10 000 products, headless, real back end over loopback:
          move (↑ ↓ PgDn, \(redraw.count) keys): \(summary(redraw))
          + add, first frame (\(addDrawn.count) keys): \(summary(addDrawn))
          + add, server's answer on screen: \(summary(addConfirmed))
          search as you type, results on screen (\(searched.count) keys): \(summary(searched))
        """)
      #expect(redraw.count == moves.count)
      #expect(program.state.searchText == "crème")
      #expect(found.contains("Crème"), "the search found products")
      #expect(program.state.cart?.lines.first?.quantity == 30, "every + reached the server")
    }
  }

  @Test func startupAndPeakMemoryOfTheBinary() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let browse =
      "wait-for \"Classic Brötchen 1 \" within 20s\npress PgDn\npress /\ntype \"tart\"\nexpect \"Tart\"\n"
    // The first run's sign-in opens the register; the second finds it open.
    let first = directory.appendingPathComponent("first-run.till")
    try Data((EndToEndTerminalTests.signIn + EndToEndTerminalTests.openRegister + browse).utf8).write(
      to: first)
    let second = directory.appendingPathComponent("second-run.till")
    try Data((EndToEndTerminalTests.signIn + browse).utf8).write(to: second)
    let database = directory.appendingPathComponent("till.sqlite").path
    let arguments = ["--database", database, "--headless", "--report-startup", "--script"]
    let seeding = try await TillBinary.run(
      arguments + [first.path, "--catalogue-size", "10000"], in: directory)
    let again = try await TillBinary.run(arguments + [second.path], in: directory)
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    print(
      """
      till binary, headless, embedded back end, 10 000 products:
        first run (creates and seeds the database): \(seeding.errors.trimmingCharacters(in: .newlines))
        second run (existing database): \(again.errors.trimmingCharacters(in: .newlines))
        peak resident memory of the largest child so far: \(usage.ru_maxrss / 1024) MiB
      """)
    #expect(seeding.status == 0, "\(seeding.errors)")
    #expect(again.status == 0, "\(again.errors)")
    #expect(again.errors.contains("first product screen"))
  }

  @discardableResult
  private func timeToDraw(_ key: Key, _ terminal: HeadlessTerminal) async throws -> Duration {
    let before = terminal.drawCount
    let start = ContinuousClock.now
    terminal.press(key)
    try await waitUntil(polling: false, "no draw after \(key)") { terminal.drawCount > before }
    return ContinuousClock.now - start
  }

  /// Waits for `condition` (at most 20 s), yielding between looks, or sleeping 1 ms when `polling`; a
  /// wait that never ends fails the test and ends the measurement.
  private func waitUntil(
    polling: Bool = true, _ message: @autoclosure () -> String = "the till did not get there",
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
  ) async throws {
    let held = try await eventually(
      within: .seconds(20), every: polling ? .milliseconds(1) : .zero, message(),
      sourceLocation: sourceLocation,
      condition)
    guard held else { throw MeasurementTimeout() }
  }

  private func summary(_ samples: [Duration]) -> String {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return "no samples" }
    func milliseconds(_ value: Duration) -> String {
      let (seconds, attoseconds) = value.components
      return String(format: "%.2f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
    let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
    return
      "median \(milliseconds(sorted[sorted.count / 2])), p95 \(milliseconds(p95)), max \(milliseconds(sorted.last ?? .zero))"
  }
}

struct MeasurementTimeout: Error {}
