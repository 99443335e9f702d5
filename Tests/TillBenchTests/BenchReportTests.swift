import Foundation
import Testing
import TillTestSupport

@testable import TillBench

/// The `--json` file as tooling reads it: plain JSON, the keys the README documents, numbers where numbers are.
@Suite struct BenchReportTests {
  private func sampleReport() -> BenchReport {
    var report = BenchReport(
      machine: Machine.current(),
      settings: .init(
        engines: ["sqlite"], scenarios: ["health", "increment-hot"], clients: [16], durationSeconds: 1,
        quick: true, catalogue: 2_000, target: "in-process"))
    report.results = [
      .init(
        scenario: "health", engine: "sqlite", clients: 16, throughput: 12_345.5, p50Ms: 0.5, p99Ms: 2.25,
        p999Ms: 7.5, errors: 0, operations: 12_345),
      .init(
        scenario: "increment-hot", engine: "sqlite", clients: 16, throughput: 6_000, p50Ms: 1, p99Ms: 3,
        p999Ms: 9, errors: 2, operations: 6_000),
    ]
    report.ratios = Ratios.compute(results: report.results, pgbench: [])
    report.correctness = CorrectnessReport(oversold: 1, lostIncrements: 2, doubleCharges: 3)
    return report
  }

  /// Writes the report through `write(to:)` and reads the file back as untyped JSON.
  private func writtenJSON(_ report: BenchReport) throws -> [String: Any] {
    let path = TemporaryDirectory.freshFile("till-bench-report", suffix: ".json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try report.write(to: path)
    let data = try #require(FileManager.default.contents(atPath: path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// A JSON number, not a string or a boolean (checked by dynamic type: `is Bool` bridges an NSNumber).
  private func isNumber(_ value: Any?) -> Bool {
    guard let value, type(of: value) != Bool.self, !(value is String) else { return false }
    return value is NSNumber
  }

  @Test func topLevelHasTheIssueKeysAndOnlyTheDocumentedExtras() throws {
    let json = try writtenJSON(sampleReport())
    #expect(Set(json.keys).isSuperset(of: ["machine", "results", "ratios", "correctness"]))
    #expect(
      Set(json.keys)
        == ["machine", "results", "ratios", "correctness", "pgbench", "frontend", "settings", "notes"])
    let machine = try #require(json["machine"] as? [String: Any])
    #expect(isNumber(machine["cores"]))
    #expect(machine["build"] as? String == "debug" || machine["build"] as? String == "release")
  }

  @Test func resultsCarryTheIssueKeysAsNumbers() throws {
    let json = try writtenJSON(sampleReport())
    let results = try #require(json["results"] as? [[String: Any]])
    #expect(results.count == 2)
    for result in results {
      #expect(Set(result.keys).isSuperset(of: ["scenario", "engine", "clients", "throughput"]))
      #expect(result["scenario"] is String)
      #expect(result["engine"] as? String == "sqlite")
      for key in ["clients", "throughput", "p50Ms", "p99Ms", "p999Ms", "errors"] {
        #expect(isNumber(result[key]), "results[].\(key) is \(String(describing: result[key]))")
      }
    }
    let health = try #require(results.first { $0["scenario"] as? String == "health" })
    #expect((health["throughput"] as? NSNumber)?.doubleValue == 12_345.5)
    #expect((health["p99Ms"] as? NSNumber)?.doubleValue == 2.25)
    #expect((health["p999Ms"] as? NSNumber)?.doubleValue == 7.5)
    #expect((health["clients"] as? NSNumber)?.intValue == 16)
    let increment = try #require(results.first { $0["scenario"] as? String == "increment-hot" })
    #expect((increment["errors"] as? NSNumber)?.intValue == 2)
  }

  @Test func ratiosCarryNameEngineClientsAndValue() throws {
    let json = try writtenJSON(sampleReport())
    let ratios = try #require(json["ratios"] as? [[String: Any]])
    let ratio = try #require(ratios.first)
    #expect(ratios.count == 1)
    #expect(ratio["name"] as? String == "increment-hot/health")
    #expect(ratio["engine"] as? String == "sqlite")
    #expect((ratio["clients"] as? NSNumber)?.intValue == 16)
    #expect(isNumber(ratio["value"]))
    let value = try #require((ratio["value"] as? NSNumber)?.doubleValue)
    #expect(abs(value - 6_000 / 12_345.5) < 1e-12)
  }

  @Test func correctnessCarriesTheThreeCounts() throws {
    let json = try writtenJSON(sampleReport())
    let correctness = try #require(json["correctness"] as? [String: Any])
    #expect((correctness["oversold"] as? NSNumber)?.intValue == 1)
    #expect((correctness["lostIncrements"] as? NSNumber)?.intValue == 2)
    #expect((correctness["doubleCharges"] as? NSNumber)?.intValue == 3)
    for key in ["oversold", "lostIncrements", "doubleCharges"] {
      #expect(isNumber(correctness[key]), "correctness.\(key)")
    }
  }

  @Test func anEmptyRunStillWritesEveryIssueKey() throws {
    let report = BenchReport(
      machine: Machine.current(),
      settings: .init(
        engines: [], scenarios: [], clients: [], durationSeconds: 1, quick: true, catalogue: 3,
        target: "in-process"))
    let json = try writtenJSON(report)
    #expect((json["results"] as? [Any])?.isEmpty == true)
    #expect((json["ratios"] as? [Any])?.isEmpty == true)
    let correctness = try #require(json["correctness"] as? [String: Any])
    #expect((correctness["oversold"] as? NSNumber)?.intValue == 0)
  }

  @Test func writingToAMissingDirectoryThrows() {
    let path = "/nonexistent-\(UUID().uuidString)/report.json"
    #expect(throws: (any Error).self) { try sampleReport().write(to: path) }
  }
}
