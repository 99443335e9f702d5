import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Catalogue: search, categories, stock adjustments")
struct CatalogueTests {
  @Test(arguments: StoreEngine.allCases)
  func searchIgnoresCaseAndAccents(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      for text in ["CAFÉ", "café", "cafe", "CAFE CRÈME"] {
        let page = try await store.products(matching: ProductQuery(text: text))
        #expect(page.items.map(\.name) == ["Café crème"], "query \(text)")
      }
      let bread = try await store.products(matching: ProductQuery(text: "brotchen"))
      #expect(bread.items.map(\.sku) == ["BAK-001"])
      let danish = try await store.products(matching: ProductQuery(text: "SMØRREBRØD"))
      #expect(danish.items.map(\.sku) == ["SAN-001"])
      let spicy = try await store.products(matching: ProductQuery(text: "jalapeno"))
      #expect(spicy.items.map(\.sku) == ["SNK-001"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func searchMatchesSKUAndBarcode(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let bySKU = try await store.products(matching: ProductQuery(text: "cof-00"))
      #expect(bySKU.items.map(\.sku) == ["COF-001", "COF-002"])
      let espresso = try #require(Fixture.catalogue.first { $0.sku == "COF-002" })
      let byBarcode = try await store.products(matching: ProductQuery(text: espresso.barcode))
      #expect(byBarcode.items == [espresso])
      let none = try await store.products(matching: ProductQuery(text: "no such thing"))
      #expect(none.items.isEmpty && none.next == nil)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func searchTreatsWildcardsLiterally(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let percent = try await store.products(matching: ProductQuery(text: "%"))
      #expect(percent.items.map(\.sku) == ["DRK-001"])
      let underscore = try await store.products(matching: ProductQuery(text: "_"))
      #expect(underscore.items.map(\.sku) == ["DRK-002"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func paginationCoversEveryResultOnce(engine: StoreEngine) async throws {
    let products = DemoCatalogue.synthetic(count: 137)
    try await withTestStore(engine, products: products) { store in
      for (text, category) in [(nil, nil), ("crème", nil), (nil, "Tea"), ("1", "Bakery")]
        as [(String?, String?)]
      {
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
          let page = try await store.products(
            matching: ProductQuery(text: text, category: category, limit: 10, after: cursor))
          #expect(page.items.count <= 10)
          #expect(page.next == nil || page.items.count == 10)
          seen += page.items.map(\.sku)
          cursor = page.next
          pages += 1
        } while cursor != nil && pages < 100
        let expected = products.filter { product in
          (text.map {
            product.name.lowercased().contains($0) || product.sku.contains($0) || product.barcode.contains($0)
          } ?? true)
            && (category.map { product.category == $0 } ?? true)
        }.map(\.sku).sorted()
        #expect(!expected.isEmpty)
        #expect(seen == expected, "query \(String(describing: text)) in \(String(describing: category))")
      }
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func lastFullPageHasNoNextCursor(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let all = try await store.products(matching: ProductQuery(limit: Fixture.catalogue.count))
      #expect(all.items.count == Fixture.catalogue.count)
      #expect(all.next == nil)
      let first = try await store.products(matching: ProductQuery(limit: 4))
      #expect(first.next == "COF-001")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func categoriesAreCountedAndSorted(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let categories = try await store.categories()
      #expect(
        categories == [
          Category(name: "Bakery", count: 3), Category(name: "Coffee", count: 2),
          Category(name: "Drinks", count: 2), Category(name: "Sandwiches", count: 1),
          Category(name: "Snacks", count: 1),
        ])
      let coffee = try await store.products(matching: ProductQuery(category: "Coffee"))
      #expect(coffee.items.map(\.sku) == ["COF-001", "COF-002"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func seedingHappensOnlyOnce(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let again = try await store.seedIfEmpty(with: DemoCatalogue.synthetic(count: 5))
      #expect(again == 0)
      let page = try await store.products(matching: ProductQuery(limit: 500))
      #expect(page.items == Fixture.catalogue.sorted { $0.sku < $1.sku })
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func stockAdjustmentsNeverGoBelowZero(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let restocked = try await store.adjustStock(sku: "BAK-003", delta: 10, reason: "delivery", by: .admin)
      #expect(restocked.stock == 12)
      let writtenOff = try await store.adjustStock(
        sku: "BAK-003", delta: -12, reason: "dropped tray", by: .admin)
      #expect(writtenOff.stock == 0)
      await #expect(throws: StoreError.stockBelowZero(sku: "BAK-003", available: 0)) {
        try await store.adjustStock(sku: "BAK-003", delta: -1, reason: "oops", by: .admin)
      }
      await #expect(throws: StoreError.notFound(what: "product")) {
        try await store.adjustStock(sku: "NOPE-1", delta: 1, reason: "x", by: .admin)
      }
      await #expect(throws: StoreError.notFound(what: "product")) {
        try await store.product(sku: "NOPE-1")
      }
      #expect(try await store.stock(of: "BAK-003") == 0)
    }
  }
}
