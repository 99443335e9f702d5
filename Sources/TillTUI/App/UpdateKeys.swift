import TillCore

extension AppState {
  /// Keys, dispatched by what the screen is showing.
  mutating func handle(_ key: Key) -> [Effect] {
    if showHelp {
      showHelp = false
      return []
    }
    if key == .function(1) || (key == .character("?") && !searching && !isTypingAmount) {
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
    case .receipt:
      if key == .enter || key == .escape || key == .character("n") || key == .character(" ") {
        // The cart was closed when the order was placed; one still open (an older order paid from the
        // orders list) is kept.
        mode = .browse
        focus = .products
        status = StatusMessage("Ready for the next customer")
      } else if key == .character("q") {
        return quit()
      }
      return []
    case .shortage(let shortages):
      if key == .character("f") || key == .enter { return reduceToAvailable(shortages) }
      if key == .escape {
        mode = .browse
        focus = .cart
        status = StatusMessage("Change the cart, then press c to check out")
      }
      return []
    case .orders: return ordersKey(key)
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

  var isTypingAmount: Bool {
    if case .payment(.cash) = mode { return true }
    return false
  }

  mutating func quit() -> [Effect] {
    if cartIsOpen {
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
      return []
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
      return []
    case .character("/"):
      searching = true
      focus = .products
      return []
    case .character("c"): return checkout()
    case .character("p"):
      if order != nil {
        mode = .payment(.choose)
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
      return [.loadOrders]
    case .character("q"), .control("c"): return quit()
    default: return []
    }
  }

  /// Looks a code up on the server; a barcode or SKU that matches exactly adds one (or the multiplier).
  mutating func lookup(_ code: String, announceMiss: Bool) -> [Effect] {
    let quantity = multiplier ?? 1
    multiplier = nil
    if let product = exactMatch(code, in: products), !productsLoading {
      var effects = add(product, delta: quantity)
      if searchText == code {
        searchText = ""
        searching = false
        effects += reloadProducts()
      }
      return effects
    }
    let query = ProductQuery(text: code, category: nil, limit: 20)
    return [.loadProducts(query, .lookup(code: code, quantity: quantity, announceMiss: announceMiss))]
  }

  mutating func moveSelection(by offset: Int) -> [Effect] {
    if focus == .cart {
      let count = displayedCartLines.count
      if count > 0 { cartIndex = max(0, min(count - 1, cartIndex + offset)) }
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
      return reloadProducts()
    case .backspace:
      guard !searchText.isEmpty else { return [] }
      searchText.removeLast()
      return reloadProducts()
    case .escape:
      searching = false
      let hadText = !searchText.isEmpty
      searchText = ""
      return hadText ? reloadProducts() : []
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

  mutating func paymentKey(_ key: Key, stage: PaymentStage) -> [Effect] {
    switch stage {
    case .sending: return []
    case .cash(let text):
      switch key {
      case .character(let character)
      where character.isASCII && (character.isNumber || character == "." || character == ","):
        if text.count < 14 { mode = .payment(.cash(text + String(character))) }
      case .backspace: mode = .payment(.cash(String(text.dropLast())))
      case .enter: return payCash(text)
      case .escape: mode = .payment(.choose)
      default: break
      }
      return []
    case .choose, .cardPending, .declined:
      switch key {
      case .character("1"):
        mode = .payment(.cash(""))
        status = StatusMessage("Type the cash handed over, then Enter")
        return []
      case .character("2"): return pay(.card)
      case .escape:
        mode = .browse
        if let order {
          status = StatusMessage("Order #\(order.number) waits for payment — p to pay, o for orders")
        }
        return []
      default: return []
      }
    }
  }

  mutating func ordersKey(_ key: Key) -> [Effect] {
    switch key {
    case .up: orderIndex = max(0, orderIndex - 1)
    case .down: orderIndex = max(0, min(orders.count - 1, orderIndex + 1))
    case .pageUp: orderIndex = max(0, orderIndex - visibleProductRows)
    case .pageDown: orderIndex = max(0, min(orders.count - 1, orderIndex + visibleProductRows))
    case .escape, .character("o"):
      mode = .browse
    case .character("r"):
      ordersLoading = true
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
      mode = .payment(.choose)
    case .character("x"):
      guard orders.indices.contains(orderIndex) else { return [] }
      let selected = orders[orderIndex]
      guard selected.status == .placed else {
        status = StatusMessage("Only unpaid orders can be canceled", .warning)
        return []
      }
      status = StatusMessage("Canceling order #\(selected.number)…")
      return [.cancelOrder(id: selected.id)]
    case .character("q"): return quit()
    default: break
    }
    return []
  }
}
