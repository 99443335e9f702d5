import TillCore

extension AppState {
  /// `c`: places the order once every pending edit has reached the server.
  mutating func checkout() -> [Effect] {
    guard cartIsOpen else {
      status = StatusMessage("The cart is empty — add something first", .warning)
      return []
    }
    mode = .checkout
    checkoutKey = nextIdentifier("order")
    status = StatusMessage(hasPendingEdits ? "Saving the cart…" : "Placing the order…")
    return placeOrderIfReady()
  }

  /// Sends the order when checkout waits and nothing else is on its way.
  mutating func placeOrderIfReady() -> [Effect] {
    guard mode == .checkout, !placingOrder, !hasPendingEdits, let key = checkoutKey else { return [] }
    guard let cart, !cart.lines.isEmpty else {
      mode = .browse
      checkoutKey = nil
      status = StatusMessage("The cart is empty — nothing to check out", .warning)
      return []
    }
    placingOrder = true
    status = StatusMessage("Placing the order…")
    return [.placeOrder(cartId: cart.id, idempotencyKey: key)]
  }

  mutating func orderPlaced(key: String, _ result: Result<Order, BackendFailure>) -> [Effect] {
    guard key == checkoutKey else { return [] }
    placingOrder = false
    switch result {
    case .success(let placed):
      noteAnswer()
      order = placed
      unpaidOrders.insert(placed.id)
      cart = nil
      cartRequested = false
      removedLine = nil
      cartIndex = 0
      focus = .products
      checkoutKey = nil
      mode = .payment(.choose)
      status = StatusMessage("Order #\(placed.number) placed — 1 cash, 2 card", .success)
      return reloadProducts()
    case .failure(.insufficientStock(let shortages)):
      noteAnswer()
      checkoutKey = nil
      mode = .shortage(shortages)
      status = StatusMessage("Not enough stock — press f to take what is available", .warning)
      return reloadProducts()
    case .failure(.rejected(let kind, _)) where kind == .noOpenSession || kind == .sessionClosed:
      // Nothing was written: the register opens, and `c` checks the same cart out again.
      noteAnswer()
      checkoutKey = nil
      register.session = nil
      // Keys typed for the payment are not a float: they are dropped, and the float is typed anew.
      heldKeys = []
      mode = .browse
      _ = openRegisterScreen()
      status = StatusMessage("Open the register first: type the cash in the drawer, then c again", .warning)
      return []
    case .failure(let failure):
      if note(failure) {
        // Resent on the next tick with the same key, so it can never make two orders.
        orderRetry = true
        return []
      }
      checkoutKey = nil
      mode = .browse
      return []
    }
  }

  /// The one-key fix of a stock shortage: reduce each short line to what is available, then retry.
  mutating func reduceToAvailable(_ shortages: [Shortage]) -> [Effect] {
    var effects: [Effect] = []
    for shortage in shortages where shortage.available < shortage.requested {
      effects += edit(sku: shortage.sku, delta: max(0, shortage.available) - shortage.requested)
    }
    mode = .checkout
    checkoutKey = nextIdentifier("order")
    status = StatusMessage("Taking what is available and placing the order again…")
    return effects + placeOrderIfReady()
  }

  mutating func ordersLoaded(_ result: Result<[Order], BackendFailure>) -> [Effect] {
    ordersLoading = false
    switch result {
    case .success(let list):
      noteAnswer()
      ordersFailed = false
      orders = list
      orderIndex = max(0, min(orderIndex, list.count - 1))
      for listed in list {
        if listed.status == .placed { unpaidOrders.insert(listed.id) } else { unpaidOrders.remove(listed.id) }
      }
      if mode == .orders, status?.text == "Reloading the orders…" { status = nil }
      return settlePendingCard(from: list)
    case .failure(let failure):
      ordersFailed = true
      note(failure)
    }
    return []
  }

  mutating func orderCanceled(_ result: Result<Order, BackendFailure>) -> [Effect] {
    cancelInFlight = false
    let target = cancelTarget
    cancelTarget = nil
    if case .approval(let dialog) = mode, case .cancel = dialog.purpose {
      return approvalAnswered(dialog, result)
    }
    switch result {
    case .failure(.rejected(.approvalRequired, _)) where target != nil:
      noteAnswer()
      if let target { mode = .approval(ApprovalDialog(order: target)) }
      status = StatusMessage("A manager must approve this — manager's code and PIN", .warning)
      return []
    case .success(let canceled):
      return canceledOrder(canceled, "Order #\(canceled.number) canceled — stock returned")
    case .failure(let failure):
      if note(failure) { return [] }
      // Refused (paid meanwhile, say): the list is reloaded so it shows the order as it is now.
      ordersLoading = true
      background.remove(.orders)
      return [.loadOrders]
    }
  }

  /// A cancel went through: the list, the order in hand and the unpaid orders follow, and the stock
  /// shown comes back.
  mutating func canceledOrder(_ canceled: Order, _ message: String) -> [Effect] {
    noteAnswer()
    if let index = orders.firstIndex(where: { $0.id == canceled.id }) { orders[index] = canceled }
    if order?.id == canceled.id { order = nil }
    unpaidOrders.remove(canceled.id)
    status = StatusMessage(message, .success)
    return reloadProducts()
  }
}
