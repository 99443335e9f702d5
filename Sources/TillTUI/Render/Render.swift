import TillCore

/// Draws the state into a screen grid of `size`. Pure: the same state and size always give the same screen.
public func render(_ state: AppState, size: Size) -> Screen {
  var screen = Screen(size: size)
  guard size.columns >= Size.minimum.columns, size.rows >= Size.minimum.rows else {
    renderTooSmall(into: &screen)
    return screen
  }
  guard state.staff != nil else {
    renderSignIn(state, into: &screen)
    return screen
  }
  let layout = Layout(size: size)
  renderHeader(state, into: &screen)
  renderSearchBar(state, into: &screen)
  renderProducts(state, layout: layout, into: &screen)
  renderCart(state, layout: layout, into: &screen)
  renderStatus(state, into: &screen)
  renderHints(state, into: &screen)
  switch state.mode {
  case .browse: break
  case .checkout: renderCheckout(state, into: &screen)
  case .payment(let stage): renderPayment(state, stage: stage, into: &screen)
  case .receipt(let receipt): renderReceipt(receipt, scroll: state.receiptScroll, into: &screen)
  case .shortage(let shortages): renderShortage(state, shortages, into: &screen)
  case .orders: renderOrders(state, into: &screen)
  case .confirmCancel(let order):
    renderOrders(state, into: &screen)
    renderConfirmCancel(order, into: &screen)
  case .approval(let dialog):
    if case .cancel = dialog.purpose { renderOrders(state, into: &screen) }
    if case .refund(let returning, _) = dialog.purpose { renderReturn(returning, into: &screen) }
    renderApproval(dialog, into: &screen)
  case .discount(let dialog): renderDiscount(state, dialog, into: &screen)
  case .register(let register): renderRegister(state, register, into: &screen)
  case .refund(let returning): renderReturn(returning, into: &screen)
  case .confirmQuit: renderConfirmQuit(state, into: &screen)
  }
  if state.showHelp { renderHelp(into: &screen) }
  return screen
}

/// Where the panels go at a given size (at least 80x24).
struct Layout {
  let size: Size
  /// Width of the product panel; the cart takes the rest after a one-column separator.
  var productWidth: Int { size.columns - cartWidth - 1 }
  var cartWidth: Int { max(32, size.columns * 2 / 5) }
  var cartColumn: Int { productWidth + 1 }
  /// First and last list rows (inclusive).
  var firstListRow: Int { 3 }
  var listRows: Int { size.rows - 5 }
}

func renderTooSmall(into screen: inout Screen) {
  let size = screen.size
  let lines = [
    "Terminal too small",
    "Need \(Size.minimum.columns)x\(Size.minimum.rows), have \(size.columns)x\(size.rows)",
    "Make the window larger",
  ]
  let top = max(0, (size.rows - lines.count) / 2)
  for (offset, line) in lines.enumerated() {
    let shown = DisplayWidth.prefix(line, fitting: size.columns)
    let column = max(0, (size.columns - DisplayWidth.of(shown)) / 2)
    screen.put(shown, row: top + offset, column: column, style: offset == 0 ? .warning : .normal)
  }
}

func renderHeader(_ state: AppState, into screen: inout Screen) {
  let width = screen.size.columns
  screen.fill(row: 0, from: 0, to: width, style: .header)
  screen.put(title(state), row: 0, column: 0, style: .header)
  var right = state.online ? "● online " : "○ offline — retrying "
  if let order = state.order { right = "order #\(order.number) unpaid  " + right }
  let column = max(0, width - DisplayWidth.of(right))
  screen.put(
    right, row: 0, column: column, style: state.online ? .header : Style(.error, bold: true, reverse: true))
}

/// The title bar's left side: the shop, the terminal (as the server named it at the last sign-in, the
/// till's own name before the first) and the person selling.
func title(_ state: AppState) -> String {
  let shop = state.configuration.shopName
  guard let staff = state.staff else {
    return " \(shop) · \(state.serverTerminalName ?? state.configuration.terminalName)"
  }
  return " \(shop) · \(staff.terminal) · \(staff.name)"
}

func renderSearchBar(_ state: AppState, into screen: inout Screen) {
  var column = screen.put(" Search: ", row: 1, column: 0, style: state.searching ? .key : .normal)
  let field = state.searchText + (state.searching ? "▏" : "")
  let fieldText = field.isEmpty ? "(press /)" : field
  column = screen.put(
    DisplayWidth.fit(fieldText, width: 22), row: 1, column: column, style: state.searching ? .input : .dim)
  column = screen.put("  Category: ", row: 1, column: column)
  let category = state.selectedCategory ?? "All"
  column = screen.put("◀ \(category) ▶", row: 1, column: column, style: .title, limit: 24)
  var extra = ""
  if let multiplier = state.multiplier { extra = "× \(multiplier)" }
  if !state.entry.isEmpty { extra = "Code/qty: \(state.entry)" }
  if !extra.isEmpty {
    let start = max(column + 2, screen.size.columns - DisplayWidth.of(extra) - 1)
    screen.put(extra, row: 1, column: start, style: .input)
  }
}

