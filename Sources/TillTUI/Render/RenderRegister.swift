import TillCore

/// The register's screens: F3's keys, the float, a pay-in or pay-out, the blind count, the X and Z reports.
func renderRegister(_ state: AppState, _ screen: RegisterScreen, into grid: inout Screen) {
  let currency = state.configuration.currency
  switch screen {
  case .openFloat(let text):
    drawBox(
      title: "Open the register",
      lines: [
        DialogLine("Count the cash in the drawer.", .dim),
        DialogLine("Opening float: \(text)▏ \(currency)", .input),
        DialogLine("Enter  open    Esc  later", .key),
      ], width: dialogWidth, into: &grid)
  case .menu:
    let opened = state.register.session.map {
      "Open since \(clockTime($0.openedAt)), float \(money($0.openingFloat))"
    }
    drawBox(
      title: "Register",
      lines: [DialogLine(opened ?? "", .dim)]
        + [
          ("x", "X report (changes nothing)"), ("i", "pay-in: cash put in"), ("o", "pay-out: cash taken out"),
          ("d", "open the drawer, no sale"), ("z", "close: count the cash, Z report"), ("Esc", "back"),
        ].map { DialogLine(DisplayWidth.fit($0.0, width: 6) + $0.1) }, width: dialogWidth, into: &grid)
  case .move(let dialog):
    let amount = dialog.amount + (dialog.field == .amount ? "▏" : "")
    let reason = dialog.reason + (dialog.field == .reason ? "▏" : "")
    drawBox(
      title: dialog.title,
      lines: [
        DialogLine("Amount: \(amount) \(currency)", dialog.field == .amount ? .input : .normal),
        DialogLine("Reason: \(reason)", dialog.field == .reason ? .input : .normal),
        DialogLine(dialog.kind == .payOut ? "A cashier's pay-out needs a manager." : "", .dim),
        DialogLine("Enter  next / record    Esc  nothing moves", .key),
      ], width: dialogWidth, into: &grid)
  case .confirmNoSale:
    drawBox(
      title: "No sale",
      lines: [
        DialogLine("Open the drawer without a sale? It is recorded.", .dim),
        DialogLine("Enter  open the drawer    Esc  keep it shut", .key),
      ], width: dialogWidth, into: &grid)
  case .count(let text):
    drawBox(
      title: "Close the register",
      lines: [
        DialogLine("Count the cash in the drawer.", .dim),
        DialogLine("Counted: \(text)▏ \(currency)", .input),
        DialogLine("Enter  close and print the Z    Esc  stay open", .key),
      ], width: dialogWidth, into: &grid)
  case .x(let report):
    drawBox(
      title: "X report", lines: reportLines(report, width: reportWidth), width: reportWidth + 4, into: &grid)
  case .z(let z):
    var lines = reportLines(z.report, width: reportWidth)
    lines.append(DialogLine("Counted cash", right: money(z.countedCash), width: reportWidth))
    lines.append(
      DialogLine(
        "Variance", right: money(z.variance), width: reportWidth, z.variance.amount == 0 ? .normal : .warning)
    )
    drawBox(
      title: "Z report \(z.number) — register closed", lines: lines, width: reportWidth + 4, into: &grid)
  }
}

/// The inner width of the X and Z reports.
let reportWidth = 44

/// A report's figures, one per line; the cash figures only when the report has them (a cashier's X
/// report under blind counting has none).
func reportLines(_ report: SessionReport, width: Int) -> [DialogLine] {
  var lines = [
    DialogLine("Sales (\(report.salesCount))", right: money(report.salesTotal), width: width)
  ]
  for method in report.payments {
    lines.append(
      DialogLine("  \(method.method.rawValue) (\(method.count))", right: money(method.amount), width: width))
  }
  lines.append(DialogLine("Discounts", right: money(report.discountTotal), width: width))
  lines.append(
    DialogLine("Canceled (\(report.cancels.count))", right: money(report.cancels.amount), width: width))
  for method in report.refunds ?? [] {
    lines.append(
      DialogLine(
        "Refunded \(method.method.rawValue) (\(method.count))", right: money(method.amount), width: width))
  }
  for tax in report.taxes {
    lines.append(
      DialogLine("VAT \(percentText(tax.rate)) on \(money(tax.net))", right: money(tax.tax), width: width))
  }
  lines.append(
    DialogLine("Pay-ins (\(report.payIns.count))", right: money(report.payIns.amount), width: width))
  lines.append(
    DialogLine("Pay-outs (\(report.payOuts.count))", right: money(report.payOuts.amount), width: width))
  lines.append(DialogLine("No-sales", right: String(report.noSales), width: width))
  if let cash = report.cash {
    lines.append(DialogLine("Expected cash", right: money(cash.expected), width: width, .title))
  }
  return lines
}

/// A rate in basis points as a percentage: `700` → `7%`, `1950` → `19.5%`.
func percentText(_ basisPoints: Int) -> String {
  let hundredths = basisPoints % 100
  let fraction =
    hundredths == 0
    ? "" : hundredths % 10 == 0 ? ".\(hundredths / 10)" : ".\(hundredths < 10 ? "0" : "")\(hundredths)"
  return "\(basisPoints / 100)\(fraction)%"
}

/// `HH:MM` of an RFC 3339 time, or the text as it is.
func clockTime(_ timestamp: String) -> String {
  guard let t = timestamp.firstIndex(of: "T") else { return timestamp }
  return String(timestamp[timestamp.index(after: t)...].prefix(5))
}
