import Foundation
import Testing

@testable import TillBench

/// A tiny real run: a SQLite back end, the server on 127.0.0.1, the sandbox card provider, real libcurl
/// clients, and the correctness check against what the back end holds afterwards.
@Suite struct BenchSessionTests {
  @Test(.timeLimit(.minutes(1)))
  func aTinySQLiteRunMeasuresEveryScenarioAndPassesItsCorrectnessCheck() async throws {
    let scenarios: [Scenario] = [.health, .incrementHot, .orderHot, .storeOrderHot]
    let settings = try TillBenchCommand.parse([
      "--engine", "sqlite", "--scenarios", scenarios.map(\.rawValue).joined(separator: ","), "--clients", "2",
      "--duration", "300ms", "--catalogue", "30", "--quick",
    ]).settings
    let report = try await BenchSession(settings: settings).run()

    #expect(report.results.map(\.scenario) == scenarios.map(\.rawValue))
    for result in report.results {
      #expect(result.engine == "sqlite")
      #expect(result.clients == 2)
      #expect(result.operations > 0, "\(result.scenario) did no operation")
      #expect(result.errors == 0, "\(result.scenario) had \(result.errors) errors")
      #expect(result.throughput > 0)
      #expect(0 < result.p50Ms && result.p50Ms <= result.p99Ms && result.p99Ms <= result.p999Ms)
    }

    let ratioNames = Set(report.ratios.map(\.name))
    #expect(ratioNames == ["increment-hot/health", "order-hot/store-order-hot"])
    for ratio in report.ratios {
      #expect(ratio.engine == "sqlite")
      #expect(ratio.clients == 2)
      #expect(ratio.value > 0 && ratio.value.isFinite)
      // Targets apply at 16 clients only.
      #expect(ratio.target == nil)
    }

    let correctness = report.correctness
    #expect(correctness.passed)
    #expect(correctness.oversold == 0)
    #expect(correctness.lostIncrements == 0)
    #expect(correctness.doubleCharges == 0)
    #expect(correctness.productsChecked == 30)
    // increment-hot shares one cart among all clients; its +1s were checked against it.
    #expect(correctness.cartsChecked >= 1)
    #expect(correctness.chargesChecked)

    #expect(report.settings.engines == ["sqlite"])
    #expect(report.settings.target == "in-process")
    #expect(report.notes.isEmpty)
  }
}
