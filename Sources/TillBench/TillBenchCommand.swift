import ArgumentParser
import Foundation
import TillVersion

/// `till-bench`: load generator and performance report. The `till-bench` executable only runs it.
public struct TillBenchCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "till-bench",
    abstract: "Measure Till's back ends against ceilings measured in the same run.",
    discussion: """
      Starts its own back ends (a temporary SQLite file; a throwaway PostgreSQL cluster) with the server on \
      127.0.0.1, or targets a running one with --server, and drives them through the project's libcurl \
      transport: one kept-alive connection per client, each client a closed loop. Prints throughput and \
      latency percentiles per engine, scenario and client count, the ratios to the ceilings measured in the \
      same run (increment-hot / health, order-hot / store-order-hot, order-hot / pgbench) beside the \
      targets, and a correctness check (oversold, lost increments, double charges) that makes the exit \
      status non-zero when it fails.

      Scenarios: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).
      Order scenarios and pay prepare their carts untimed; only POST /v1/orders (or the payment POST) is \
      timed, as store-order-hot times only the Store's placeOrder.
      """,
    version: TillVersion.description)

  @Option(help: "The back ends the bench starts: sqlite, postgres or both.")
  var engine = EngineChoice.both

  @Option(help: "Target a running back end at this URL instead of starting one (loopback only).")
  var server: String?

  @Option(help: "Staff token for --server (also TILL_TOKEN).")
  var token: String?

  @Option(help: "Admin token for --server: lets the bench raise the hot products' stock.")
  var adminToken: String?

  @Option(
    help: ArgumentHelp(
      "Staff code of the cashier the bench signs in as on --server (also TILL_STAFF_CODE); the PIN is read"
        + " from TILL_STAFF_PIN only, so it stays out of the process list.", valueName: "digits"))
  var staffCode: String?

  @Option(
    help: ArgumentHelp("Comma-separated scenarios, or all.", valueName: "a,b,…"),
    transform: Scenario.parseList)
  var scenarios: [Scenario]?

  @Option(
    help: ArgumentHelp(
      "Comma-separated client counts, 1 to 256 (default 1,4,16,64; --quick: 16).", valueName: "n,…"),
    transform: ClientCounts.parse)
  var clients: [Int]?

  @Option(
    help:
      "Timed duration per scenario and client count, e.g. 10s, 500ms, 2m; 1 ms to 1 hour (default 10s; --quick: 1s).",
    transform: BenchDuration.init(parsing:))
  var duration: BenchDuration?

  @Option(help: "Products in the generated catalogue, 3 to 200000 (default 10000; --quick: 2000).")
  var catalogue: Int?

  @Flag(help: "Smoke run: about 1 s per scenario, 16 clients, a small catalogue.")
  var quick = false

  @Option(help: "Also write the figures as JSON to this file.")
  var json: String?

  @Flag(help: "Run pgbench with the plain order transaction on the same PostgreSQL database.")
  var comparePgbench = false

  public init() {}

  public mutating func validate() throws {
    if let server {
      token = token ?? ProcessInfo.processInfo.environment["TILL_TOKEN"]
      guard let token, !token.isEmpty else { throw ValidationError("--server needs --token (or TILL_TOKEN)") }
      guard BenchSettings.isLoopback(server) else {
        throw ValidationError(
          "--server must be a loopback URL (http://127.0.0.1:PORT or http://localhost:PORT)")
      }
      staffCode = staffCode ?? ProcessInfo.processInfo.environment["TILL_STAFF_CODE"]
      guard let staffCode, !staffCode.isEmpty else {
        throw ValidationError(
          "--server needs --staff-code (or TILL_STAFF_CODE), with the PIN in TILL_STAFF_PIN")
      }
    }
    if let clients {
      if let culprit = clients.first(where: { !BenchSettings.clientRange.contains($0) }) {
        throw ValidationError("--clients takes counts from 1 to 256, not \(culprit)")
      }
    }
    if let duration, !BenchSettings.durationRange.contains(duration.seconds) {
      throw ValidationError("--duration must be from 1 ms to 1 hour, not \(duration)")
    }
    if let catalogue, !BenchSettings.catalogueRange.contains(catalogue) {
      throw ValidationError("--catalogue must be 3 to 200000, not \(catalogue)")
    }
  }

  /// What `validate()` admitted, with the defaults of the options left out.
  var settings: BenchSettings {
    var target = BenchSettings.Target.local(engines: engine.engines)
    if let server, let token {
      var url = server
      while url.hasSuffix("/") { url.removeLast() }
      let cashier = BenchCashier(
        code: staffCode ?? "", pin: ProcessInfo.processInfo.environment["TILL_STAFF_PIN"] ?? "")
      target = .remote(url: url, token: token, adminToken: adminToken, cashier: cashier)
    }
    return BenchSettings(
      target: target, scenarios: scenarios ?? Scenario.allCases,
      clients: clients ?? BenchSettings.defaultClients(quick: quick),
      duration: (duration ?? BenchSettings.defaultDuration(quick: quick)).duration,
      catalogue: catalogue ?? BenchSettings.defaultCatalogue(quick: quick), quick: quick,
      comparePgbench: comparePgbench)
  }

  public func run() async throws {
    let settings = settings
    let report = try await BenchSession(settings: settings).run()
    if let json {
      try report.write(to: json)
      print("figures written to \(json)")
    }
    if !report.correctness.passed { throw ExitCode(1) }
    if settings.scenarios.contains(.frontend) && report.frontend.isEmpty {
      print("front-end figures could not be measured (see the note above)")
      throw ExitCode(1)
    }
  }
}

extension EngineChoice: ExpressibleByArgument {}
