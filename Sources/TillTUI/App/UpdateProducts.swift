import TillCore

extension AppState {
  /// The search and category in effect as a query.
  func currentQuery(after: String? = nil, limit: Int? = nil) -> ProductQuery {
    ProductQuery(
      text: searchText.isEmpty ? nil : searchText, category: selectedCategory,
      limit: limit ?? configuration.pageSize, after: after)
  }

  /// Starts a new product list; answers to older lists are dropped by generation. The cursor then
  /// returns to the product selected now (when `keepSelection` and it is still listed) or to the top:
  /// decided here, not when the answer comes, so keys typed meanwhile cannot change where it lands.
  mutating func reloadProducts(keepSelection: Bool = true) -> [Effect] {
    listSelection = keepSelection ? selectedProduct?.sku : nil
    background.remove(.products)
    productGeneration += 1
    productsLoading = true
    productsFailed = false
    moreInFlight = false
    refreshInFlight = false
    return [.loadProducts(currentQuery(), .list(generation: productGeneration))]
  }

  mutating func productsLoaded(_ load: ProductLoad, _ result: Result<Page<Product>, BackendFailure>)
    -> [Effect]
  {
    switch load {
    case .list(let generation):
      guard generation == productGeneration else { return [] }
      productsLoading = false
      switch result {
      case .success(let page):
        noteAnswer()
        products = page.items
        productsNext = page.next
        productIndex = listSelection.flatMap { sku in products.firstIndex { $0.sku == sku } } ?? 0
        productScroll = 0
        keepProductInView()
      case .failure(let failure):
        productsFailed = note(failure)
      }
      return []
    case .more(let generation):
      guard generation == productGeneration else { return [] }
      moreInFlight = false
      switch result {
      case .success(let page):
        noteAnswer()
        let known = Set(products.map(\.sku))
        products += page.items.filter { !known.contains($0.sku) }
        productsNext = page.next
      case .failure(let failure):
        note(failure)
      }
      return []
    case .refresh(let generation):
      refreshInFlight = false
      guard generation == productGeneration else { return [] }
      switch result {
      case .success(let page):
        noteAnswer()
        let fresh = Dictionary(page.items.map { ($0.sku, $0) }, uniquingKeysWith: { _, last in last })
        for index in products.indices {
          if let product = fresh[products[index].sku] { products[index] = product }
        }
      case .failure(let failure):
        if case .offline = failure { note(failure) }
      }
      return []
    case .lookup(let code):
      return codeLooked(code, result)
    }
  }

  mutating func categoriesLoaded(_ result: Result<[Category], BackendFailure>) -> [Effect] {
    categoriesInFlight = false
    switch result {
    case .success(let list):
      noteAnswer()
      let selected = selectedCategory
      categories = list
      categoriesLoaded = true
      categoryIndex = selected.flatMap { name in list.firstIndex { $0.name == name }.map { $0 + 1 } } ?? 0
    case .failure(let failure):
      note(failure)
    }
    return []
  }

  /// Moves the product cursor by `offset` rows, fetching the next page when the cursor nears the end.
  mutating func moveProduct(by offset: Int) -> [Effect] {
    guard !products.isEmpty else { return [] }
    productIndex = max(0, min(products.count - 1, productIndex + offset))
    keepProductInView()
    if productIndex >= products.count - visibleProductRows, let next = productsNext, !moreInFlight {
      moreInFlight = true
      return [.loadProducts(currentQuery(after: next), .more(generation: productGeneration))]
    }
    return []
  }

  /// Scrolls just enough that the cursor row is visible.
  mutating func keepProductInView() {
    let rows = visibleProductRows
    if productIndex < productScroll { productScroll = productIndex }
    if productIndex >= productScroll + rows { productScroll = productIndex - rows + 1 }
    productScroll = max(0, min(productScroll, max(0, products.count - 1)))
  }

  mutating func switchCategory(by offset: Int) -> [Effect] {
    let count = categories.count + 1
    categoryIndex = ((categoryIndex + offset) % count + count) % count
    productIndex = 0
    return reloadProducts(keepSelection: false)
  }
}
