import Testing
import TillCore

@testable import TillTUI

@Suite("update: browsing, search, categories")
struct BrowseUpdateTests {
  @Test func startLoadsCategoriesAndFirstPage() {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    state.signInAs(Fixtures.cashier)
    let effects = state.start()
    #expect(effects == [.loadCategories, .loadProducts(ProductQuery(limit: 200), .list(generation: 1))])
    #expect(state.productsLoading)
  }

  @Test func staleProductListIsDropped() {
    var state = Fixtures.state()
    _ = state.press(.character("/"))
    _ = state.type("cr")
    let stale = Page(items: [Fixtures.matcha], next: nil)
    _ = state.update(.productsLoaded(.list(generation: state.productGeneration - 1), .success(stale)))
    #expect(state.products == Fixtures.products)
    _ = state.update(.productsLoaded(.list(generation: state.productGeneration), .success(stale)))
    #expect(state.products == [Fixtures.matcha])
  }

  @Test func arrowsAndPagesMoveTheCursor() {
    var state = Fixtures.state()
    #expect(state.press(.down, .down).isEmpty)
    #expect(state.productIndex == 2)
    _ = state.press(.up)
    #expect(state.productIndex == 1)
    _ = state.press(.pageDown)
    #expect(state.productIndex == 4)
    _ = state.press(.pageUp)
    #expect(state.productIndex == 0)
  }

  @Test func cursorNearTheEndFetchesTheNextPage() {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    state.signInAs(Fixtures.cashier)
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(Fixtures.categories)))
    _ = state.update(
      .productsLoaded(.list(generation: 1), .success(Page(items: Fixtures.products, next: "TEA-007"))))
    let effects = state.press(.down)
    #expect(effects == [.loadProducts(ProductQuery(limit: 200, after: "TEA-007"), .more(generation: 1))])
    #expect(state.press(.down) == [.noticeKeysWaiting(hold: 1)], "the next move waits for the page")
    #expect(state.heldKeys == [.key(.down)])
    _ = state.update(
      .productsLoaded(.more(generation: 1), .success(Page(items: [Fixtures.matcha], next: nil))))
    #expect(state.heldKeys.isEmpty)
    #expect(state.productIndex == 2, "the held key moved on the list with the new page")
  }

  @Test func searchTypesFiltersAndEscapeClears() {
    var state = Fixtures.state()
    #expect(state.press(.character("/")).isEmpty)
    #expect(state.searching)
    let effects = state.type("caf")
    #expect(state.searchText == "caf")
    #expect(
      effects.last
        == .loadProducts(ProductQuery(text: "caf", limit: 200), .list(generation: state.productGeneration)))
    _ = state.press(.backspace)
    #expect(state.searchText == "ca")
    let cleared = state.press(.escape)
    #expect(state.searchText.isEmpty && !state.searching)
    #expect(cleared == [.loadProducts(ProductQuery(limit: 200), .list(generation: state.productGeneration))])
  }

  @Test func searchEnterKeepsTheFilter() {
    var state = Fixtures.state()
    _ = state.press(.character("/"))
    _ = state.type("cr")
    _ = state.update(
      .productsLoaded(
        .list(generation: state.productGeneration), .success(Page(items: [Fixtures.cafe], next: nil))))
    let effects = state.press(.enter)
    #expect(!state.searching)
    #expect(state.searchText == "cr")
    #expect(effects.isEmpty, "the whole list for \"cr\" is loaded and holds no exact match: nothing to ask")
    #expect(!state.hasPendingEdits)
    #expect(state.status == nil)
  }

  @Test func searchEnterAsksTheServerWhenTheListIsNotComplete() {
    var state = Fixtures.state()
    _ = state.press(.character("/"))
    _ = state.type("cr")
    state.answerList([Fixtures.cafe], next: "COF-001")
    let effects = state.press(.enter)
    #expect(effects == [.loadProducts(ProductQuery(text: "cr", limit: 20), .lookup(code: "cr"))])
    // No exact match: nothing added, the filter stays, no complaint.
    _ = state.update(.productsLoaded(.lookup(code: "cr"), .success(Page(items: [Fixtures.cafe], next: nil))))
    #expect(state.searchText == "cr")
    #expect(!state.hasPendingEdits)
    #expect(state.status == nil)
  }

  @Test func categoryArrowsCycleAndReload() {
    var state = Fixtures.state()
    let effects = state.press(.right)
    #expect(state.selectedCategory == "Bakery")
    #expect(
      effects == [
        .loadProducts(
          ProductQuery(category: "Bakery", limit: 200), .list(generation: state.productGeneration))
      ])
    _ = state.press(.left, .left)
    #expect(state.selectedCategory == "Bakery", "the arrows wait for the Bakery list")
    state.answerList()
    #expect(state.selectedCategory == "All" || state.selectedCategory == nil)
    state.answerList()
    #expect(state.selectedCategory == "Tea")
    state.answerList()
    _ = state.press(.right)
    #expect(state.selectedCategory == nil)
  }

  @Test func tickRefreshesVisibleStockWithoutMovingTheCursor() {
    var state = Fixtures.state()
    _ = state.press(.down, .down, .down)
    let effects = state.update(.tick)
    let refresh = ProductQuery(limit: state.visibleProductRows)
    #expect(effects == [.loadProducts(refresh, .refresh(generation: state.productGeneration))])
    #expect(state.update(.tick).isEmpty, "no second refresh while one is on its way")
    var sold = Fixtures.cafe
    sold.stock = 1
    _ = state.update(
      .productsLoaded(.refresh(generation: state.productGeneration), .success(Page(items: [sold], next: nil)))
    )
    #expect(state.products[3].stock == 1)
    #expect(state.productIndex == 3)
    #expect(state.products.count == Fixtures.products.count)
  }

  @Test func helpOpensWithQuestionMarkOrF1AndAnyKeyCloses() {
    var state = Fixtures.state()
    _ = state.press(.character("?"))
    #expect(state.showHelp)
    #expect(state.press(.character("c")).isEmpty, "the closing key does nothing else")
    #expect(!state.showHelp && state.mode == .browse)
    _ = state.press(.function(1))
    #expect(state.showHelp)
  }

  @Test func tabSwitchesFocus() {
    var state = Fixtures.state()
    _ = state.press(.tab)
    #expect(state.focus == .cart)
    _ = state.press(.tab)
    #expect(state.focus == .products)
  }

  @Test func offlineListRetriesOnTheNextTick() {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    state.signInAs(Fixtures.cashier)
    _ = state.start()
    _ = state.update(.productsLoaded(.list(generation: 1), .failure(.offline("refused"))))
    #expect(!state.online)
    #expect(state.status?.text == "Offline — retrying")
    let effects = state.update(.tick)
    #expect(effects.contains(.loadProducts(ProductQuery(limit: 200), .list(generation: 2))))
    _ = state.update(
      .productsLoaded(.list(generation: 2), .success(Page(items: Fixtures.products, next: nil))))
    #expect(state.online)
    #expect(state.status?.text == "Back online")
  }
}
