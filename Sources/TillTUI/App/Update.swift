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
  /// held keys wait for, so those are released after it. An answer saying the person's session is over
  /// locks the till first, so held keys act on the sign-in screen.
  public mutating func update(_ action: Action) -> [Effect] {
    switch action {
    case .key(let key): return receive(.key(key))
    case .scan(let code): return receive(.scan(code))
    case .keysWaitingNoticeDue(let hold): return keysWaitingNoticeDue(hold: hold)
    default: break
    }
    let converted = action.sessionEndedAsOffline
    let effects = converted == action ? dispatch(action) : sessionEnded(converted)
    return effects + releaseHeldKeys()
  }

  /// Applies an answer, the clock or a resize.
  mutating func dispatch(_ action: Action) -> [Effect] {
    switch action {
    case .key, .scan, .keysWaitingNoticeDue: return []
    case .tick: return tick()
    case .resize(let newSize):
      size = newSize
      keepProductInView()
      return []
    case .productsLoaded(let load, let result):
      switch load {
      case .list: background.remove(.products)
      case .lookup: background.remove(.code)
      case .more, .refresh: break
      }
      return productsLoaded(load, result)
    case .categoriesLoaded(let result):
      background.remove(.categories)
      return categoriesLoaded(result)
    case .cartCreated(let requestedBy, let result):
      // An answer for someone who has since locked the till is not this person's cart.
      guard let person = staff, person.code == requestedBy else { return [] }
      background.remove(.cart)
      return cartCreated(result)
    case .incrementFinished(let opId, let result):
      if inFlight?.opId == opId { background.remove(.increment) }
      return incrementFinished(opId: opId, result)
    case .orderPlaced(let key, let result): return orderPlaced(key: key, result)
    case .paymentFinished(let orderId, let result): return paymentFinished(orderId: orderId, result)
    case .refundFinished(let key, let result): return refundFinished(key: key, result)
    case .refundReceiptLoaded(let refundId, let result):
      return refundReceiptLoaded(refundId: refundId, result)
    case .refundReceiptWritten(let target, let failure):
      refundReceiptWritten(target: target, failure: failure)
      return []
    case .orderCanceled(let result): return orderCanceled(result)
    case .ordersLoaded(let result):
      background.remove(.orders)
      return ordersLoaded(result)
    case .signedIn(let result): return signedIn(result)
    case .discountApplied(let opId, let result): return discountApplied(opId: opId, result)
    case .receiptLoaded(let orderId, let copy, let result):
      return receiptLoaded(orderId: orderId, copy: copy, result)
    case .receiptWritten(let orderId, let copy, let target, let failure):
      receiptWritten(orderId: orderId, copy: copy, target: target, failure: failure)
      return []
    case .signedOut:
      signingOut = false
      return []
    case .registerOpened(let result): return registerOpened(result)
    case .xReportLoaded(let result): return xReportLoaded(result)
    case .cashMoveRecorded(let request, let result):
      if case .approval(let dialog) = mode, case .cashMove = dialog.purpose {
        return approvedMoveAnswered(dialog, result)
      }
      return cashMoveRecorded(request, result)
    case .registerClosed(let key, let result): return registerClosed(key: key, result)
    case .zReportPrinted(let number, let failure):
      zReportPrinted(number: number, failure: failure)
      return []
    case .drawerPulsed(let failure):
      drawerPulsed(failure: failure)
      return []
    }
  }

  /// The clock: live stock for the visible rows, the idle lock, and retries of whatever failed for want
  /// of a network. While nobody is signed in only the catalogue is looked after; a sale's calls wait for
  /// its person.
  mutating func tick() -> [Effect] {
    var effects = catalogueTick()
    if let locked = idleLock() { return effects + locked }
    guard staff != nil else { return effects }
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

  /// Categories until they load, and the product list (again after a failure, else its live stock).
  private mutating func catalogueTick() -> [Effect] {
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
