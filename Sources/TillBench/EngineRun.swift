import Foundation
import TillCore

/// One engine (or the `--server` target): start the back end, run the scenarios at every client count,
/// run pgbench when asked, check correctness, stop.
struct EngineRun {
  let settings: BenchSettings
  let target: RunTarget
  /// The engine's name in rows and notes.
  private var engine: String { target.label }

  struct Outcome {
    var results: [BenchReport.Result] = []
    var pgbench: [BenchReport.Pgbench] = []
    var notes: [String] = []
    var correctness = CorrectnessReport(oversold: 0, lostIncrements: 0, doubleCharges: 0)
  }

  func run(progress: (BenchReport.Result) -> Void) async throws -> Outcome {
    let started = try await startBackEnd()
    do {
      let backEnd = try await started.signedIn()
      let outcome = try await measure(on: backEnd, progress: progress)
      await started.stop()
      return outcome
    } catch {
      await started.stop()
      throw error
    }
  }

  private func startBackEnd() async throws -> BackEnd {
    switch target {
    case .local(let engine):
      return try await LocalBackEnd.start(
        engine: engine, products: LocalBackEnd.catalogue(count: settings.catalogue),
        tills: settings.clients.max() ?? 1)
    case .remote(let url, let token, let adminToken, let cashier):
      return BackEnd(
        engine: engine, baseURL: url, staffTokens: [token], adminToken: adminToken, cashier: cashier,
        store: nil,
        sandboxURL: nil,
        sandboxAuthorization: nil, postgres: nil, stop: {})
    }
  }

  private func measure(on backEnd: BackEnd, progress: (BenchReport.Result) -> Void) async throws -> Outcome {
    var outcome = Outcome()
    let probe = CorrectnessProbe(
      backEnd: backEnd, storeOwners: (0..<(settings.clients.max() ?? 1)).map(BenchRun.storeOwner))
    var stockBefore = try await probe.stock()
    let skus = stockBefore.keys.sorted()
    guard skus.count >= 3 else { throw BenchError("the back end's catalogue has fewer than 3 products") }
    let run = BenchRun(backEnd: backEnd, hotSKUs: Array(skus.prefix(3)), spreadSKUs: skus)
    if case .remote = target {
      try await raiseHotStock(run)
      stockBefore = try await probe.stock()
    }
    let newestBefore = try await probe.newestOrderNumbers()

    for scenario in settings.scenarios where scenario != .frontend {
      for clients in settings.clients {
        guard let measurement = await measure(scenario, run: run, clients: clients) else {
          let note = "\(engine): \(scenario.rawValue) not measured: no Store in this process (--server)"
          if !outcome.notes.contains(note) { outcome.notes.append(note) }
          continue
        }
        let recorder = measurement.recorder
        let result = BenchReport.Result(
          scenario: scenario.rawValue, engine: engine, clients: clients, throughput: measurement.throughput,
          p50Ms: recorder.milliseconds(atPercentile: 50), p99Ms: recorder.milliseconds(atPercentile: 99),
          p999Ms: recorder.milliseconds(atPercentile: 99.9), errors: recorder.errors,
          operations: recorder.successes)
        outcome.results.append(result)
        progress(result)
      }
    }

    var pgbenchSold: [String: Int] = [:]
    if settings.comparePgbench {
      if let postgres = backEnd.postgres {
        let comparison = PgbenchComparison(
          cluster: postgres.cluster, database: postgres.database, hotSKUs: run.hotSKUs)
        let seconds = max(1, Int(LoadDriver.seconds(settings.duration).rounded()))
        for clients in settings.clients {
          let tps = try await comparison.run(clients: clients, seconds: seconds)
          outcome.pgbench.append(.init(engine: engine, clients: clients, tps: tps))
          print("\(engine)  pgbench order transaction  \(clients) clients  \(ReportTable.fixed(tps, 0)) tps")
        }
        pgbenchSold = try await comparison.soldUnits()
      } else if case .remote = target {
        outcome.notes.append("\(engine): pgbench not run: the bench did not start this database")
      }
    }

    outcome.correctness = try await probe.verdict(
      stockBefore: stockBefore, newestOrdersBefore: newestBefore, ledger: run.ledger, otherSold: pgbenchSold)
    return outcome
  }

  private func measure(_ scenario: Scenario, run: BenchRun, clients: Int) async -> Measurement? {
    let duration = settings.duration
    let batch = settings.firstBatch
    switch scenario {
    case .health: return await run.health(clients: clients, duration: duration)
    case .browse: return await run.browse(clients: clients, duration: duration)
    case .incrementHot: return await run.incrementHot(clients: clients, duration: duration)
    case .incrementSpread: return await run.incrementSpread(clients: clients, duration: duration)
    case .orderHot: return await run.orderHot(clients: clients, duration: duration, firstBatch: batch)
    case .orderSpread: return await run.orderSpread(clients: clients, duration: duration, firstBatch: batch)
    case .pay: return await run.pay(clients: clients, duration: duration, firstBatch: batch)
    case .storeOrderHot:
      return await run.storeOrderHot(clients: clients, duration: duration, firstBatch: batch)
    case .frontend: return nil
    }
  }

  /// Against `--server` with an admin token: enough stock on the hot products for a long run.
  private func raiseHotStock(_ run: BenchRun) async throws {
    guard let admin = run.backEnd.adminToken else { return }
    let connection = BenchConnection(baseURL: run.backEnd.baseURL, token: admin)
    for sku in run.hotSKUs {
      let response = await connection.send(
        "POST", "/v1/products/\(sku)/stock-adjustments",
        body: #"{"delta":1000000,"reason":"till-bench hot stock"}"#)
      guard BenchConnection.succeeded(response) else {
        throw BenchError(
          "could not raise the stock of \(sku) with the admin token (status \(response?.status ?? 0))")
      }
    }
  }
}
