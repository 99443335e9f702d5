import Foundation

/// Runs every engine × scenario × client count, prints rows as they come, then the ratios, the front
/// end's figures and the correctness verdict; answers the whole report.
struct BenchSession {
  let settings: BenchSettings

  func run() async throws -> BenchReport {
    let machine = Machine.current()
    var report = BenchReport(
      machine: machine,
      settings: .init(
        engines: engines, scenarios: settings.scenarios.map(\.rawValue), clients: settings.clients,
        durationSeconds: LoadDriver.seconds(settings.duration), quick: settings.quick,
        catalogue: settings.catalogue, target: remoteURL ?? "in-process"))
    print("till-bench on \(machine.summary)")
    print(
      "scenarios \(report.settings.scenarios.joined(separator: ",")); clients \(settings.clients.map(String.init).joined(separator: ",")); "
        + "\(ReportTable.fixed(report.settings.durationSeconds, 1)) s each; catalogue \(settings.catalogue)")
    #if DEBUG
      print("note: a debug build; figures of a release build (swift build -c release) are the ones to quote")
    #endif

    var verdict: CorrectnessReport?
    print("\n" + ReportTable.progressHeader)
    for target in settings.runs where settings.scenarios.contains(where: { $0 != .frontend }) {
      let outcome = try await EngineRun(settings: settings, target: target).run { result in
        print(ReportTable.progressLine(result))
        // Flushed, so each row shows as it is measured even when the output goes to a file or CI log
        // (nil: every stream; naming `stdout` is not concurrency-safe in Swift 6).
        fflush(nil)
      }
      report.results += outcome.results
      report.pgbench += outcome.pgbench
      report.notes += outcome.notes
      verdict = verdict.map { $0 + outcome.correctness } ?? outcome.correctness
      print(ReportTable.correctness(outcome.correctness, title: "\(target.label) correctness"))
      fflush(nil)
    }
    if settings.scenarios.contains(.frontend) {
      do {
        report.frontend = try await FrontEndBench.run(
          productCounts: settings.quick ? [10_000] : [10_000, 100_000], quick: settings.quick)
      } catch {
        report.notes.append("frontend: not measured: \(error)")
      }
    }
    report.ratios = Ratios.compute(results: report.results, pgbench: report.pgbench)
    report.correctness = verdict ?? report.correctness

    print("\n" + ReportTable.results(report.results))
    if !report.pgbench.isEmpty { print("\n" + ReportTable.pgbench(report.pgbench)) }
    if !report.ratios.isEmpty {
      print("\nratios to the ceilings of this run (targets apply at \(Ratios.targetClients) clients)")
      print(ReportTable.ratios(report.ratios))
    }
    if !report.frontend.isEmpty {
      print("\nfront end (targets: startup < 1000 ms; key median < 2 ms at 10 000, < 10 ms at 100 000)")
      print(ReportTable.frontend(report.frontend))
    }
    for note in report.notes { print("note: \(note)") }
    print("\n" + ReportTable.correctness(report.correctness))
    return report
  }

  private var engines: [String] { settings.runs.map(\.label) }

  private var remoteURL: String? {
    if case .remote(let url, _, _, _) = settings.target { return url }
    return nil
  }
}
