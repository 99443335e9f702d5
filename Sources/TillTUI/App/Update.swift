import TillCore

extension AppState {
  /// The effects to run when the program starts: categories and the first page of products.
  public mutating func start() -> [Effect] {
    categoriesInFlight = true
    return [.loadCategories] + reloadProducts()
  }

  /// The one place state changes: pure, answering the effects the runtime should run.
  ///
  /// Keys and scans go through the key pipeline (`receive`); every other action may bring the answer that
  /// held keys wait for, so those are released after it.
  public mutating func update(_ action: Action) -> [Effect] {
    let effects: [Effect]
    switch action {
    case .key(let key): return receive(.key(key))
    case .scan(let code): return receive(.scan(code))
    case .keysWaitingNoticeDue(let hold): return keysWaitingNoticeDue(hold: hold)
    case .tick: effects = tick()
    case .resize(let newSize):
      size = newSize
      keepProductInView()
      effects = []
    case .productsLoaded(let load, let result):
      switch load {
      case .list: background.remove(.products)
      case .lookup: background.remove(.code)
      case .more, .refresh: break
      }
      effects = productsLoaded(load, result)
    case .categoriesLoaded(let result):
      background.remove(.categories)
      effects = categoriesLoaded(result)
    case .cartCreated(let result):
      background.remove(.cart)
      effects = cartCreated(result)
    case .incrementFinished(let opId, let result):
      if inFlight?.opId == opId { background.remove(.increment) }
      effects = incrementFinished(opId: opId, result)
    case .orderPlaced(let key, let result): effects = orderPlaced(key: key, result)
    case .paymentFinished(let orderId, let result): effects = paymentFinished(orderId: orderId, result)
    case .orderCanceled(let result): effects = orderCanceled(result)
    case .ordersLoaded(let result):
      background.remove(.orders)
      effects = ordersLoaded(result)
    }
    return effects + releaseHeldKeys()
  }

  /// The clock: live stock for the visible rows, and retries of whatever failed for want of a network.
  mutating func tick() -> [Effect] {
    var effects: [Effect] = []
    if !categoriesLoaded && !categoriesInFlight {
      categoriesInFlight = true
      background.insert(.categories)
      effects.append(.loadCategories)
    }
    if productsFailed && !productsLoading {
      effects += reloadProducts()
      background.insert(.products)
    } else if !productsLoading && !refreshInFlight && !products.isEmpty {
      refreshInFlight = true
      let after = productScroll > 0 && productScroll <= products.count ? products[productScroll - 1].sku : nil
      let limit = min(Limits.maxPageSize, visibleProductRows)
      effects.append(
        .loadProducts(currentQuery(after: after, limit: limit), .refresh(generation: productGeneration)))
    }
    if let operation = inFlight, operation.awaitingRetry, let cart {
      inFlight?.awaitingRetry = false
      background.insert(.increment)
      effects.append(
        .increment(cartId: cart.id, sku: operation.sku, delta: operation.delta, opId: operation.opId))
    } else {
      let sent = sendNextOperation()
      for effect in sent {
        if case .createCart = effect { background.insert(.cart) }
        if case .increment = effect { background.insert(.increment) }
      }
      effects += sent
    }
    let code = retryCode()
    if !code.isEmpty { background.insert(.code) }
    effects += code
    if mode == .orders, ordersFailed, !ordersLoading {
      ordersLoading = true
      background.insert(.orders)
      effects.append(.loadOrders)
    }
    if case .payment(.cardPending) = mode, !ordersLoading {
      // The server settles pending card payments itself; watch the order until it does.
      ordersLoading = true
      background.insert(.orders)
      effects.append(.loadOrders)
    }
    if orderRetry {
      orderRetry = false
      effects += placeOrderIfReady()
    }
    return effects
  }

  /// Marks the back end reachable again after an answer, clearing an offline notice.
  mutating func noteAnswer() {
    if !online {
      online = true
      if status?.text.hasPrefix(Messages.offlinePrefix) == true {
        status = StatusMessage("Back online", .success)
      }
    }
  }

  /// Records a failure in the status line; answers whether it was the network (so a retry is due).
  @discardableResult
  mutating func note(_ failure: BackendFailure) -> Bool {
    if case .offline = failure {
      online = false
      status = StatusMessage(offlineText, .warning)
      return true
    }
    noteAnswer()
    status = StatusMessage(Messages.describe(failure), .error)
    return false
  }

  /// What the status line says while the back end is away: codes kept for later are named, so the
  /// cashier knows a scan made offline was not lost.
  var offlineText: String {
    guard let first = pendingCodes.first else { return Messages.offline }
    return pendingCodes.count == 1
      ? "Offline — \(first.code) is kept and added when the till is back online"
      : "Offline — \(pendingCodes.count) codes are kept and added when the till is back online"
  }

  /// The next id for an increment or an order, unique in this session.
  mutating func nextIdentifier(_ kind: String) -> String {
    serial += 1
    return "\(configuration.sessionId)-\(kind)-\(serial)"
  }
}
