import TillCore

extension AppState {
  /// Keys, dispatched by what the screen is showing.
  mutating func handle(_ key: Key) -> [Effect] {
    if staff == nil { return signInKey(key) }
    if key == .function(2) {
      showHelp = false
      return lockKey()
    }
    if showHelp {
      showHelp = false
      return []
    }
    if isHelpKey(key) {
      showHelp = true
      return []
    }
    switch mode {
    case .browse: return browseKey(key)
    case .checkout:
      if key == .escape && !placingOrder {
        mode = .browse
        checkoutKey = nil
        status = StatusMessage("Checkout stopped")
      }
      return []
    case .payment(let stage): return paymentKey(key, stage: stage)
    case .receipt(let receipt): return receiptKey(key, receipt)
    case .shortage(let shortages):
      if key == .character("f") || key == .enter { return reduceToAvailable(shortages) }
      if key == .escape {
        mode = .browse
        focus = .cart
        status = StatusMessage("Change the cart, then press c to check out")
      }
      return []
    case .orders: return ordersKey(key)
    case .refund(let returning): return returnKey(key, returning)
    case .confirmCancel(let order):
      if key == .character("y") || key == .character("Y") {
        mode = .orders
        cancelInFlight = true
        cancelTarget = order
        status = StatusMessage("Canceling order #\(order.number)…")
        return [.cancelOrder(id: order.id, approval: nil)]
      }
      if key == .character("n") || key == .character("N") || key == .escape {
        mode = .orders
        status = StatusMessage("Order #\(order.number) kept")
      }
      return []
    case .approval(let dialog): return approvalKey(key, dialog)
    case .discount(let dialog): return discountKey(key, dialog)
    case .register(let screen): return registerKey(key, screen)
    case .confirmQuit:
      if key == .character("y") || key == .character("Y") {
        quitting = true
        return [.quit]
      }
      if key == .character("n") || key == .escape || key == .character("N") {
        mode = .browse
        status = StatusMessage("Carrying on")
      }
      return []
    }
  }

  /// `?` (where it is not text being typed) and F1 open the help overlay.
  func isHelpKey(_ key: Key) -> Bool {
    key == .function(1) || (key == .character("?") && !searching && !isTypingAmount)
  }

  var isTypingAmount: Bool {
    switch mode {
    case .payment(.cash), .payment(.partAmount), .discount, .register(.openFloat), .register(.move),
      .register(.count):
      return true
    default: return false
    }
  }

  mutating func quit() -> [Effect] {
    if quitNeedsConfirmation {
      mode = .confirmQuit
      return []
    }
    quitting = true
    return [.quit]
  }

  mutating func browseKey(_ key: Key) -> [Effect] {
    if searching { return searchKey(key) }
    switch key {
    case .character(let character) where character.isASCII && character.isNumber:
      if entry.count < 32 { entry.append(character) }
      return []
    case .character("*"):
      if let value = Int(entry), value >= 1, value <= Limits.maxLineQuantity {
        multiplier = value
        status = StatusMessage("Next add: × \(value)")
      } else {
        status = StatusMessage("Type a quantity, then * (e.g. 3*)", .warning)
      }
      entry = ""
      return []
    case .backspace:
      if !entry.isEmpty { entry.removeLast() }
      return []
    case .escape:
      entry = ""
      multiplier = nil
      guard !searchText.isEmpty else { return [] }
      searchText = ""
      productIndex = 0
      productScroll = 0
      status = StatusMessage("Search cleared")
      return reloadProducts(keepSelection: false)
    case .enter where !entry.isEmpty:
      // Digits then Enter: a barcode scanner (or a typed code). An exact barcode or SKU match adds.
      let code = entry
      entry = ""
      return lookup(code, announceMiss: true)
    case .enter, .character("+"): return addSelected(sign: 1)
    case .character("-"): return addSelected(sign: -1)
    case .up: return moveSelection(by: -1)
    case .down: return moveSelection(by: 1)
    case .pageUp: return moveSelection(by: -visibleProductRows)
    case .pageDown: return moveSelection(by: visibleProductRows)
    case .home: return moveSelection(by: -Int(Int32.max))
    case .end: return moveSelection(by: Int(Int32.max))
    case .left: return switchCategory(by: -1)
    case .right: return switchCategory(by: 1)
    case .tab, .backTab:
      focus = focus == .products ? .cart : .products
      removedLine = nil
      cartIndex = max(0, min(cartIndex, displayedCartLines.count - 1))
      return []
    case .character("/"):
      searching = true
      focus = .products
      return []
    case .character("c"): return checkout()
    case .function(3): return openRegisterScreen()
    case .character("%"): return lineDiscountKey()
    case .character("$"): return orderDiscountKey()
    case .character("p"):
      if let order {
        mode = .payment(order.payment?.status == .pending ? .cardPending : .choose)
        return []
      }
      status = StatusMessage("No order to pay — press c to check out, or o for orders", .warning)
      return []
    case .character("n"):
      if hasPendingEdits {
        status = StatusMessage("Wait — the cart is still being saved", .warning)
        return []
      }
      newOrder()
      status = StatusMessage("New order")
      return []
    case .character("o"):
      mode = .orders
      ordersLoading = true
      background.remove(.orders)
      return [.loadOrders]
    case .character("q"), .control("c"): return quit()
    default: return []
    }
  }

