import Foundation

/// The validated command line: what to run, where, how long.
struct BenchSettings: Sendable {
  enum Target: Sendable {
    /// Start back ends of these engines in this process.
    case local(engines: [String])
    /// A running back end.
    case remote(url: String, token: String, adminToken: String?)
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

  init(
    engine: String, server: String?, token: String?, adminToken: String?, scenarios: String,
    clients: String?, duration: String?, catalogue: Int?, quick: Bool, comparePgbench: Bool
  ) throws {
    if let server {
      guard let token, !token.isEmpty else { throw BenchError("--server needs --token (or TILL_TOKEN)") }
      guard Self.isLoopback(server) else {
        throw BenchError("--server must be a loopback URL (http://127.0.0.1:PORT or http://localhost:PORT)")
      }
      var url = server
      while url.hasSuffix("/") { url.removeLast() }
      target = .remote(url: url, token: token, adminToken: adminToken)
    } else {
      switch engine {
      case "both": target = .local(engines: ["sqlite", "postgres"])
      case "sqlite", "postgres": target = .local(engines: [engine])
      default: throw BenchError("--engine must be sqlite, postgres or both, not \(engine)")
      }
    }
    self.scenarios = try Scenario.parseList(scenarios)
    let clientList = clients ?? (quick ? "16" : "1,4,16,64")
    self.clients = try clientList.split(separator: ",").map { text in
      guard let count = Int(text.trimmingCharacters(in: .whitespaces)), (1...256).contains(count) else {
        throw BenchError("--clients takes counts from 1 to 256, not \(text)")
      }
      return count
    }
    guard !self.clients.isEmpty else { throw BenchError("--clients needs at least one count, e.g. 16") }
    self.duration = try Self.parseDuration(duration ?? (quick ? "1s" : "10s"))
    self.catalogue = catalogue ?? (quick ? 2_000 : 10_000)
    guard (3...200_000).contains(self.catalogue) else { throw BenchError("--catalogue must be 3 to 200000") }
    self.quick = quick
    self.comparePgbench = comparePgbench
  }

  /// `10s`, `500ms`, `2m` or a plain number of seconds; at most an hour.
  static func parseDuration(_ text: String) throws -> Duration {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let (number, unit): (Substring, Double) =
      trimmed.hasSuffix("ms")
      ? (trimmed.dropLast(2), 0.001)
      : trimmed.hasSuffix("s")
        ? (trimmed.dropLast(), 1)
        : trimmed.hasSuffix("m") ? (trimmed.dropLast(), 60) : (Substring(trimmed), 1)
    guard let value = Double(number), value > 0, value * unit <= 3_600 else {
      throw BenchError("--duration must be like 10s, 500ms or 2m (at most 1 hour), not \(text)")
    }
    let milliseconds = Int((value * unit * 1000).rounded())
    // 0.0001s would round to nothing: a run that measures nothing, like 0s.
    guard milliseconds >= 1 else {
      throw BenchError("--duration must be like 10s, 500ms or 2m (at least 1 ms), not \(text)")
    }
    return .milliseconds(milliseconds)
  }

  static func isLoopback(_ url: String) -> Bool {
    guard let host = URLComponents(string: url)?.host else { return false }
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
  }
}
