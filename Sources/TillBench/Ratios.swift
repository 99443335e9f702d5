/// The ratios to the ceilings measured in the same run, with the targets (which apply at 16
/// clients; other client counts show the ratio without a target).
enum Ratios {
  static let targetClients = 16

  static func compute(results: [BenchReport.Result], pgbench: [BenchReport.Pgbench]) -> [BenchReport.Ratio] {
    func throughput(_ scenario: Scenario, _ engine: String, _ clients: Int) -> Double? {
      results.first { $0.scenario == scenario.rawValue && $0.engine == engine && $0.clients == clients }?
        .throughput
    }
    var ratios: [BenchReport.Ratio] = []
    func add(
      _ name: String, _ engine: String, _ clients: Int, _ top: Double?, _ bottom: Double?, _ target: Double?
    ) {
      guard let top, let bottom, bottom > 0 else { return }
      let value = top / bottom
      let target = clients == targetClients ? target : nil
      ratios.append(
        .init(
          name: name, engine: engine, clients: clients, value: value, target: target,
          met: target.map { value >= $0 }))
    }
    let keys = results.map { "\($0.engine)|\($0.clients)" }
    var seen: Set<String> = []
    for (result, key) in zip(results, keys) where seen.insert(key).inserted {
      let (engine, clients) = (result.engine, result.clients)
      add(
        "increment-hot/health", engine, clients, throughput(.incrementHot, engine, clients),
        throughput(.health, engine, clients), engine == "sqlite" ? 0.5 : nil)
      add(
        "order-hot/store-order-hot", engine, clients, throughput(.orderHot, engine, clients),
        throughput(.storeOrderHot, engine, clients), engine == "sqlite" ? 0.6 : 0.8)
      let pg = pgbench.first { $0.engine == engine && $0.clients == clients }?.tps
      add("order-hot/pgbench", engine, clients, throughput(.orderHot, engine, clients), pg, 1.0)
    }
    return ratios.sorted { ($0.engine, $0.name, $0.clients) < ($1.engine, $1.name, $1.clients) }
  }
}