func renderStatus(_ state: AppState, into screen: inout Screen) {
  let row = screen.size.rows - 2
  var text = state.status?.text ?? ""
  var style = Style.normal
  switch state.status?.severity {
  case .success: style = .success
  case .warning: style = .warning
  case .error: style = .error
  default: break
  }
  if text.isEmpty && state.productsLoading { text = "Loading products…" }
  screen.put(" " + text, row: row, column: 0, style: style)
  if let waiting = state.keysWaitingText {
    let shown = " ⏳ " + waiting + " "
    screen.put(
      shown, row: row, column: max(0, screen.size.columns - DisplayWidth.of(shown)), style: .warning)
  }
}

/// The key hints for what the screen is doing, as many as fit.
func hints(for state: AppState) -> [(key: String, label: String)] {
  if state.staff == nil {
    return [("Tab", "code / PIN"), ("Enter", "sign in"), ("Esc", "clear"), ("Ctrl+C", "quit")]
  }
  if state.showHelp { return [("any key", "close help")] }
  switch state.mode {
  case .browse where state.searching:
    return [("type", "filter"), ("Enter", "keep / scan"), ("Esc", "clear"), ("↑↓", "move"), ("Tab", "list")]
  case .browse:
    // The discount keys act on the cart: named right after the help while it has focus, later otherwise.
    let discount = [(key: "%/$", label: "discount")]
    let cartFocused = state.focus == .cart
    return [
      // Locking comes before the orders list: at the smallest width the till can still be locked, and
      // the help (which names every key) is still one key away.
      ("/", "search"), ("Enter/+", "add"), ("-", "remove"), ("Tab", "cart"), ("c", "checkout"),
      ("F2", "lock"),
      ("?", "help"),
    ] + (cartFocused ? discount : []) + [("o", "orders"), ("q", "quit"), ("3*", "qty")]
      + (cartFocused ? [] : discount) + [("←→", "category"), ("n", "new order"), ("F3", "register")]
  case .checkout: return [("Esc", "stop")]
  case .payment(.cash), .payment(.partAmount):
    return [("0-9 .", "amount"), ("Enter", "confirm"), ("Esc", "back")]
  case .payment(.confirmTender), .payment(.confirmCard): return [("Enter", "confirm"), ("Esc", "back")]
  case .payment(.cardPending): return [("r", "ask again"), ("Esc", "leave it pending")]
  case .payment(.sending): return []
  case .payment: return [("1", "cash"), ("2", "card"), ("a", "part"), ("Esc", "later")]
  case .receipt(let receipt) where receipt.copy: return [("Enter", "back to the orders"), ("↑↓", "scroll")]
  case .receipt: return [("Enter", "next customer"), ("↑↓", "scroll"), ("q", "quit")]
  case .discount: return [("0-9 .", "value"), ("Tab", "% / amount"), ("Enter", "give"), ("Esc", "none")]
  case .confirmCancel: return [("y", "cancel the order"), ("n", "keep it")]
  case .approval: return [("Tab", "code / PIN"), ("Enter", "approve"), ("Esc", "give up")]
  case .shortage: return [("f", "take what is available"), ("Esc", "change cart")]
  case .orders:
    return [
      ("↑↓", "move"), ("p", "pay"), ("x", "cancel order"), ("r", "return"), ("c", "copy receipt"),
      ("F5", "reload"), ("Esc", "back"),
    ]
  case .register(.openFloat), .register(.count):
    return [("0-9 .", "amount"), ("Enter", "confirm"), ("Esc", "back")]
  case .register(.menu):
    return [
      ("x", "X report"), ("i", "pay-in"), ("o", "pay-out"), ("d", "no sale"), ("z", "close"), ("Esc", "back"),
    ]
  case .register(.move): return [("Enter", "next / record"), ("Esc", "nothing moves")]
  case .register(.x), .register(.z): return [("Enter", "back")]
  case .register(.confirmNoSale): return [("Enter", "open the drawer"), ("Esc", "keep it shut")]
  case .confirmQuit: return [("y", "quit"), ("n", "stay")]
  case .refund(let returning):
    switch returning.stage {
    case .lines:
      return [
        ("↑↓", "line"), ("+ -", "units"), ("d", "damaged"), ("1", "cash"), ("2", "card"), ("Esc", "back"),
      ]
    case .confirm: return [("Enter", "refund"), ("Esc", "back")]
    case .sending: return []
    case .done: return [("Enter", "back to the orders")]
    }
  }
}

func renderHints(_ state: AppState, into screen: inout Screen) {
  let row = screen.size.rows - 1
  let width = screen.size.columns
  var column = 1
  for hint in hints(for: state) {
    let needed = DisplayWidth.of(hint.key) + 1 + DisplayWidth.of(hint.label) + 2
    if column + needed - 2 > width { break }
    column = screen.put(hint.key, row: row, column: column, style: .key)
    column = screen.put(" " + hint.label + "  ", row: row, column: column, style: .dim)
  }
}

/// Money as the cashier reads it: `12.50`.
func money(_ value: Money) -> String { value.decimalString }
