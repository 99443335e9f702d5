import TillCore

/// One line of a dialog: text and how it looks.
struct DialogLine {
  var text: String
  var style: Style = .normal

  init(_ text: String, _ style: Style = .normal) {
    self.text = text
    self.style = style
  }

  /// Left text and right text spread over `width` cells (for amounts).
  init(_ left: String, right: String, width: Int, _ style: Style = .normal) {
    let gap = max(1, width - DisplayWidth.of(left) - DisplayWidth.of(right))
    self.init(left + String(repeating: " ", count: gap) + right, style)
  }
}

/// Draws a centred, bordered box with a title and lines over whatever is below.
func drawBox(title: String, lines: [DialogLine], width requested: Int, into screen: inout Screen) {
  let size = screen.size
  let width = min(requested, size.columns - 2)
  let height = min(lines.count + 4, size.rows - 2)
  let top = max(0, (size.rows - height) / 2)
  let left = max(0, (size.columns - width) / 2)
  screen.fill(row: top, column: left, width: width, height: height)
  let inner = width - 2
  let heading = DisplayWidth.prefix(" \(title) ", fitting: inner)
  screen.put(
    "┌" + heading + String(repeating: "─", count: max(0, inner - DisplayWidth.of(heading))) + "┐",
    row: top, column: left, style: .border)
  screen.put(heading, row: top, column: left + 1, style: .title)
  for row in (top + 1)..<(top + height - 1) {
    screen.put("│", row: row, column: left, style: .border)
    screen.put("│", row: row, column: left + width - 1, style: .border)
  }
  screen.put(
    "└" + String(repeating: "─", count: inner) + "┘", row: top + height - 1, column: left, style: .border)
  for (offset, line) in lines.prefix(height - 4).enumerated() {
    screen.put(line.text, row: top + 2 + offset, column: left + 2, style: line.style, limit: inner - 2)
  }
}

/// Width used for dialog text (box width minus borders and margins).
let dialogWidth = 56
let dialogText = dialogWidth - 4

func orderLines(_ order: Order) -> [DialogLine] {
  order.lines.map { line in
    DialogLine(
      "\(line.quantity) × " + DisplayWidth.fit(line.name, width: dialogText - 20),
      right: money(line.lineTotal),
      width: dialogText)
  }
}

func renderCheckout(_ state: AppState, into screen: inout Screen) {
  let text = state.hasPendingEdits ? "Saving the cart…" : "Placing the order…"
  drawBox(
    title: "Checkout", lines: [DialogLine(text), DialogLine("Esc stops while the cart is saving", .dim)],
    width: dialogWidth, into: &screen)
}

func renderPayment(_ state: AppState, stage: PaymentStage, into screen: inout Screen) {
  guard let order = state.order, let toPay = state.amountToPay else { return }
  let total = order.total
  let currency = total.currency
  var lines = [DialogLine("Total", right: "\(money(total)) \(currency)", width: dialogText, .title)]
  if order.paid.amount > 0 {
    lines += [
      DialogLine("Paid", right: "\(money(order.paid)) \(currency)", width: dialogText),
      DialogLine("Due", right: "\(money(order.due)) \(currency)", width: dialogText, .title),
    ]
  }
  if let part = state.paymentPart {
    lines.append(DialogLine("This part", right: "\(money(part)) \(currency)", width: dialogText, .warning))
  }
  lines.append(DialogLine(""))
  switch stage {
  case .choose:
    lines += [
      DialogLine("1  Cash"), DialogLine("2  Card"), DialogLine("a  pay a part first", .dim),
      DialogLine("Esc  pay later", .dim),
    ]
  case .partAmount(let text):
    lines += [
      DialogLine("Part to pay now: \(text)▏", .input),
      DialogLine("Enter confirm  Esc back", .dim),
    ]
  case .cash(let text):
    lines.append(DialogLine("Cash handed over: \(text)▏", .input))
    let tendered = Money.parse(String(text.map { $0 == "," ? "." : $0 }), currency: total.currency)
    if let tendered, tendered.amount > Limits.maxTenderAmount {
      lines.append(DialogLine("Too much: at most \(state.largestTender) in cash", .warning))
    } else if let tendered, tendered.amount >= toPay.amount {
      let change = Money(amount: tendered.amount - toPay.amount, currency: total.currency)
      lines.append(
        DialogLine("Change", right: "\(money(change)) \(total.currency)", width: dialogText, .success))
    } else {
      lines.append(DialogLine("Type the amount, then Enter", .dim))
    }
    lines.append(DialogLine("Enter confirm  Esc back", .dim))
  case .confirmTender(let tendered):
    let change = Money(amount: tendered.amount - toPay.amount, currency: total.currency)
    lines += [
      DialogLine(
        "Cash handed over", right: "\(money(tendered)) \(total.currency)", width: dialogText, .warning),
      DialogLine("Change", right: "\(money(change)) \(total.currency)", width: dialogText),
      DialogLine("That is far more than is to pay. Is it right?", .warning),
      DialogLine("Enter  yes, record it    Esc  correct it", .key),
    ]
  case .confirmCard:
    lines += [
      DialogLine("Charge \(money(toPay)) \(total.currency) to the card?"),
      DialogLine("Enter  start the card payment    Esc  back", .key),
    ]
  case .sending(let method):
    lines.append(DialogLine(method == .card ? "Waiting for the card…" : "Recording cash…"))
  case .cardPending:
    lines += [
      DialogLine("Card payment pending — the card service has not", .warning),
      DialogLine("confirmed it yet. It is checked every second.", .warning),
      DialogLine("No cash can be taken while it is pending.", .dim),
      DialogLine("r  ask the card service now"),
      DialogLine("Esc  leave it pending (o shows the order later)", .dim),
    ]
  case .declined(let reason):
    lines += [
      DialogLine("Card declined: \(reason)", .error), DialogLine("1  Cash"), DialogLine("2  Card again"),
      DialogLine("Esc  pay later", .dim),
    ]
  }
  drawBox(title: "Pay order #\(order.number)", lines: lines, width: dialogWidth, into: &screen)
}

