import Foundation

/// Everything one run measured: the table, the ratios, the verdict. Encoded as the `--json` file:
/// `{"machine", "results", "ratios", "correctness"}` as the report promises them, plus "pgbench", "frontend",
/// "settings" and "notes".
struct BenchReport: Codable, Sendable {
  struct Result: Codable, Sendable {
    var scenario: String
    var engine: String
    var clients: Int
    /// Successful operations per second of timed wall time.
    var throughput: Double
    var p50Ms: Double
    var p99Ms: Double
    var p999Ms: Double
    /// Non-2xx answers and transport errors.
    var errors: Int
    /// Successful operations in the run.
    var operations: Int
  }

  struct Ratio: Codable, Sendable {
    var name: String
    var engine: String
    var clients: Int
    var value: Double
    /// The target for this ratio on this engine (at 16 clients), nil when it sets none.
    var target: Double?
    var met: Bool?
  }

  struct Pgbench: Codable, Sendable {
    var engine: String
    var clients: Int
    var tps: Double
  }

  struct Settings: Codable, Sendable {
    var engines: [String]
    var scenarios: [String]
    var clients: [Int]
    var durationSeconds: Double
    var quick: Bool
    var catalogue: Int
    var target: String
  }

  var machine: Machine
  var settings: Settings
  var results: [Result] = []
  var ratios: [Ratio] = []
  var correctness = CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 0)
  var pgbench: [Pgbench] = []
  var frontend: [FrontEndFigure] = []
  /// What could not be measured and why (e.g. store-order-hot against `--server`).
  var notes: [String] = []

  func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(self).write(to: URL(fileURLWithPath: path))
  }
}
