import TillCore

/// Stock as the list shows it: a number, "N left" when low (≤ 3), "sold out" at zero.
func stockLabel(_ stock: Int) -> (String, Style) {
  if stock <= 0 { return ("sold out", .soldOut) }
  if stock <= 3 { return ("\(stock) left", .lowStock) }
  return (String(stock), .normal)
}

func renderProducts(_ state: AppState, layout: Layout, into screen: inout Screen) {
  let width = layout.productWidth
  // SKU 8 characters and a space, prices up to 10000000.00 (11 characters), stock up to 8 digits.
  let nameWidth = max(4, width - 31)
  let focused = state.focus == .products && !state.searching
  let header =
    " " + DisplayWidth.fit("SKU", width: 9) + DisplayWidth.fit("Name", width: nameWidth) + " "
    + DisplayWidth.fit("Price", width: 11, alignRight: true) + " "
    + DisplayWidth.fit("Stock", width: 8, alignRight: true)
  screen.put(header, row: 2, column: 0, style: focused ? .title : .dim, limit: width)
  for row in layout.firstListRow..<(layout.firstListRow + layout.listRows) {
    screen.put("│", row: row, column: layout.productWidth, style: .border)
  }
  screen.put("│", row: 2, column: layout.productWidth, style: .border)
  if state.products.isEmpty {
    let message =
      state.productsLoading
      ? "Loading…" : state.productsFailed ? "Products not loaded yet" : "No products match"
    screen.put(" " + message, row: layout.firstListRow, column: 0, style: .dim, limit: width)
    return
  }
  for offset in 0..<layout.listRows {
    let index = state.productScroll + offset
    guard state.products.indices.contains(index) else { break }
    let product = state.products[index]
    let row = layout.firstListRow + offset
    let selected = index == state.productIndex
    let (stockText, stockStyle) = stockLabel(product.stock)
    var base = product.stock <= 0 ? Style.soldOut : Style.normal
    if selected {
      base = focused || state.searching ? .selection : Style(.selection, bold: false, reverse: false)
    }
    let marker = selected ? "▸" : " "
    var column = screen.put(
      marker + DisplayWidth.fit(product.sku, width: 8) + " ", row: row, column: 0, style: base)
    column = screen.put(
      DisplayWidth.fit(product.name, width: nameWidth) + " ", row: row, column: column, style: base)
    column = screen.put(
      DisplayWidth.fit(money(product.price), width: 11, alignRight: true) + " ", row: row, column: column,
      style: base)
    var stock = stockStyle
    if selected && (focused || state.searching) { stock.reverse = true }
    screen.put(
      DisplayWidth.fit(stockText, width: 8, alignRight: true), row: row, column: column, style: stock)
  }
}

func renderCart(_ state: AppState, layout: Layout, into screen: inout Screen) {
  let left = layout.cartColumn
  let width = layout.cartWidth
  let focused = state.focus == .cart
  let lines = state.displayedCartLines
  let count = lines.reduce(0) { $0 + max(0, $1.quantity + $1.pending) }
  let title = count == 0 ? " Cart" : " Cart — \(count) item\(count == 1 ? "" : "s")"
  screen.put(DisplayWidth.fit(title, width: width), row: 2, column: left, style: focused ? .title : .dim)
  let totalRow = layout.firstListRow + layout.listRows - 1
  let rows = layout.listRows - 2
  if lines.isEmpty {
    screen.put(" Empty — Enter or + adds", row: layout.firstListRow, column: left, style: .dim, limit: width)
  }
  // Focused, the panel follows the cursor; otherwise it shows the newest lines at the bottom.
  let scroll =
    focused
    ? max(0, min(state.cartIndex - rows + 1, lines.count - rows)) : max(0, lines.count - max(1, rows))
  let totalWidth = 11
  let quantityWidth = 8
  var discountTags: [String: String] = [:]
  for discount in state.cart?.discounts ?? [] {
    if let sku = discount.sku, let tag = discountTag(discount) { discountTags[sku] = tag }
  }
  let nameWidth = max(4, width - quantityWidth - totalWidth - 2)
  for offset in 0..<max(0, rows) {
    let index = scroll + offset
    guard lines.indices.contains(index) else { break }
    let line = lines[index]
    let row = layout.firstListRow + offset
    let selected = focused && index == state.cartIndex
    let base: Style = selected ? .selection : .normal
    var quantity = "\(line.quantity)"
    if line.pending != 0 { quantity += line.pending > 0 ? " +\(line.pending)" : " \(line.pending)" }
    if line.isRemoved && line.pending == 0 { quantity = "removed" }
    var column = screen.put(
      DisplayWidth.fit(quantity, width: quantityWidth - 1, alignRight: true) + " ", row: row, column: left,
      style: line.pending != 0 ? Style(.pending, reverse: selected) : base)
    var nameStyle = base
    if let available = line.available, line.quantity > available {
      nameStyle = Style(.lowStock, bold: true, reverse: selected)
    }
    if line.isRemoved { nameStyle = selected ? .selection : .dim }
    // The line's own discount as given ("-10%"), beside its name; the total is the server's, after it.
    let tag = line.isRemoved ? nil : discountTags[line.sku].map { " -" + $0 }
    let nameShown = DisplayWidth.fit(line.name, width: max(1, nameWidth - DisplayWidth.of(tag ?? "")))
    column = screen.put(nameShown, row: row, column: column, style: nameStyle)
    if let tag {
      column = screen.put(tag, row: row, column: column, style: Style(.success, reverse: selected))
    }
    column = screen.put(" ", row: row, column: column, style: base)
    let total = line.isRemoved ? "" : line.lineTotal.map(money) ?? "…"
    screen.put(
      DisplayWidth.fit(total, width: totalWidth, alignRight: true), row: row, column: column, style: base)
  }
  if let cart = state.cart, cart.discountTotal.amount > 0 {
    // Every discount the server took off (lines' own and the order's), above the total it leads to.
    let order = cart.discounts.last { $0.sku == nil }.flatMap(discountTag).map { " (order -\($0))" } ?? ""
    let amount = "-\(money(cart.discountTotal)) "
    screen.put(" Discounts" + order, row: totalRow - 1, column: left, style: .success, limit: width)
    screen.put(amount, row: totalRow - 1, column: left + width - DisplayWidth.of(amount), style: .success)
  }
  let total = state.cart?.total ?? Money.zero(state.configuration.currency)
  let pending = state.hasPendingEdits ? " (saving…)" : ""
  let label = " Total" + pending
  let amount = "\(money(total)) \(total.currency) "
  screen.fill(row: totalRow, from: left, to: left + width, style: .title)
  screen.put(label, row: totalRow, column: left, style: .title)
  screen.put(amount, row: totalRow, column: left + width - DisplayWidth.of(amount), style: .title)
}
