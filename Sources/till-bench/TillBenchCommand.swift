import ArgumentParser
import Foundation

/// `till-bench`: load generator and performance report.
@main
struct TillBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
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
      """)

  @Option(help: "sqlite, postgres or both (back ends started by the bench).")
  var engine = "both"

  @Option(help: "Target a running back end at this URL instead of starting one (loopback only).")
  var server: String?

  @Option(help: "Staff token for --server (also TILL_TOKEN).")
  var token: String?

  @Option(help: "Admin token for --server: lets the bench raise the hot products' stock.")
  var adminToken: String?

  @Option(help: "Comma-separated scenarios, or all.")
  var scenarios = "all"

  @Option(help: "Comma-separated client counts (default 1,4,16,64; --quick: 16).")
  var clients: String?

  @Option(help: "Timed duration per scenario and client count, e.g. 10s, 500ms (default 10s; --quick: 1s).")
  var duration: String?

  @Option(help: "Products in the generated catalogue (default 10000; --quick: 2000).")
  var catalogue: Int?

  @Flag(help: "Smoke run: about 1 s per scenario, 16 clients, a small catalogue.")
  var quick = false

  @Option(help: "Also write the figures as JSON to this file.")
  var json: String?

  @Flag(help: "Run pgbench with the plain order transaction on the same PostgreSQL database.")
  var comparePgbench = false

  func run() async throws {
    let settings = try BenchSettings(
      engine: engine, server: server, token: token ?? ProcessInfo.processInfo.environment["TILL_TOKEN"],
      adminToken: adminToken, scenarios: scenarios, clients: clients, duration: duration,
      catalogue: catalogue, quick: quick, comparePgbench: comparePgbench)
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
