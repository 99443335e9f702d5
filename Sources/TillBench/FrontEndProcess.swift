import Foundation
import TillLocalServices

#if canImport(Glibc)
  import Glibc
#endif

/// One run of the `till` executable: its own startup report and its peak memory.
struct FrontEndRunFigures: Sendable {
  /// Process start to the first product screen, as `till --report-startup` measured it.
  var startupMs: Double
  /// The largest VmHWM read from /proc while it ran, in MiB.
  var peakMiB: Double
  /// Spawn to exit, seen from here.
  var wallMs: Double
}

/// The seeding first run and the runs on the existing database.
struct FrontEndStartup: Sendable {
  var seeding: FrontEndRunFigures
  /// In the order they ran.
  var existingRuns: [FrontEndRunFigures]

  /// The median startup of the runs on the existing database: one run can land on a compile or a
  /// checkpoint of another process on a shared 2-core machine.
  var startupMs: Double {
    let sorted = existingRuns.map(\.startupMs).sorted()
    return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
  }

  /// The highest peak of the runs on the existing database.
  var peakMiB: Double { existingRuns.map(\.peakMiB).max() ?? 0 }
}

/// Startup and peak memory of the real `till` binary: headless, embedded back end on a SQLite file with
/// a generated catalogue, a short script that waits for the first product screen, browses a little,
/// searches, and then idles so its memory can be read before it exits.
enum FrontEndProcessRun {
  /// The `till` built beside this executable (`swift build` puts every product in one directory).
  static func executable() throws(FrontEndBenchError) -> URL {
    guard let url = ChildProcess.builtExecutable(named: "till") else {
      throw FrontEndBenchError(
        "the front-end figures need the till executable next to till-bench: run "
          + "`swift build --product till` (with the same -c and --build-path as till-bench)")
    }
    return url
  }

  /// Seeds a new database with `products` generated products in a first run, then measures `runs` more.
  static func measure(executable: URL, products: Int, runs: Int = 3) async throws -> FrontEndStartup {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-bench-frontend-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    // The new database's first sign-in opens the register; later runs find it open.
    let opening = directory.appendingPathComponent("open-register.till")
    try Data((Self.signIn + Self.openRegister + Self.browse).utf8).write(to: opening)
    let script = directory.appendingPathComponent("first-screen.till")
    try Data((Self.signIn + Self.browse).utf8).write(to: script)
    let arguments = [
      "--database", directory.appendingPathComponent("till.sqlite").path, "--headless", "--size", "100x30",
      "--report-startup", "--snapshots", directory.path, "--script",
    ]
    let seeding = try await run(
      executable, arguments + [opening.path, "--catalogue-size", String(products)], in: directory,
      timeout: .seconds(600))
    var existing: [FrontEndRunFigures] = []
    for _ in 0..<max(1, runs) {
      existing.append(
        try await run(executable, arguments + [script.path], in: directory, timeout: .seconds(120)))
    }
    return FrontEndStartup(seeding: seeding, existingRuns: existing)
  }

  /// The demo cashier signs in by typing (the embedded back end seeds the demo staff).
  private static let signIn = """
    type "1001"
    press Tab
    type "1234"
    press Enter

    """

  /// The float the first sign-in on a new database asks for.
  private static let openRegister = """
    wait-for "Opening float:" within 60s
    type "100"
    press Enter
    wait-for "Register open with"

    """

  /// The first product of `DemoCatalogue.synthetic` is "Classic Brötchen 1"; the pause at the end keeps
  /// the process alive, at its peak, while the parent reads /proc.
  private static let browse = """
    wait-for "Classic Brötchen 1 " within 60s
    press PgDn
    press PgDn
    press Down
    press /
    type "tart"
    wait-for "Tart" within 30s
    press Esc
    wait-for "Classic Brötchen 1 " within 30s
    sleep 300ms

    """

  private static func run(
    _ executable: URL, _ arguments: [String], in directory: URL, timeout: Duration
  ) async throws -> FrontEndRunFigures {
    let started = ContinuousClock.now
    let child = try ChildProcess(
      executable: executable.path, arguments: arguments, workingDirectory: directory.path)
    var peakKiB = 0
    while child.isRunning {
      // VmHWM only grows, so the last reading before exit is the peak; the script's closing pause
      // makes sure there is one.
      if let reading = highWaterMarkKiB(of: child.pid) { peakKiB = max(peakKiB, reading) }
      guard ContinuousClock.now - started < timeout else {
        child.terminate()
        throw FrontEndBenchError("till did not finish within \(timeout): \(child.standardError)")
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    let wall = ContinuousClock.now - started
    let status = await child.waitForExit(timeout: .seconds(5))
    let errors = child.standardError
    guard status == 0 else {
      throw FrontEndBenchError(
        "till \(arguments.joined(separator: " ")) exited with \(status.map(String.init) ?? "?"): \(errors)"
          + child.standardOutput)
    }
    guard let startup = startupMilliseconds(in: errors) else {
      throw FrontEndBenchError("till printed no startup figure: \(errors)")
    }
    guard peakKiB > 0 else { throw FrontEndBenchError("could not read VmHWM of till (pid \(child.pid))") }
    return FrontEndRunFigures(
      startupMs: startup, peakMiB: Double(peakKiB) / 1024, wallMs: FrontEndLatency.milliseconds(wall))
  }

  /// From "till: startup: first product screen 312.0 ms since the process started, 250.3 ms since run()":
  /// the time since the process started, else (no /proc) the time since `run()`.
  static func startupMilliseconds(in report: String) -> Double? {
    if let match = report.firstMatch(of: #/first product screen ([0-9.]+) ms since the process started/#) {
      return Double(match.1)
    }
    return report.firstMatch(of: #/([0-9.]+) ms since run\(\)/#).flatMap { Double($0.1) }
  }

  /// The `VmHWM:   123456 kB` line of /proc/PID/status; nil once the process is gone or a zombie.
  static func highWaterMarkKiB(of pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let match = status.firstMatch(of: #/VmHWM:\s+(\d+) kB/#)
    else { return nil }
    return Int(match.1)
  }
}
