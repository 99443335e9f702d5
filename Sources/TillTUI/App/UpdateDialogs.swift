import TillCore

/// Keys of the receipt and of the orders list.
extension AppState {
  /// Keys on the receipt: arrows scroll it; Enter, Esc, n or Space start the next customer.
  mutating func receiptKey(_ key: Key, _ receipt: Receipt) -> [Effect] {
    let rows = receipt.text == nil ? receiptLineRows : receiptTextRows(receipt)
    let last = max(0, (receipt.text == nil ? receipt.order.lines.count : receipt.textLines.count) - rows)
    switch key {
    case .up: receiptScroll = max(0, receiptScroll - 1)
    case .down: receiptScroll = min(last, receiptScroll + 1)
    case .pageUp: receiptScroll = max(0, receiptScroll - rows)
    case .pageDown: receiptScroll = min(last, receiptScroll + rows)
    case .home: receiptScroll = 0
    case .end: receiptScroll = last
    case .enter, .escape, .character("n"), .character(" "):
      closeReceipt()
      if receipt.copy {
        mode = .orders
        status = nil
      } else if unprintedOrders.contains(receipt.order.id) {
        // The printer's failure stays in view until the person has seen the next screen.
        status = StatusMessage("printer failed — reprint from orders (o)", .error)
      } else {
        status = StatusMessage("Ready for the next customer")
      }
    case .character("q"): return quit()
    default: break
    }
    return []
  }

  /// Leaves the receipt for the main screen. The cart was closed when the order was placed; one still
  /// open (an older order paid from the orders list) is kept.
  mutating func closeReceipt() {
    mode = .browse
    focus = .products
    receiptScroll = 0
  }

  /// How many order lines the receipt shows at once at this size (its totals stay below them).
  var receiptLineRows: Int { max(1, size.rows - 14) }

  /// How many rows of the server's text receipt show at once (the box, the payment and the hint take
  /// the rest).
  func receiptTextRows(_ receipt: Receipt) -> Int { max(1, size.rows - 8 - receipt.paymentRowCount) }

  mutating func ordersKey(_ key: Key) -> [Effect] {
    switch key {
    case .up: orderIndex = max(0, orderIndex - 1)
    case .down: orderIndex = max(0, min(orders.count - 1, orderIndex + 1))
    case .pageUp: orderIndex = max(0, orderIndex - visibleProductRows)
    case .pageDown: orderIndex = max(0, min(orders.count - 1, orderIndex + visibleProductRows))
    case .escape, .character("o"):
      mode = .browse
    case .character("c"):
      guard orders.indices.contains(orderIndex) else { return [] }
      return reprint(orders[orderIndex])
    case .character("r"):
      guard orders.indices.contains(orderIndex) else { return [] }
      return startReturn(orders[orderIndex])
    case .function(5):
      ordersLoading = true
      background.remove(.orders)
      status = StatusMessage("Reloading the orders…")
      return [.loadOrders]
    case .character("p"), .enter:
      guard orders.indices.contains(orderIndex) else { return [] }
      let selected = orders[orderIndex]
      guard selected.status == .placed else {
        status = StatusMessage(
          "Order #\(selected.number) is \(selected.status.rawValue) — nothing to pay", .warning)
        return []
      }
      order = selected
      mode = .payment(selected.payment?.status == .pending ? .cardPending : .choose)
    case .character("x"):
      guard orders.indices.contains(orderIndex) else { return [] }
      let selected = orders[orderIndex]
      guard selected.status == .placed else {
        status = StatusMessage("Only unpaid orders can be canceled", .warning)
        return []
      }
      mode = .confirmCancel(selected)
      return []
    case .character("q"): return quit()
    default: break
    }
    return []
  }
}
