import Foundation

/// Time since this process began, for `--report-startup` (the closing note's startup figure).
///
/// Linux keeps the start time in `/proc/self/stat` in clock ticks since boot (10 ms steps); the time
/// `run()` began is kept with full resolution, so the report shows both.
struct StartupClock: Sendable {
  private let runStart = ContinuousClock.now
  private let sinceProcessStartAtRun: Duration?

  init() {
    sinceProcessStartAtRun = Self.processAge()
  }

  /// Milliseconds since the process started (nil when /proc is not readable), and since `run()` began.
  func elapsed() -> (sinceProcessStart: Duration?, sinceRun: Duration) {
    let sinceRun = ContinuousClock.now - runStart
    return (sinceProcessStartAtRun.map { $0 + sinceRun }, sinceRun)
  }

  /// Uptime now minus the process's start time since boot.
  private static func processAge() -> Duration? {
    guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
      let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
      let closing = stat.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name (which may hold spaces): state is field 3, starttime field 22.
    let fields = stat[stat.index(after: closing)...].split(separator: " ")
    guard fields.count > 19, let ticks = Double(fields[19]),
      let seconds = uptime.split(separator: " ").first.flatMap({ Double($0) })
    else { return nil }
    let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    return .milliseconds(Int((seconds - ticks / ticksPerSecond) * 1000))
  }
}
