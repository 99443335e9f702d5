import Testing
import TillCore
import TillStore
import TillTestSupport

/// A catalogue that breaks one rule, and the one line that refuses it.
struct BadCatalogue: Sendable, CustomTestStringConvertible {
  var name: String
  var products: [Product]
  var message: String

  var testDescription: String { name }

  static func product(
    _ sku: String, price: Int = 250, currency: String = "EUR", stock: Int = 10, barcode: String? = nil
  ) -> Product {
    Product(
      sku: sku, name: "Product \(sku)", category: "Test", price: Money(amount: price, currency: currency),
      stock: stock, barcode: barcode ?? "BC-\(sku)")
  }

  static let all: [BadCatalogue] = [
    BadCatalogue(
      name: "price Int64.max", products: [product("OK-1"), product("MAX", price: Int.max)],
      message: #"product 2 (SKU "MAX"): price 9223372036854775807 is outside 0 to 1000000000 minor units"#),
    BadCatalogue(
      name: "price 10^9 + 1", products: [product("BIG", price: 1_000_000_001)],
      message: #"product 1 (SKU "BIG"): price 1000000001 is outside 0 to 1000000000 minor units"#),
    BadCatalogue(
      name: "negative price", products: [product("NEG", price: -1)],
      message: #"product 1 (SKU "NEG"): price -1 is outside 0 to 1000000000 minor units"#),
    BadCatalogue(
      name: "a second currency", products: [product("EUR-3", price: 300), product("USD-5", currency: "USD")],
      message:
        #"product 2 (SKU "USD-5"): priced in "USD", but every product must be in the shop's currency, EUR"#
    ),
    BadCatalogue(
      name: "an empty SKU", products: [product("")],
      message: #"product 1 (SKU ""): a SKU must be 1 to 64 bytes of UTF-8 without control characters "#
        + "(this one has 0 bytes)"),
    BadCatalogue(
      name: "a 100-character SKU", products: [product(String(repeating: "S", count: 100))],
      message: #"product 1 (SKU "SSSSSSSSSSSSSSSSSSSSSSSS…"): a SKU must be 1 to 64 bytes of UTF-8 "#
        + "without control characters (this one has 100 bytes)"),
    BadCatalogue(
      name: "a SKU with a line break", products: [product("A\nB")],
      message: #"product 1 (SKU "A\nB"): a SKU must be 1 to 64 bytes of UTF-8 without control characters "#
        + "(this one has 3 bytes)"),
    BadCatalogue(
      name: "a duplicate barcode",
      products: [product("A-1", barcode: "4006381333931"), product("A-2", barcode: "4006381333931")],
      message: #"product 2 (SKU "A-2"): barcode "4006381333931" is also the barcode of "A-1""#),
    BadCatalogue(
      name: "a duplicate SKU", products: [product("A-1"), product("A-1", barcode: "other")],
      message: #"product 2 (SKU "A-1"): the SKU is given twice"#),
    BadCatalogue(
      name: "stock above the limit", products: [product("LOTS", stock: 1_000_000_001)],
      message: #"product 1 (SKU "LOTS"): stock 1000000001 is outside 0 to 1000000000"#),
  ]

  /// Every bound at its largest or smallest allowed value.
  static let boundaries: [Product] = [
    product("FREE", price: 0, stock: 0),
    product("TOP", price: Limits.maxUnitPrice, stock: Limits.maxStock),
    product(String(repeating: "x", count: 64)),
    product(String(repeating: "ö", count: 32)),
    product("ÄÖ-1"), product("sp ace"), product("a/b%2F"),
  ]
}

@Suite("Catalogue rules: what a seed may load, refused in one line on both engines")
struct CatalogueRulesTests {
  @Test(arguments: StoreEngine.allCases, BadCatalogue.all)
  func badCatalogueIsRefusedAndWritesNothing(engine: StoreEngine, bad: BadCatalogue) async throws {
    try await withTestStore(engine, products: []) { store in
      let result = await outcome { () async throws(StoreError) in
        try await store.seedIfEmpty(with: bad.products)
      }
      #expect(result == .failure(.invalidCatalogue(bad.message)))
      let loaded = try await store.products(matching: ProductQuery())
      #expect(loaded.items.isEmpty)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func everyBoundLoadsAndAFullCatalogueStillRefuses(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: BadCatalogue.boundaries) { store in
      let loaded = try await store.products(matching: ProductQuery(limit: Limits.maxPageSize)).items
      #expect(Set(loaded) == Set(BadCatalogue.boundaries))
      // A bad file is refused even when the database has a catalogue already and would load nothing.
      let again = await outcome { () async throws(StoreError) in
        try await store.seedIfEmpty(with: BadCatalogue.all[0].products)
      }
      #expect(again == .failure(.invalidCatalogue(BadCatalogue.all[0].message)))
      let inserted = try await store.seedIfEmpty(with: BadCatalogue.boundaries)
      #expect(inserted == 0)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func restocksStopAtTheStockLimit(engine: StoreEngine) async throws {
    let products = [BadCatalogue.product("TOP", stock: Limits.maxStock - 10)]
    try await withTestStore(engine, products: products) { store in
      let refused = await outcome { () async throws(StoreError) in
        try await store.adjustStock(sku: "TOP", delta: 11, reason: "delivery", by: .admin)
      }
      #expect(
        refused.map(\.stock)
          == .failure(.stockAboveLimit(sku: "TOP", available: Limits.maxStock - 10, limit: Limits.maxStock)))
      let restocked = try await store.adjustStock(sku: "TOP", delta: 10, reason: "delivery", by: .admin)
      #expect(restocked.stock == Limits.maxStock)
      let writtenOff = try await store.adjustStock(sku: "TOP", delta: -1, reason: "broken", by: .admin)
      #expect(writtenOff.stock == Limits.maxStock - 1)
      let belowZero = await outcome { () async throws(StoreError) in
        try await store.adjustStock(sku: "TOP", delta: -Limits.maxStock, reason: "write-off", by: .admin)
      }
      #expect(belowZero.map(\.stock) == .failure(.stockBelowZero(sku: "TOP", available: Limits.maxStock - 1)))
    }
  }
}
