import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Tax rates on every engine: a category's rate moves the products that follow it, a product's own
/// rate stays until it is cleared, and the seed stores both.
@Suite("Tax rates: categories, products' own rates, seeding")
struct TaxRateTests {
  typealias T = TaxFixture
  typealias S = StaffFixture

  static func rates(_ store: StaffedStore, _ skus: String...) async throws -> [Int] {
    var rates: [Int] = []
    for sku in skus { rates.append(try await store.product(sku: sku).taxRate) }
    return rates
  }

  @Test(arguments: StoreEngine.allCases)
  func aCategoryRateMovesItsFollowingProductsOnly(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      #expect(
        try await store.categories().first { $0.name == "Bakery" }
          == Category(name: "Bakery", count: 3, taxRate: 700))
      let own = try await store.setProductTaxRate(sku: "BAK-002", rate: 1_900, by: S.admin)
      #expect(own.taxRate == 1_900 && own.sku == "BAK-002")
      let bakery = try await store.setCategoryTaxRate(category: "Bakery", rate: 1_000, by: S.admin)
      #expect(bakery == Category(name: "Bakery", count: 3, taxRate: 1_000))
      #expect(
        try await Self.rates(store, "BAK-001", "BAK-002", "BAK-003", "COF-001") == [
          1_000, 1_900, 1_000, 1_900,
        ])
      #expect(try await store.categories().first { $0.name == "Bakery" }?.taxRate == 1_000)
      #expect(
        try await store.products(matching: ProductQuery(category: "Bakery")).items.map(\.taxRate) == [
          1_000, 1_900, 1_000,
        ])

      let following = try await store.setProductTaxRate(sku: "BAK-002", rate: nil, by: Fixture.actorAudit)
      #expect(following.taxRate == 1_000)
      _ = try await store.setCategoryTaxRate(category: "Bakery", rate: 0, by: S.admin)
      #expect(try await Self.rates(store, "BAK-001", "BAK-002") == [0, 0])

      let rows = try await S.trail(store).filter { $0.action == "tax-rate" }
      #expect(rows.map(\.subject) == ["Bakery", "BAK-002", "Bakery", "BAK-002"])
      #expect(
        rows.map(\.detail) == [
          "category rate 0", "follows category Bakery: 1000", "category rate 1000", "own rate 1900",
        ])
      #expect(rows.first?.staff == nil && rows[1].staff == S.manager && rows[1].terminal == S.terminal)
    }
  }

  static func setCategory(_ store: StaffedStore, _ category: String, _ rate: Int) async
    -> Result<Category, StoreError>
  {
    await outcome { () async throws(StoreError) in
      try await store.setCategoryTaxRate(category: category, rate: rate, by: S.admin)
    }
  }

  static func setProduct(_ store: StaffedStore, _ sku: String, _ rate: Int?) async -> Result<
    Product, StoreError
  > {
    await outcome { () async throws(StoreError) in
      try await store.setProductTaxRate(sku: sku, rate: rate, by: S.admin)
    }
  }

  static func seed(_ store: any Store, _ catalogue: SeedCatalogue) async -> Result<Int, StoreError> {
    await outcome { () async throws(StoreError) in try await store.seedIfEmpty(with: catalogue) }
  }

  static func isInvalidRate(_ result: Result<Int, StoreError>) -> Bool {
    if case .failure(.invalidField(field: "taxRate", _)) = result { return true }
    return false
  }

  @Test(arguments: StoreEngine.allCases)
  func badRatesAndUnknownNamesChangeNothing(engine: StoreEngine) async throws {
    try await T.withStore(engine, Self.badRatesAndUnknownNamesChangeNothing)
  }

  static func badRatesAndUnknownNamesChangeNothing(_ store: StaffedStore) async throws {
    do {
      for rate in [-1, 10_001, Int.max] {
        let category = await Self.setCategory(store, "Bakery", rate)
        let product = await Self.setProduct(store, "BAK-001", rate)
        for refused in [category.map(\.taxRate), product.map(\.taxRate)] {
          #expect(Self.isInvalidRate(refused), "rate \(rate) must be refused as invalid, got \(refused)")
        }
      }
      let unknownCategory = await Self.setCategory(store, "Hardware", 1_900)
      #expect(unknownCategory == .failure(.notFound(what: "category")))
      let unknownProduct = await Self.setProduct(store, "NOPE", nil)
      #expect(unknownProduct == .failure(.notFound(what: "product")))
      #expect(try await Self.rates(store, "BAK-001") == [700])
      #expect(try await S.trail(store).filter { $0.action == "tax-rate" }.isEmpty)
      // The full range is taken.
      #expect(try await store.setProductTaxRate(sku: "BAK-001", rate: 10_000, by: S.admin).taxRate == 10_000)
      #expect(try await store.setCategoryTaxRate(category: "Snacks", rate: 0, by: S.admin).taxRate == 0)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func theDemoCatalogueSeedsCategoryAndOwnRates(engine: StoreEngine) async throws {
    let catalogue = try DemoCatalogue.loadCatalogue()
    #expect(catalogue.categoryRates["Coffee"] == 1_900 && catalogue.categoryRates["Bakery"] == 700)
    #expect(catalogue.ownRates.contains("COF-020"))
    #expect(Set(catalogue.products.map(\.taxRate)) == [700, 1_900])
    try await withTestStore(engine, products: []) { anyStore in
      let store = try #require(anyStore as? StaffedStore)
      #expect(try await store.seedIfEmpty(with: catalogue) == catalogue.products.count)
      let coffee = try #require(try await store.categories().first { $0.name == "Coffee" })
      #expect(coffee.taxRate == 1_900)
      #expect(try await Self.rates(store, "COF-001", "COF-020") == [1_900, 700])
      // Coffee beans keep their own rate when the category's changes.
      _ = try await store.setCategoryTaxRate(category: "Coffee", rate: 1_600, by: S.admin)
      #expect(try await Self.rates(store, "COF-001", "COF-020") == [1_600, 700])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aSeedWithARateOutOfRangeIsRefused(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: [], Self.aSeedWithARateOutOfRangeIsRefused)
  }

  static func aSeedWithARateOutOfRangeIsRefused(_ store: any Store) async throws {
    do {
      let badCategory = SeedCatalogue(categoryRates: ["Bakery": 10_001], products: Fixture.catalogue)
      var product = Fixture.catalogue[0]
      product.taxRate = -7
      let badProduct = SeedCatalogue(categoryRates: [:], products: [product], ownRates: [product.sku])
      for catalogue in [badCategory, badProduct] {
        let seeded = await Self.seed(store, catalogue)
        let message: String? =
          if case .failure(.invalidCatalogue(let message)) = seeded { message } else { nil }
        #expect(message?.contains("tax rate") == true, "expected an invalid catalogue, got \(seeded)")
      }
      #expect(try await store.categories().isEmpty)
    }
  }

  @Test func plainProductListsTakeEachCategorysCommonestRate() {
    var products = TaxFixture.catalogue
    products[1].taxRate = 1_900
    let catalogue = SeedCatalogue(products: products)
    #expect(
      catalogue.categoryRates == [
        "Bakery": 700, "Coffee": 1_900, "Drinks": 1_900, "Sandwiches": 700, "Snacks": 700,
      ])
    #expect(catalogue.ownRates == [products[1].sku])
    #expect(catalogue.products == products)
    #expect(SeedCatalogue(products: Fixture.catalogue).ownRates.isEmpty)
  }
}

extension Fixture {
  /// The manager on the fixture terminal, as an audit row names them.
  static let actorAudit = AuditActor(staff: StaffFixture.manager, terminal: StaffFixture.terminal)
}
