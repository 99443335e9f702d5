import Foundation

/// The human-readable report: results table, ratios with targets, front-end figures, correctness.
enum ReportTable {
  static func results(_ results: [BenchReport.Result]) -> String {
    var rows = [resultColumns]
    for result in results {
      rows.append([
        result.engine, result.scenario, String(result.clients), fixed(result.throughput, 0),
        fixed(result.p50Ms, 2), fixed(result.p99Ms, 2), fixed(result.p999Ms, 2), String(result.errors),
      ])
    }
    return table(rows, rightAligned: 2...)
  }

  /// One result as a line of fixed column widths, printed as soon as it is measured.
  static func progressLine(_ result: BenchReport.Result) -> String {
    progressLine([
      result.engine, result.scenario, String(result.clients), fixed(result.throughput, 0),
      fixed(result.p50Ms, 2), fixed(result.p99Ms, 2), fixed(result.p999Ms, 2), String(result.errors),
    ])
  }

  static let progressHeader = progressLine(resultColumns)
  static let resultColumns = [
    "engine", "scenario", "clients", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "errors",
  ]

  private static func progressLine(_ cells: [String]) -> String {
    let widths = [8, 16, 7, 8, 8, 8, 9, 6]
    return zip(cells, widths).enumerated().map { column, pair in
      let padding = String(repeating: " ", count: max(0, pair.1 - pair.0.count))
      return column < 2 ? pair.0 + padding : padding + pair.0
    }.joined(separator: "  ")
  }

  static func pgbench(_ runs: [BenchReport.Pgbench]) -> String {
    var rows = [["engine", "pgbench order transaction", "clients", "tps"]]
    for run in runs {
      rows.append([
        run.engine, "lock 3 hot + decrement + order + 3 lines", String(run.clients), fixed(run.tps, 0),
      ])
    }
    return table(rows, rightAligned: 2...)
  }

  static func ratios(_ ratios: [BenchReport.Ratio]) -> String {
    var rows = [["engine", "ratio", "clients", "value", "target", "met"]]
    for ratio in ratios {
      rows.append([
        ratio.engine, ratio.name, String(ratio.clients), fixed(ratio.value, 2),
        ratio.target.map { "≥ " + fixed($0, 1) } ?? "—", ratio.met.map { $0 ? "yes" : "NO" } ?? "—",
      ])
    }
    return table(rows, rightAligned: 2...4)
  }

  static func frontend(_ figures: [FrontEndFigure]) -> String {
    var rows = [["products", "startup ms", "key median ms", "key p99 ms", "peak RSS MB"]]
    for figure in figures {
      rows.append([
        String(figure.products), fixed(figure.startupMs, 0), fixed(figure.keyMedianMs, 2),
        fixed(figure.keyP99Ms, 2), fixed(figure.peakRSSMB, 1),
      ])
    }
    return table(rows, rightAligned: 0...)
  }

  static func correctness(_ report: CorrectnessReport, title: String = "correctness") -> String {
    let verdict = report.passed ? "PASSED" : "FAILED"
    var text = """
      \(title) \(verdict): oversold \(report.oversold), lost increments \(report.lostIncrements), \
      double charges \(report.doubleCharges)
        (\(report.productsChecked) products conserved, \(report.cartsChecked) carts counted, \
      \(report.unacknowledgedIncrements) increments applied without an acknowledgement, \
      \(report.cardPaymentsChecked) card payments matched to the provider's charges)
      """
    if !report.chargesChecked {
      text += "\n  the card provider's charges were not checked: it is not this process's (--server)"
    }
    return text
  }

  /// Columns padded to their widest cell; the columns in `rightAligned` (numbers) align right.
  static func table(_ rows: [[String]], rightAligned: some RangeExpression<Int>) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in
      rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0
    }
    return rows.map { row in
      row.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return rightAligned.contains(column) ? padding + cell : cell + padding
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }

  static func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }
}
