import Testing

@testable import TillBench

private func row(_ scenario: Scenario, _ engine: String, _ clients: Int, _ throughput: Double)
  -> BenchReport.Result
{
  BenchReport.Result(
    scenario: scenario.rawValue, engine: engine, clients: clients, throughput: throughput, p50Ms: 1,
    p99Ms: 2, p999Ms: 3, errors: 0, operations: Int(throughput))
}

private func ratio(_ ratios: [BenchReport.Ratio], _ name: String, _ engine: String, _ clients: Int)
  -> BenchReport.Ratio?
{
  ratios.first { $0.name == name && $0.engine == engine && $0.clients == clients }
}

@Suite struct RatiosTests {
  @Test func sqliteRatiosAtSixteenClientsCarryTheIssueTargets() throws {
    let ratios = Ratios.compute(
      results: [
        row(.health, "sqlite", 16, 10_000), row(.incrementHot, "sqlite", 16, 6_000),
        row(.orderHot, "sqlite", 16, 1_000), row(.storeOrderHot, "sqlite", 16, 2_000),
      ], pgbench: [])
    #expect(ratios.count == 2)
    let increment = try #require(ratio(ratios, "increment-hot/health", "sqlite", 16))
    #expect(increment.value == 0.6)
    #expect(increment.target == 0.5)
    #expect(increment.met == true)
    let order = try #require(ratio(ratios, "order-hot/store-order-hot", "sqlite", 16))
    #expect(order.value == 0.5)
    #expect(order.target == 0.6)
    #expect(order.met == false)
  }

  @Test func postgresHasTheOrderTargetsButNoIncrementTarget() throws {
    let ratios = Ratios.compute(
      results: [
        row(.health, "postgres", 16, 8_000), row(.incrementHot, "postgres", 16, 2_000),
        row(.orderHot, "postgres", 16, 900), row(.storeOrderHot, "postgres", 16, 1_000),
      ], pgbench: [.init(engine: "postgres", clients: 16, tps: 1_200)])
    #expect(ratios.count == 3)
    let increment = try #require(ratio(ratios, "increment-hot/health", "postgres", 16))
    #expect(increment.value == 0.25)
    #expect(increment.target == nil)
    #expect(increment.met == nil)
    let order = try #require(ratio(ratios, "order-hot/store-order-hot", "postgres", 16))
    #expect(order.value == 0.9)
    #expect(order.target == 0.8)
    #expect(order.met == true)
    let pgbench = try #require(ratio(ratios, "order-hot/pgbench", "postgres", 16))
    #expect(pgbench.value == 0.75)
    #expect(pgbench.target == 1.0)
    #expect(pgbench.met == false)
  }

  @Test func aRatioExactlyOnItsTargetIsMet() throws {
    let ratios = Ratios.compute(
      results: [row(.health, "sqlite", 16, 1_000), row(.incrementHot, "sqlite", 16, 500)], pgbench: [])
    #expect(try #require(ratio(ratios, "increment-hot/health", "sqlite", 16)).met == true)
  }

  /// Targets apply at 16 clients; other counts show the ratio alone, and engines never mix.
  @Test func otherClientCountsAndEnginesAreKeptApart() throws {
    let ratios = Ratios.compute(
      results: [
        row(.health, "sqlite", 4, 4_000), row(.incrementHot, "sqlite", 4, 1_000),
        row(.health, "sqlite", 16, 10_000), row(.incrementHot, "sqlite", 16, 4_000),
        row(.health, "postgres", 16, 5_000), row(.incrementHot, "postgres", 16, 4_000),
      ], pgbench: [])
    #expect(ratios.count == 3)
    let four = try #require(ratio(ratios, "increment-hot/health", "sqlite", 4))
    #expect(four.value == 0.25)
    #expect(four.target == nil)
    #expect(four.met == nil)
    #expect(try #require(ratio(ratios, "increment-hot/health", "sqlite", 16)).value == 0.4)
    #expect(try #require(ratio(ratios, "increment-hot/health", "postgres", 16)).value == 0.8)
  }

  /// A ceiling that was not measured, or measured 0, gives no ratio: never a division by zero or NaN.
  @Test func aMissingOrZeroCeilingGivesNoRatio() {
    let missing = Ratios.compute(
      results: [row(.incrementHot, "sqlite", 16, 4_000), row(.orderHot, "sqlite", 16, 1_000)], pgbench: [])
    #expect(missing.isEmpty)
    let zero = Ratios.compute(
      results: [
        row(.health, "sqlite", 16, 0), row(.incrementHot, "sqlite", 16, 4_000),
        row(.storeOrderHot, "sqlite", 16, 0), row(.orderHot, "sqlite", 16, 1_000),
      ], pgbench: [.init(engine: "sqlite", clients: 16, tps: 0)])
    #expect(zero.isEmpty)
  }

  @Test func aMissingNumeratorGivesNoRatio() {
    let ratios = Ratios.compute(
      results: [row(.health, "sqlite", 16, 4_000), row(.storeOrderHot, "sqlite", 16, 1_000)],
      pgbench: [.init(engine: "sqlite", clients: 16, tps: 900)])
    #expect(ratios.isEmpty)
  }

  /// A pgbench figure of another engine or client count is not used as the denominator.
  @Test func pgbenchIsMatchedByEngineAndClients() {
    let ratios = Ratios.compute(
      results: [row(.orderHot, "postgres", 16, 1_000)],
      pgbench: [
        .init(engine: "postgres", clients: 4, tps: 500), .init(engine: "sqlite", clients: 16, tps: 500),
      ])
    #expect(ratios.isEmpty)
  }
}
