import Foundation
import Testing
import TillClient
import TillCore
import TillTestSupport

/// Every SKU is the same SKU by path and by body: the client percent-encodes it into the path, the server
/// decodes it once, and a body names it as it is.
@Suite("SKUs with awkward characters round-trip by path and by body")
struct PathRoundTripTests {
  static let awkward = [
    "ÄÖ-1", "sp ace", "a/b", "a%2Fb", "100%", "q?x=1", "h#sh", "plus+sign", "emoji-😀", "dot.", "..",
    "semi;colon", "ünïcödé-Ω", "back\\slash", "quote\"s", "x",
    String(repeating: "é", count: 32),
  ]

  static let products = awkward.enumerated().map { index, sku in
    Product(
      sku: sku, name: "Awkward \(index)", category: "Odd", price: Money(amount: 100 + index, currency: "EUR"),
      stock: 10 + index, barcode: "AWK-\(index)")
  }

  @Test(
    "raw paths: percent-encoded SKUs are found, the literal and the encoded slash are different SKUs",
    arguments: StoreEngine.allCases)
  func rawPaths(engine: StoreEngine) async throws {
    let harness = try await ServerHarness.start(engine, products: Self.products)
    do {
      let client = harness.client()
      let umlaut = try await client.get("/v1/products/%C3%84%C3%96-1")
      #expect(umlaut.status == 200)
      #expect(try umlaut.decoded(Product.self).sku == "ÄÖ-1")
      #expect(try await client.get("/v1/products/sp%20ace").decoded(Product.self).sku == "sp ace")
      #expect(try await client.get("/v1/products/a%2Fb").decoded(Product.self).sku == "a/b")
      #expect(try await client.get("/v1/products/a%252Fb").decoded(Product.self).sku == "a%2Fb")
      #expect(try await client.get("/v1/products/a/b").status == 404, "a real slash is another path")
      #expect(try await client.get("/v1/products/100%").status == 404, "not valid percent-encoding")
      #expect(try await client.get("/v1/products/%FF%FE").status == 404, "not UTF-8")
      let long = String(repeating: "%C3%A9", count: 33)
      #expect(try await client.get("/v1/products/\(long)").status == 404, "longer than any SKU")
    } catch {
      Issue.record(error)
    }
    await harness.stop()
  }

  @Test("TillClient: read, adjust and sell every awkward SKU", arguments: StoreEngine.allCases)
  func throughTheClient(engine: StoreEngine) async throws {
    let harness = try await ServerHarness.start(engine, products: Self.products)
    do {
      let till = TillClient(baseURL: harness.baseURL, token: ServerHarness.staffToken)
      _ = try await till.signIn(code: ServerHarness.cashier.code, pin: ServerHarness.cashier.pin)
      let admin = TillClient(baseURL: harness.baseURL, token: ServerHarness.adminToken)
      let cart = try await till.createCart()
      for product in Self.products {
        let read = try await till.product(sku: product.sku)
        #expect(read.sku == product.sku, "by path: \(product.sku.debugDescription)")
        let adjusted = try await admin.adjustStock(sku: product.sku, delta: 5, reason: "recount")
        #expect(adjusted.stock == product.stock + 5, "adjusted by path: \(product.sku.debugDescription)")
        let changed = try await till.increment(cartId: cart.id, sku: product.sku, delta: 2)
        #expect(changed.lines.contains { $0.sku == product.sku && $0.quantity == 2 }, "by body")
      }
      let order = try await till.placeOrder(cartId: cart.id)
      #expect(Set(order.lines.map(\.sku)) == Set(Self.awkward))
      for product in Self.products {
        #expect(try await till.product(sku: product.sku).stock == product.stock + 5 - 2)
      }
      let found = try await till.products(ProductQuery(text: "ÄÖ-1", limit: 5)).items.map(\.sku)
      #expect(found.contains("ÄÖ-1"))
    } catch {
      Issue.record(error)
    }
    await harness.stop()
  }
}
