import TillCore

/// A Z report as printed text and as CSV for the accountant, from its stored figures only.
public enum ZReportDocument {
  /// The report laid out for `width` columns (like a receipt), each row ending in a line feed.
  public static func text(_ z: ZReport, shop: ShopDetails, width requested: Int) -> String {
    let width = max(ReceiptLayout.minimumWidth, requested)
    let report = z.report
    let rule = String(repeating: "-", count: width)
    func row(_ left: String, _ right: String) -> [String] { ReceiptText.spread(left, right, width: width) }
    func money(_ value: Money) -> String { value.decimalString }
    var rows = ReceiptText.centred(ReceiptText.clean(shop.name), width: width)
    rows += ReceiptText.centred("Z REPORT \(z.number)", width: width)
    rows += row("Terminal", ReceiptText.clean(z.terminal))
    rows += row("Opened", report.session.openedAt) + row("  by", report.session.openedBy)
    rows += row("Closed", z.closedAt) + row("  by", z.closedBy)
    rows.append(rule)
    rows += row("Sales (\(report.salesCount))", money(report.salesTotal))
    for method in report.payments {
      rows += row("  \(method.method.rawValue) (\(method.count))", money(method.amount))
    }
    rows += row("Discounts given", money(report.discountTotal))
    rows += row("Canceled (\(report.cancels.count))", money(report.cancels.amount))
    for method in report.refunds ?? [] {
      rows += row("Refunded \(method.method.rawValue) (\(method.count))", money(method.amount))
    }
    rows.append(rule)
    rows += row("VAT rate", "net / tax / gross")
    for tax in report.taxes {
      rows += row(
        ReceiptText.percent(tax.rate), "\(money(tax.net)) / \(money(tax.tax)) / \(money(tax.gross))")
    }
    rows.append(rule)
    for person in report.people {
      rows += row("Staff \(person.staff) (\(person.salesCount))", money(person.salesTotal))
    }
    rows.append(rule)
    if let cash = report.cash {
      rows += row("Opening float", money(cash.openingFloat))
      rows += row("+ Cash taken", money(cash.taken))
      rows += row("- Change given", money(cash.change))
      rows += row("+ Pay-ins (\(report.payIns.count))", money(cash.payIns))
      rows += row("- Pay-outs (\(report.payOuts.count))", money(cash.payOuts))
      if let refunds = cash.refunds, refunds.amount > 0 { rows += row("- Cash refunds", money(refunds)) }
      rows += row("Expected cash", money(cash.expected))
    }
    rows += row("Counted cash", money(z.countedCash))
    rows += row("Variance", money(z.variance))
    rows += row("No-sales", "\(report.noSales)")
    rows += row("Currency", z.countedCash.currency)
    return rows.map { $0 + "\n" }.joined()
  }

  /// The report as CSV (RFC 4180): a `section,key,count,amount` header, then one row per figure;
  /// amounts in major units with a point, as a spreadsheet reads them.
  public static func csv(_ z: ZReport) -> String {
    let report = z.report
    var rows: [[String]] = [["section", "key", "count", "amount"]]
    func add(_ section: String, _ key: String, _ count: Int?, _ amount: Money?) {
      rows.append([section, key, count.map(String.init) ?? "", amount?.decimalString ?? ""])
    }
    add("z", "number", z.number, nil)
    add("z", "terminal \(z.terminal)", nil, nil)
    add("z", "opened \(report.session.openedAt) by \(report.session.openedBy)", nil, nil)
    add("z", "closed \(z.closedAt) by \(z.closedBy)", nil, nil)
    add("z", "currency \(z.countedCash.currency)", nil, nil)
    add("sales", "total", report.salesCount, report.salesTotal)
    for method in report.payments { add("payments", method.method.rawValue, method.count, method.amount) }
    add("discounts", "total", nil, report.discountTotal)
    add("cancels", "total", report.cancels.count, report.cancels.amount)
    for method in report.refunds ?? [] { add("refunds", method.method.rawValue, method.count, method.amount) }
    for tax in report.taxes {
      let rate = ReceiptText.percent(tax.rate)
      add("tax \(rate)", "net", nil, tax.net)
      add("tax \(rate)", "tax", nil, tax.tax)
      add("tax \(rate)", "gross", nil, tax.gross)
    }
    for person in report.people { add("staff", person.staff, person.salesCount, person.salesTotal) }
    if let cash = report.cash {
      add("cash", "opening float", nil, cash.openingFloat)
      add("cash", "taken", nil, cash.taken)
      add("cash", "change", nil, cash.change)
      add("cash", "pay-ins", report.payIns.count, cash.payIns)
      add("cash", "pay-outs", report.payOuts.count, cash.payOuts)
      if let refunds = cash.refunds { add("cash", "refunds", nil, refunds) }
      add("cash", "expected", nil, cash.expected)
    }
    add("cash", "counted", nil, z.countedCash)
    add("cash", "variance", nil, z.variance)
    add("drawer", "no-sales", report.noSales, nil)
    return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
  }

  /// A CSV field, quoted when it holds a comma, a quote or a line break; a leading `=`, `+`, `-` or `@`
  /// of text is prefixed with `'` so a spreadsheet does not run it as a formula.
  static func field(_ text: String) -> String {
    var text = text
    if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
    guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
