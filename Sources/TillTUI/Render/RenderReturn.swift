import TillCore

/// The return dialog: each line of the order with the units going back and whether they go back on the
/// shelf, what that is worth, then the tender, then the refund's receipt as the server laid it out.
func renderReturn(_ returning: ReturnDialog, into screen: inout Screen) {
  let width = min(screen.size.columns - 4, 72)
  let text = width - 4
  let order = returning.order
  var lines: [DialogLine] = []
  if case .done(let refund, let receipt) = returning.stage {
    if let receipt {
      let rows = receipt.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      lines += rows.prefix(max(1, screen.size.rows - 8)).map { DialogLine($0) }
    } else {
      let how = refund.method == .cash ? "cash from the drawer" : "to the card"
      let state = refund.status == .succeeded ? "refunded" : "pending at the card service"
      lines.append(DialogLine("\(money(refund.amount)) \(refund.amount.currency) \(how): \(state)", .success))
    }
    lines.append(DialogLine("Enter: back to the orders", .dim))
    drawBox(title: "Return from order #\(order.number)", lines: lines, width: width, into: &screen)
    return
  }
  if returning.givesBackParts {
    for part in returning.paidParts {
      lines.append(
        DialogLine(
          part.method == .cash ? "Paid in cash" : "Paid by card", right: money(part.amount), width: text))
    }
  } else {
    for (index, line) in order.lines.enumerated() {
      let units = returning.quantities[line.sku] ?? 0
      let shelf = units == 0 ? "" : returning.damaged.contains(line.sku) ? "  damaged" : "  to shelf"
      let left = "\(units) of \(line.quantity)  " + line.name
      var style: Style = units > 0 ? .warning : .normal
      if index == returning.index { style = .selection }
      lines.append(DialogLine(left, right: money(line.lineTotal) + shelf, width: text, style))
    }
    lines.append(DialogLine(""))
    let estimate = returning.linesEstimate
    lines.append(
      DialogLine(
        "Back (before earlier refunds)", right: "\(money(estimate)) \(estimate.currency)", width: text, .title
      ))
  }
  switch returning.stage {
  case .lines:
    lines.append(
      DialogLine(
        returning.givesBackParts
          ? "1 the cash paid  2 the latest card part  Esc back"
          : "+ - units  d damaged  1 cash  2 card  Esc back",
        .dim))
  case .confirm(let method):
    let estimate = returning.estimate(for: method)
    lines.append(
      DialogLine("Refund \(money(estimate)) \(method == .cash ? "in cash" : "to the card")?", .warning))
    lines.append(DialogLine("Enter  refund    Esc  back", .key))
  case .sending(let method):
    lines.append(DialogLine(method == .card ? "Refunding to the card…" : "Recording the cash refund…"))
  case .done: break
  }
  let title =
    returning.givesBackParts ? "Paid parts of order #\(order.number)" : "Return from order #\(order.number)"
  drawBox(title: title, lines: lines, width: width, into: &screen)
}
