import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// The admin's tax-rate routes: who may call them, the range of a rate, products following their
/// category unless they have a rate of their own, open carts priced with the rate now, placed orders
/// keeping theirs, and an audit row per change.
@Suite("Tax rates over HTTP", .serialized)
struct TaxRateRouteTests {
  static let categoryPath = "/v1/categories/Bakery/tax-rate"
  static let productPath = "/v1/products/CAKE/tax-rate"

  static func product(_ client: APITestClient, _ sku: String) async throws -> Product {
    try await client.get("/v1/products/\(sku)").decoded(Product.self)
  }

  @Test("only the admin token; everyone else is refused and nothing changes")
  func onlyAdmin() async throws {
    try await withVATServer { harness in
      let audit = try await StaffFixtures.audit(harness)
      for caller in [ServerHarness.Caller.terminal, .cashier, .manager, .otherTerminal] {
        let client = harness.client(as: caller)
        for (path, rate) in [(Self.categoryPath, 0), (Self.productPath, 0), (Self.productPath, nil)] {
          let answer = try await client.taxRate(path, rate)
          #expect(answer.status == 403 && answer.problem?.kind == .forbidden, "\(caller) \(path)")
        }
      }
      let nobody = try await harness.client(as: .nobody).taxRate(Self.categoryPath, 0)
      #expect(nobody.status == 401)
      #expect(try await Self.product(harness.client(), "CAKE").taxRate == 700)
      #expect(try await StaffFixtures.audit(harness) == audit)
    }
  }

  @Test("products follow their category unless they have their own rate", arguments: StoreEngine.allCases)
  func followCategory(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let admin = harness.client(as: .admin)
      let reader = harness.client()
      let categories = try await reader.get("/v1/categories").decoded(Page<TillCore.Category>.self).items
      #expect(categories.map(\.name) == ["Bakery", "Drinks"])
      #expect(categories.map(\.taxRate) == [700, 1900])

      let own = try await admin.taxRate(Self.productPath, 1900).decoded(Product.self)
      #expect(own.sku == "CAKE" && own.taxRate == 1900)
      let bakery = try await admin.taxRate(Self.categoryPath, 500).decoded(TillCore.Category.self)
      #expect(bakery.name == "Bakery" && bakery.taxRate == 500 && bakery.count == 2)
      #expect(try await Self.product(reader, "BUN").taxRate == 500)
      #expect(try await Self.product(reader, "CAKE").taxRate == 1900, "an own rate stays")
      #expect(try await Self.product(reader, "TEA").taxRate == 1900, "another category is untouched")

      let follows = try await admin.taxRate(Self.productPath, nil).decoded(Product.self)
      #expect(follows.taxRate == 500)
      let again = try await admin.taxRate(Self.categoryPath, 0).decoded(TillCore.Category.self)
      #expect(again.taxRate == 0)
      #expect(try await Self.product(reader, "CAKE").taxRate == 0)
      #expect(try await VATFixtures.audit(harness, action: .taxRate).count == 4)
    }
  }

  @Test(
    "an open cart is priced with the rate now; a placed order keeps its own", arguments: StoreEngine.allCases)
  func cartsAndOrders(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let placed = try await cashier.placedOrder([("BUN", 1)])
      let cart = try await cashier.cart(with: [("BUN", 1)])
      #expect(cart.lines.first?.taxRate == 700)
      _ = try await harness.client(as: .admin).taxRate(Self.categoryPath, 1900).decoded(
        TillCore.Category.self)
      let repriced = try await cashier.cart(cart.id)
      #expect(repriced.lines.first?.taxRate == 1900)
      #expect(repriced.taxes.map(\.rate) == [1900])
      #expect(try await cashier.order(placed.id) == placed)
    }
  }

  @Test("rates outside 0–10 000 and malformed bodies are refused; unknown names are 404")
  func badInput() async throws {
    try await withVATServer { harness in
      let admin = harness.client(as: .admin)
      for rate in [-1, 10_001, Int.min, Int.max] {
        for path in [Self.categoryPath, Self.productPath] {
          let answer = try await admin.taxRate(path, rate)
          #expect(answer.status == 422 && answer.problem?.field == "taxRate", "\(path) \(rate)")
        }
      }
      for body in ["", "{}", #"{"taxRate": "7"}"#, #"{"taxRate": 7.5}"#, "[700]"] {
        let answer = try await admin.send("PUT", Self.productPath, body: Array(body.utf8))
        #expect(answer.status == 400 && answer.problem?.kind == .malformedRequest, "\(body)")
      }
      for path in [
        "/v1/categories/Nowhere/tax-rate", "/v1/products/NOPE/tax-rate", "/v1/categories/%FF/tax-rate",
      ] {
        let answer = try await admin.taxRate(path, 700)
        #expect(answer.status == 404 && answer.problem?.kind == .notFound, "\(path)")
      }
      #expect(try await admin.taxRate("/v1/products/NOPE/tax-rate", nil).status == 404)
      let edge = try await admin.taxRate(Self.productPath, 10_000).decoded(Product.self)
      #expect(edge.taxRate == 10_000)
      #expect(try await VATFixtures.audit(harness, action: .taxRate).count == 1)
      #expect(try await Self.product(harness.client(), "BUN").taxRate == 700)
    }
  }
}
