import Foundation

/// The validated command line: what to run, where, how long.
struct BenchSettings: Sendable {
  enum Target: Sendable {
    /// Start back ends of these engines in this process.
    case local(engines: [BenchEngine])
    /// A running back end, and the cashier who signs in on it.
    case remote(url: String, token: String, adminToken: String?, cashier: BenchCashier)
  }

  var target: Target
  var scenarios: [Scenario]
  var clients: [Int]
  var duration: Duration
  var catalogue: Int
  var quick: Bool
  var comparePgbench: Bool
  /// The first batch of carts each worker prepares for a phased scenario.
  var firstBatch: Int { quick ? 10 : 25 }

  /// Client counts when `--clients` is not given.
  static func defaultClients(quick: Bool) -> [Int] { quick ? [16] : [1, 4, 16, 64] }
  /// The timed duration when `--duration` is not given.
  static func defaultDuration(quick: Bool) -> BenchDuration { BenchDuration(seconds: quick ? 1 : 10) }
  /// Products in the generated catalogue when `--catalogue` is not given.
  static func defaultCatalogue(quick: Bool) -> Int { quick ? 2_000 : 10_000 }

  /// The accepted client counts, durations and catalogue sizes.
  static let clientRange = 1...256
  static let durationRange = 0.001...3_600.0
  static let catalogueRange = 3...200_000

  /// One run per engine started here, or the one running back end.
  var runs: [RunTarget] {
    switch target {
    case .local(let engines): engines.map(RunTarget.local)
    case .remote(let url, let token, let adminToken, let cashier):
      [.remote(url: url, token: token, adminToken: adminToken, cashier: cashier)]
    }
  }

  static func isLoopback(_ url: String) -> Bool {
    guard let host = URLComponents(string: url)?.host else { return false }
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
  }
}

/// A storage engine the bench can start a back end on.
enum BenchEngine: String, Sendable {
  case sqlite, postgres
}

/// What one engine run measures: a back end the bench starts on an engine, or a running one.
enum RunTarget: Sendable {
  case local(BenchEngine)
  case remote(url: String, token: String, adminToken: String?, cashier: BenchCashier)

  /// The name in the report's rows: the engine, or `server` for a running back end.
  var label: String {
    switch self {
    case .local(let engine): engine.rawValue
    case .remote: "server"
    }
  }
}

/// `--engine`: the back ends the bench starts itself.
enum EngineChoice: String, CaseIterable, Sendable {
  case sqlite, postgres, both

  var engines: [BenchEngine] {
    switch self {
    case .sqlite: [.sqlite]
    case .postgres: [.postgres]
    case .both: [.sqlite, .postgres]
    }
  }
}

/// `--duration`: `10s`, `500ms`, `2m` or a plain number of seconds, as written; the range is checked
/// by the command's `validate()`.
struct BenchDuration: Sendable, Equatable, CustomStringConvertible {
  var seconds: Double
  var description: String

  init(seconds: Double) {
    self.seconds = seconds
    description = seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
  }

  /// Parses the syntax only; a malformed text throws naming it.
  init(parsing text: String) throws(BenchError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let (number, unit): (Substring, Double) =
      trimmed.hasSuffix("ms")
      ? (trimmed.dropLast(2), 0.001)
      : trimmed.hasSuffix("s")
        ? (trimmed.dropLast(), 1)
        : trimmed.hasSuffix("m") ? (trimmed.dropLast(), 60) : (Substring(trimmed), 1)
    guard let value = Double(number), value.isFinite else {
      throw BenchError("--duration must be like 10s, 500ms or 2m, not \(text)")
    }
    seconds = value * unit
    description = text
  }

  /// Whole milliseconds: 0.0001s rounds to nothing, which `validate()` refuses like `0s`.
  var duration: Duration { .milliseconds(Int((seconds * 1000).rounded())) }
}

/// A comma-separated `--clients` list such as `1,4,16,64`; the counts' range is checked by `validate()`.
enum ClientCounts {
  static func parse(_ text: String) throws(BenchError) -> [Int] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { (part) throws(BenchError) in
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard let count = Int(trimmed) else {
        throw BenchError("--clients takes whole numbers, not \(trimmed)")
      }
      return count
    }
  }
}
