import TillCore

/// The receipt screen: the server's text receipt as it will be printed (VAT table included), scrolled
/// with the arrows; the till's own summary until it arrives.
func renderReceipt(_ receipt: Receipt, scroll: Int, into screen: inout Screen) {
  guard receipt.text != nil else {
    renderReceiptSummary(receipt, scroll: scroll, into: &screen)
    return
  }
  let text = receipt.textLines
  let textWidth = max(40, text.map(DisplayWidth.of).max() ?? 0)
  // What this till took stays in view below the scrolling receipt: the change to hand out above all.
  let payment = paymentLines(receipt, width: textWidth)
  let rows = max(1, screen.size.rows - 8 - payment.count)
  let first = max(0, min(scroll, text.count - rows))
  var lines = text.dropFirst(first).prefix(rows).map { DialogLine($0) }
  lines += payment
  let next = receipt.closingHint
  let more = text.count > rows ? "↑↓ \(first) above · \(max(0, text.count - first - rows)) below  " : ""
  lines.append(DialogLine(more + next, .dim))
  let title = (receipt.copy ? "Receipt — copy" : "Receipt") + " · order #\(receipt.order.number)"
  drawBox(title: title, lines: lines, width: max(textWidth, DisplayWidth.of(more + next)) + 4, into: &screen)
}

/// The payment as this till saw it: taken now (cash with its change, or card), or earlier (nothing new
/// was taken, no change due). As many rows as `Receipt.paymentRowCount`; none on a copy.
func paymentLines(_ receipt: Receipt, width: Int) -> [DialogLine] {
  guard !receipt.copy else { return [] }
  let payment = receipt.payment
  let currency = receipt.order.total.currency
  if receipt.alreadyPaid {
    // That payment's change was handed out when it was made; this till owes nothing now.
    return [
      DialogLine("Order #\(receipt.order.number) was already paid by \(payment.method.rawValue)", .warning),
      DialogLine("earlier — nothing new was taken, no change due.", .warning),
      DialogLine("Paid earlier by \(payment.method.rawValue)", right: money(payment.amount), width: width),
    ]
  }
  switch payment.method {
  case .cash:
    var lines: [DialogLine] = []
    if let tendered = payment.tendered {
      lines.append(DialogLine("Paid cash", right: money(tendered), width: width))
    }
    let change = payment.change ?? Money.zero(currency)
    lines.append(DialogLine("Change", right: money(change), width: width, .success))
    return lines
  case .card:
    return [DialogLine("Paid by card", right: money(payment.amount), width: width)]
  }
}

/// The discount dialog over the cart: the value typed, percent or amount, and what is given now.
func renderDiscount(_ state: AppState, _ dialog: DiscountDialog, into screen: inout Screen) {
  var lines: [DialogLine] = []
  let current = state.cart?.discounts.last { $0.sku == dialog.sku }
  if let current, let shown = discountTag(current) {
    lines.append(DialogLine("Now: \(shown) off, given by \(current.staff)", .dim))
  }
  let field = dialog.text + "▏"
  switch dialog.unit {
  case .percent:
    lines.append(DialogLine("Percent off: \(field) %", .input))
    lines.append(DialogLine("Tab  amount instead", .dim))
  case .amount:
    lines.append(
      DialogLine("Amount off: \(field) \(state.cart?.total.currency ?? state.configuration.currency)", .input)
    )
    lines.append(DialogLine("Tab  percent instead", .dim))
  }
  lines.append(DialogLine("0 takes the discount away", .dim))
  lines += messageLines(dialog.message)
  lines.append(DialogLine("Enter  give it    Esc  no discount", .key))
  let title = dialog.sku == nil ? "Discount on the whole order" : "Discount on " + dialog.name
  drawBox(title: title, lines: lines, width: dialogWidth, into: &screen)
}

/// A discount as given: "10%" or "2.50"; nil for one that takes nothing off.
func discountTag(_ discount: Discount) -> String? {
  if let percent = discount.percent, percent > 0 { return "\(percent)%" }
  if let amount = discount.amount, amount.amount > 0 { return money(amount) }
  return nil
}

/// The till's own summary of a paid order, shown until the server's text receipt arrives (or when it
/// cannot be had): its lines scroll (arrows) while the header and the totals stay in view.
func renderReceiptSummary(_ receipt: Receipt, scroll: Int, into screen: inout Screen) {
  let order = receipt.order
  let payment = receipt.payment
  var lines = [
    DialogLine("Order #\(order.number)", right: String(order.createdAt.prefix(16)), width: dialogText)
  ]
  if receipt.alreadyPaid {
    lines += [
      DialogLine("Order #\(order.number) was already paid by \(payment.method.rawValue)", .warning),
      DialogLine("earlier — nothing new was taken, no change due.", .warning),
    ]
  }
  let rows = max(1, screen.size.rows - 14)
  let first = max(0, min(scroll, order.lines.count - rows))
  let items = orderLines(order)
  lines += items.dropFirst(first).prefix(rows)
  if items.count > rows {
    let below = items.count - first - rows
    lines.append(DialogLine("↑↓ \(first) above · \(below) below — \(items.count) lines", .dim))
  }
  lines.append(
    DialogLine("Total", right: "\(money(order.total)) \(order.total.currency)", width: dialogText, .title))
  // The notice of an earlier payment is at the top already.
  lines += paymentLines(receipt, width: dialogText).suffix(receipt.alreadyPaid ? 1 : 2)
  lines.append(DialogLine(receipt.closingHint, .dim))
  let title =
    receipt.copy ? "Receipt — copy" : receipt.alreadyPaid ? "Receipt — already paid" : "Receipt"
  drawBox(title: title, lines: lines, width: dialogWidth, into: &screen)
}