  mutating func moveSelection(by offset: Int) -> [Effect] {
    if focus == .cart {
      let lines = displayedCartLines
      guard !lines.isEmpty else { return [] }
      let moved = max(0, min(lines.count - 1, cartIndex + offset))
      // The cursor leaves a removed line: the line goes from the panel, the cursor stays on its target.
      let target = lines[moved].sku
      removedLine = nil
      let remaining = displayedCartLines
      cartIndex = remaining.firstIndex { $0.sku == target } ?? max(0, min(moved, remaining.count - 1))
      return []
    }
    return moveProduct(by: offset)
  }

  /// `+`/Enter and `-`: the selected product, or the selected cart line when the cart has focus.
  mutating func addSelected(sign: Int) -> [Effect] {
    let quantity = (multiplier ?? 1) * sign
    multiplier = nil
    if focus == .cart {
      let lines = displayedCartLines
      guard lines.indices.contains(cartIndex) else { return [] }
      let line = lines[cartIndex]
      if line.isRemoved && quantity < 0 {
        status = StatusMessage("\(line.name) is already removed", .warning)
        return []
      }
      if quantity < 0 && line.quantity + line.pending + quantity <= 0 {
        // Taken to zero: the line keeps its place so the next press cannot land on its neighbour.
        removedLine = RemovedLine(sku: line.sku, name: line.name, index: cartIndex)
        status = StatusMessage("\(line.name) removed — + puts it back", .info)
        return edit(sku: line.sku, delta: -(line.quantity + line.pending))
      }
      if line.isRemoved {
        removedLine = nil
        let effects =
          products.first { $0.sku == line.sku }.map { add($0, delta: quantity) }
          ?? edit(sku: line.sku, delta: quantity)
        pendingNames[line.sku] = line.name
        cartIndex = displayedCartLines.firstIndex { $0.sku == line.sku } ?? cartIndex
        return effects
      }
      if let product = products.first(where: { $0.sku == line.sku }) {
        return add(product, delta: quantity)
      }
      return edit(sku: line.sku, delta: quantity)
    }
    guard let product = selectedProduct else { return [] }
    if quantity < 0 && quantityInCart(sku: product.sku) <= 0 {
      status = StatusMessage("\(product.name) is not in the cart", .warning)
      return []
    }
    return add(product, delta: quantity)
  }

  mutating func searchKey(_ key: Key) -> [Effect] {
    switch key {
    case .character(let character) where !character.isNewline:
      guard searchText.count < 100 else { return [] }
      searchText.append(character)
      productIndex = 0
      return reloadProducts(keepSelection: false)
    case .backspace:
      guard !searchText.isEmpty else { return [] }
      searchText.removeLast()
      productIndex = 0
      return reloadProducts(keepSelection: false)
    case .escape:
      searching = false
      let hadText = !searchText.isEmpty
      searchText = ""
      productIndex = 0
      return hadText ? reloadProducts(keepSelection: false) : []
    case .enter:
      searching = false
      guard !searchText.isEmpty else { return [] }
      return lookup(searchText, announceMiss: false)
    case .tab:
      searching = false
      return []
    case .up: return moveProduct(by: -1)
    case .down: return moveProduct(by: 1)
    case .pageUp: return moveProduct(by: -visibleProductRows)
    case .pageDown: return moveProduct(by: visibleProductRows)
    default: return []
    }
  }
}