func renderShortage(_ state: AppState, _ shortages: [Shortage], into screen: inout Screen) {
  var lines = [DialogLine("Someone bought these first:", .warning)]
  for shortage in shortages {
    let name =
      state.cart?.lines.first { $0.sku == shortage.sku }?.name ?? state.products.first {
        $0.sku == shortage.sku
      }?
      .name ?? shortage.sku
    let availability = shortage.available <= 0 ? "sold out" : "only \(shortage.available) left"
    lines.append(
      DialogLine(
        DisplayWidth.fit(name, width: 28) + "wanted \(shortage.requested), \(availability)", .normal))
  }
  lines += [
    DialogLine(""), DialogLine("f  take what is available and check out again", .key),
    DialogLine("Esc  change the cart", .dim),
  ]
  drawBox(title: "Not enough stock", lines: lines, width: dialogWidth + 8, into: &screen)
}

func renderOrders(_ state: AppState, into screen: inout Screen) {
  let width = min(screen.size.columns - 4, 72)
  let text = width - 4
  var lines: [DialogLine] = []
  if state.orders.isEmpty {
    let text =
      state.ordersLoading ? "Loading…" : state.ordersFailed ? "Orders not loaded — retrying" : "No orders yet"
    lines.append(DialogLine(text, state.ordersFailed ? .warning : .dim))
  }
  let rows = max(1, screen.size.rows - 10)
  let scroll = max(0, min(state.orderIndex - rows + 1, state.orders.count - rows))
  for (index, order) in state.orders.enumerated().dropFirst(scroll).prefix(rows) {
    let status: String
    switch order.status {
    case .placed: status = "unpaid"
    case .paid: status = "paid"
    case .canceled: status = "canceled"
    }
    let items = order.lines.reduce(0) { $0 + $1.quantity }
    // Who placed it: canceling someone else's order needs a manager.
    let by = order.staff.map { "  by \($0)" } ?? ""
    let unprinted = state.unprintedOrders.contains(order.id) ? "  not printed" : ""
    let left =
      "#\(order.number)  " + DisplayWidth.fit(status, width: 9) + "\(items) item\(items == 1 ? "" : "s")" + by
      + unprinted
    let right = "\(money(order.total)) \(order.total.currency)  \(order.createdAt.prefix(16))"
    var style: Style = order.status == .placed || !unprinted.isEmpty ? .warning : .normal
    if index == state.orderIndex { style = .selection }
    lines.append(DialogLine(left, right: right, width: text, style))
  }
  lines.append(DialogLine("p pay  x cancel unpaid  r return  c copy  F5 reload  Esc back", .dim))
  drawBox(title: "Orders of this till", lines: lines, width: width, into: &screen)
}

func renderConfirmCancel(_ order: Order, into screen: inout Screen) {
  drawBox(
    title: "Cancel order #\(order.number)?",
    lines: [
      DialogLine("\(money(order.total)) \(order.total.currency), unpaid; its stock goes back."),
      DialogLine("y  cancel the order    n  keep it", .key),
    ],
    width: 50, into: &screen)
}

func renderConfirmQuit(_ state: AppState, into screen: inout Screen) {
  var reasons: [DialogLine] = []
  if state.cartIsOpen { reasons.append(DialogLine("The cart is still open.")) }
  let unpaid =
    state.unpaidOrders.count + (state.order.map { state.unpaidOrders.contains($0.id) ? 0 : 1 } ?? 0)
  if unpaid > 0 {
    reasons.append(DialogLine(unpaid == 1 ? "An order is unpaid." : "\(unpaid) orders are unpaid.", .warning))
  }
  drawBox(
    title: "Quit?", lines: reasons + [DialogLine("y  quit anyway    n  stay", .key)], width: 40, into: &screen
  )
}

func renderHelp(into screen: inout Screen) {
  let keys: [(String, String)] = [
    ("↑ ↓ PgUp PgDn", "move in the list"), ("/", "search (Enter keeps, Esc clears)"),
    ("← →", "previous / next category"), ("Tab", "switch between products and cart"),
    ("Enter or +", "add one (or +1 on a cart line)"), ("-", "remove one"),
    ("3*", "multiplier: 3* then Enter adds 3"),
    ("digits Enter", "barcode or SKU: adds one"), ("%", "discount on the cart line (% or amount)"),
    ("$", "discount on the whole order"), ("c", "checkout"), ("p", "pay (1 cash, 2 card)"),
    ("n", "new order"), ("o", "orders (r return, c copy of a receipt)"),
    ("F2 / F3", "lock (the sale is kept) / the register"),
    ("? or F1", "this help"), ("q", "quit"),
  ]
  let lines = keys.map { DialogLine(DisplayWidth.fit($0.0, width: 16) + $0.1) }
  drawBox(
    title: "Keys", lines: lines + [DialogLine("Any key closes this help", .dim)], width: 60, into: &screen)
}
