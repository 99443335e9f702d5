import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Demo and synthetic catalogues")
struct DemoCatalogueTests {
  @Test func demoCatalogueIsValid() throws {
    let products = try DemoCatalogue.load()
    #expect(products.count >= 150)
    #expect(Set(products.map(\.category)).count >= 6)
    #expect(Set(products.map(\.sku)).count == products.count)
    #expect(Set(products.map(\.barcode)).count == products.count)
    let invalid = products.filter { !EAN13.isValid($0.barcode) }.map(\.sku)
    #expect(invalid.isEmpty)
    #expect(products.filter { (1...3).contains($0.stock) }.count >= 5)
    #expect(products.allSatisfy { $0.stock >= 0 && $0.price.amount > 0 && $0.price.currency == "EUR" })
    #expect(products.contains { $0.name.unicodeScalars.contains { !$0.isASCII } })
    #expect(products.contains { $0.name == "Café crème" } && products.contains { $0.name == "Brötchen" })
  }

  @Test func ean13CheckDigits() {
    #expect(EAN13.isValid("4006381333931"))
    #expect(!EAN13.isValid("4006381333932"))
    #expect(!EAN13.isValid("400638133393"))
    #expect(!EAN13.isValid("40063813339３1"))
    #expect(EAN13.make(body: "400638133393") == "4006381333931")
  }

  @Test func syntheticCatalogueIsDeterministicAndUnique() {
    let products = DemoCatalogue.synthetic(count: 10_000)
    #expect(products.count == 10_000)
    #expect(products == DemoCatalogue.synthetic(count: 10_000))
    #expect(Set(products.map(\.sku)).count == products.count)
    #expect(Set(products.map(\.barcode)).count == products.count)
    #expect(products.allSatisfy { EAN13.isValid($0.barcode) && $0.price.amount > 0 && $0.stock > 0 })
    #expect(DemoCatalogue.synthetic(count: 3, currency: "SEK").allSatisfy { $0.price.currency == "SEK" })
  }

  @Test(arguments: StoreEngine.allCases)
  func demoCatalogueSeedsAndSearches(engine: StoreEngine) async throws {
    let products = try DemoCatalogue.load()
    try await withTestStore(engine, products: products) { store in
      let all = try await store.products(matching: ProductQuery(limit: Limits.maxPageSize))
      #expect(all.items.count == products.count)
      let bread = try await store.products(matching: ProductQuery(text: "BRÖTCHEN"))
      #expect(bread.items.contains { $0.name == "Brötchen" })
      let counts = try await store.categories().reduce(0) { $0 + $1.count }
      #expect(counts == products.count)
    }
  }
}
