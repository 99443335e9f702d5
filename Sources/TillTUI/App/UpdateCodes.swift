import TillCore

/// Barcodes and SKUs: scanned, typed as digits then Enter, or kept from a search with Enter.
///
/// Every code goes through one queue, looked up one at a time in the order they came, so a scan made
/// while the back end is away is kept and added when it returns, like a `+` typed offline.
extension AppState {
  /// A scan: in the product list it adds; on the receipt it starts the next customer's cart; any other
  /// dialog refuses it, so its digits never reach a menu or an amount.
  mutating func scanned(_ code: String) -> [Effect] {
    if showHelp { showHelp = false }
    switch mode {
    case .browse:
      entry = ""
      return lookup(code, announceMiss: true)
    case .receipt:
      closeReceipt()
      return lookup(code, announceMiss: true)
    default:
      status = StatusMessage("Scan of \(code) ignored — finish this first (Esc goes back)", .warning)
      return []
    }
  }

  /// Looks a code up; a barcode or SKU that matches exactly adds one (or the multiplier).
  mutating func lookup(_ code: String, announceMiss: Bool) -> [Effect] {
    let quantity = multiplier ?? 1
    if pendingCodes.isEmpty, !productsLoading {
      if let product = exactMatch(code, in: products) {
        multiplier = nil
        return added(product, quantity: quantity, code: code)
      }
      // The whole list for this very search, in every category, is loaded: the server has nothing else
      // to match it, and the multiplier waits for the add it was typed for.
      if code == searchText, selectedCategory == nil, productsNext == nil, !productsFailed {
        if announceMiss { status = StatusMessage("No product with code \(code)", .warning) }
        return []
      }
    }
    multiplier = nil
    pendingCodes.append(PendingCode(code: code, quantity: quantity, announceMiss: announceMiss))
    return sendNextCode()
  }

  /// Sends the lookup of the oldest pending code when none is on its way.
  mutating func sendNextCode() -> [Effect] {
    guard !codeInFlight, let next = pendingCodes.first else { return [] }
    codeInFlight = true
    codeAwaitingRetry = false
    let query = ProductQuery(text: next.code, category: nil, limit: 20)
    return [.loadProducts(query, .lookup(code: next.code))]
  }

  /// The tick: a lookup that failed for want of a network goes again.
  mutating func retryCode() -> [Effect] {
    guard codeInFlight, codeAwaitingRetry else { return sendNextCode() }
    codeInFlight = false
    return sendNextCode()
  }

  mutating func codeLooked(_ code: String, _ result: Result<Page<Product>, BackendFailure>) -> [Effect] {
    guard codeInFlight, let pending = pendingCodes.first, pending.code == code else { return [] }
    switch result {
    case .success(let page):
      noteAnswer()
      codeInFlight = false
      pendingCodes.removeFirst()
      var effects: [Effect]
      if let product = exactMatch(code, in: page.items) {
        effects = added(product, quantity: pending.quantity, code: code)
      } else {
        if pending.announceMiss { status = StatusMessage("No product with code \(code)", .warning) }
        effects = []
      }
      return effects + sendNextCode() + placeOrderIfReady()
    case .failure(let failure):
      if note(failure) {
        codeAwaitingRetry = true
        return []
      }
      codeInFlight = false
      pendingCodes.removeFirst()
      return sendNextCode() + placeOrderIfReady()
    }
  }

  /// Adds a product found by its code; a search kept with that very code is cleared.
  private mutating func added(_ product: Product, quantity: Int, code: String) -> [Effect] {
    var effects = add(product, delta: quantity)
    if searchText == code {
      searchText = ""
      searching = false
      effects += reloadProducts()
    }
    return effects
  }

  func exactMatch(_ code: String, in items: [Product]) -> Product? {
    items.first { $0.barcode == code } ?? items.first { $0.sku.lowercased() == code.lowercased() }
  }
}
