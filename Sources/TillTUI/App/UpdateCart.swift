import TillCore

extension AppState {
  /// Adds `delta` units of a product (negative removes), warning when stock will not cover it.
  mutating func add(_ product: Product, delta: Int) -> [Effect] {
    if delta > 0 {
      let wanted = quantityInCart(sku: product.sku) + delta
      if product.stock <= 0 {
        status = StatusMessage(Messages.onlyLeft(0, of: product.name), .warning)
        return []
      }
      status =
        wanted > product.stock
        ? StatusMessage(Messages.onlyLeft(product.stock, of: product.name), .warning)
        : StatusMessage("Added \(delta) × \(product.name)", .info)
    }
    pendingNames[product.sku] = product.name
    return edit(sku: product.sku, delta: delta)
  }

  /// Quantity of a SKU in the cart as the screen shows it (server quantity plus pending edits).
  func quantityInCart(sku: String) -> Int {
    (cart?.lines.first { $0.sku == sku }?.quantity ?? 0) + pendingDelta(sku: sku)
  }

  /// Queues an increment. Presses made while an op is in flight coalesce with the last queued op of the
  /// same SKU, never beyond the API's largest delta, so nothing typed ahead is lost.
  ///
  /// The server applies `max(0, quantity + delta)`, so a removal may join a queued addition (the sum
  /// clamps the same way), but an addition may not join a queued removal (the removal may clamp first).
  mutating func edit(sku: String, delta: Int) -> [Effect] {
    if let removed = removedLine, removed.sku != sku {
      // Another line changed: the removed one leaves the panel.
      removedLine = nil
      cartIndex = max(0, min(cartIndex, displayedCartLines.count - 1))
    }
    var remaining = delta
    while remaining != 0 {
      let step = max(-Limits.maxDelta, min(Limits.maxDelta, remaining))
      remaining -= step
      if let last = queue.lastIndex(where: { $0.sku == sku }), queue[last].delta > 0 || step < 0,
        abs(queue[last].delta + step) <= Limits.maxDelta
      {
        queue[last].delta += step
        if queue[last].delta == 0 { queue.remove(at: last) }
      } else {
        queue.append(PendingOperation(sku: sku, delta: step))
      }
    }
    return sendNextOperation()
  }

  /// Sends the first queued op when nothing is in flight (creating the cart first if there is none).
  mutating func sendNextOperation() -> [Effect] {
    guard inFlight == nil, !queue.isEmpty else { return [] }
    guard let cart else {
      guard !cartRequested, let person = staff else { return [] }
      cartRequested = true
      return [.createCart(staff: person.code)]
    }
    let operation = queue.removeFirst()
    let opId = nextIdentifier("op")
    inFlight = InFlightOperation(opId: opId, sku: operation.sku, delta: operation.delta, awaitingRetry: false)
    return [.increment(cartId: cart.id, sku: operation.sku, delta: operation.delta, opId: opId)]
  }

  mutating func cartCreated(_ result: Result<Cart, BackendFailure>) -> [Effect] {
    switch result {
    case .success(let created):
      noteAnswer()
      cart = created
      return sendNextOperation()
    case .failure(let failure):
      // Asked again on the next tick (sendNextOperation) when cartRequested is false.
      cartRequested = false
      note(failure)
      if mode == .checkout && !placingOrder { mode = .browse }
      return []
    }
  }

  mutating func incrementFinished(opId: String, _ result: Result<Cart, BackendFailure>) -> [Effect] {
    guard let operation = inFlight, operation.opId == opId else { return [] }
    switch result {
    case .success(let answer):
      noteAnswer()
      inFlight = nil
      cart = answer
      cartIndex = max(0, min(cartIndex, displayedCartLines.count - 1))
      if operation.delta > 0, let line = answer.lines.first(where: { $0.sku == operation.sku }),
        line.quantity > line.available
      {
        status = StatusMessage(Messages.onlyLeft(line.available, of: line.name), .warning)
      }
    case .failure(let failure):
      if note(failure) {
        inFlight?.awaitingRetry = true
        return []
      }
      inFlight = nil
      if case .rejected(let kind, _) = failure, kind == .cartClosed || kind == .notFound {
        // The cart is gone (checked out elsewhere or expired): later edits go to a fresh one.
        cart = nil
        cartRequested = false
      }
      if case .insufficientStock(let shortages) = failure, let first = shortages.first {
        let name = products.first { $0.sku == first.sku }?.name ?? first.sku
        status = StatusMessage(Messages.onlyLeft(first.available, of: name), .warning)
      }
    }
    return sendNextOperation() + placeOrderIfReady()
  }

  /// Starts a new, empty order (the server cart is made on the first edit).
  mutating func newOrder() {
    removedLine = nil
    cart = nil
    cartRequested = false
    cartIndex = 0
    focus = .products
    order = nil
    checkoutKey = nil
    mode = .browse
  }
}
