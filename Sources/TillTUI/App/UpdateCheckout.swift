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
      cart = nil
      cartRequested = false
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

  /// Sends a payment for the current order.
  mutating func pay(_ request: PaymentRequest) -> [Effect] {
    guard let order, !paymentInFlight else { return [] }
    paymentInFlight = true
    mode = .payment(.sending(request.method))
    status = StatusMessage(request.method == .card ? "Waiting for the card…" : "Recording cash…")
    return [.pay(orderId: order.id, request: request)]
  }

  /// Enter in the cash field: checks the amount covers the total before sending it.
  mutating func payCash(_ text: String) -> [Effect] {
    guard let order else { return [] }
    let normalized = String(text.map { $0 == "," ? "." : $0 })
    guard let tendered = Money.parse(normalized, currency: order.total.currency),
      tendered.amount <= Limits.maxTenderAmount
    else {
      status = StatusMessage("Type the cash handed over, e.g. 20 or 20.00", .warning)
      return []
    }
    guard tendered.amount >= order.total.amount else {
      status = StatusMessage("That is less than the total of \(order.total.decimalString)", .warning)
      return []
    }
    return pay(.cash(tendered: tendered))
  }

  mutating func paymentFinished(orderId: String, _ result: Result<Payment, BackendFailure>) -> [Effect] {
    guard var paid = order, paid.id == orderId else { return [] }
    paymentInFlight = false
    switch result {
    case .success(let payment):
      noteAnswer()
      switch payment.status {
      case .succeeded:
        paid.status = .paid
        paid.payment = payment
        order = nil
        mode = .receipt(paid, payment)
        status = StatusMessage("Paid — Enter for the next customer", .success)
      case .declined:
        mode = .payment(.declined(payment.declineReason ?? "no reason given"))
        status = StatusMessage("Card declined — 1 cash, 2 try the card again", .error)
      case .pending:
        mode = .payment(.cardPending)
        status = StatusMessage("Card payment not confirmed yet — press 2 to ask again", .warning)
      }
    case .failure(.declined(let reason)):
      noteAnswer()
      mode = .payment(.declined(reason))
      status = StatusMessage("Card declined — 1 cash, 2 try the card again", .error)
    case .failure(.rejected(.orderNotPayable, _)):
      // Already paid (an earlier attempt went through) or canceled: show the order's real state.
      noteAnswer()
      order = nil
      mode = .orders
      ordersLoading = true
      status = StatusMessage("Order #\(paid.number) cannot be paid now — its state is in the list", .warning)
      return [.loadOrders]
    case .failure(let failure):
      let offline = note(failure)
      mode = .payment(.choose)
      if offline {
        status = StatusMessage("Offline — payment not confirmed; press 1 or 2 to try again", .warning)
      }
    }
    return []
  }

  mutating func ordersLoaded(_ result: Result<[Order], BackendFailure>) -> [Effect] {
    ordersLoading = false
    switch result {
    case .success(let list):
      noteAnswer()
      orders = list
      orderIndex = max(0, min(orderIndex, list.count - 1))
      settlePendingCard(from: list)
    case .failure(let failure):
      note(failure)
    }
    return []
  }

  mutating func orderCanceled(_ result: Result<Order, BackendFailure>) -> [Effect] {
    switch result {
    case .success(let canceled):
      noteAnswer()
      if let index = orders.firstIndex(where: { $0.id == canceled.id }) { orders[index] = canceled }
      if order?.id == canceled.id { order = nil }
      status = StatusMessage("Order #\(canceled.number) canceled — stock returned", .success)
      return reloadProducts()
    case .failure(let failure):
      note(failure)
      return []
    }
  }

  /// A card payment left pending: take the outcome from the order list once the server has settled it.
  mutating func settlePendingCard(from list: [Order]) {
    guard case .payment(.cardPending) = mode, let current = order,
      let fresh = list.first(where: { $0.id == current.id }), let payment = fresh.payment
    else { return }
    switch payment.status {
    case .succeeded:
      order = nil
      mode = .receipt(fresh, payment)
      status = StatusMessage("Paid — Enter for the next customer", .success)
    case .declined:
      mode = .payment(.declined(payment.declineReason ?? "no reason given"))
      status = StatusMessage("Card declined — 1 cash, 2 try the card again", .error)
    case .pending:
      break
    }
  }
}
