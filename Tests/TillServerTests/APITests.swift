import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// The happy paths of the API: shapes, statuses and headers the clients rely on.
@Suite("API over HTTP")
struct APITests {
  static let products = [
    Fixtures.product("AP-1", stock: 5, category: "Bakery"),
    Fixtures.product("AP-2", stock: 6, category: "Bakery"),
    Fixtures.product("AP-3", stock: 7, category: "Coffee"),
  ]

  @Test("health needs no token and names the engine", arguments: StoreEngine.allCases)
  func health(engine: StoreEngine) async throws {
    try await withServer(engine, products: Self.products) { harness in
      let response = try await harness.client(token: nil).get("/v1/health")
      #expect(try response.decoded(Health.self) == Health(status: "ok", engine: engine.rawValue))
      #expect(response.header("Content-Type") == "application/json")
    }
  }

  @Test("products page with a cursor; categories answer next: null", arguments: StoreEngine.allCases)
  func catalogue(engine: StoreEngine) async throws {
    try await withServer(engine, products: Self.products) { harness in
      let client = harness.client()
      let first = try await client.get("/v1/products?limit=2").decoded(Page<Product>.self)
      #expect(first.items.map(\.sku) == ["AP-1", "AP-2"])
      let cursor = try #require(first.next)
      let second = try await client.get("/v1/products?limit=2&after=\(cursor)").decoded(Page<Product>.self)
      #expect(second.items.map(\.sku) == ["AP-3"])
      #expect(second.next == nil)
      let coffee = try await client.get("/v1/products?category=Coffee").decoded(Page<Product>.self)
      #expect(coffee.items.map(\.sku) == ["AP-3"])
      let one = try await client.get("/v1/products/AP-2").decoded(Product.self)
      #expect(one == Self.products[1])

      let categories = try await client.get("/v1/categories")
      #expect(categories.text.contains(#""next":null"#))
      let list = try categories.decoded(CategoryList.self)
      #expect(Set(list.items) == [Category(name: "Bakery", count: 2), Category(name: "Coffee", count: 1)])
    }
  }

  @Test(
    "cart, increments to zero and order: statuses, Location and captured prices",
    arguments: StoreEngine.allCases)
  func cartAndOrder(engine: StoreEngine) async throws {
    try await withServer(engine, products: Self.products) { harness in
      let client = harness.client()
      let created = try await client.post("/v1/carts", json: [String: String]())
      #expect(created.status == 201)
      let cart = try created.decoded(Cart.self, expecting: 201)
      #expect(created.header("Location") == "/v1/carts/\(cart.id)")
      #expect(cart.status == .open && cart.lines.isEmpty)

      _ = try await client.increment(cart: cart.id, sku: "AP-1", delta: 2).decoded(Cart.self)
      _ = try await client.increment(cart: cart.id, sku: "AP-3", delta: 1).decoded(Cart.self)
      let removed = try await client.increment(cart: cart.id, sku: "AP-3", delta: -5).decoded(Cart.self)
      #expect(removed.lines.map(\.sku) == ["AP-1"])
      #expect(removed.total == Money(amount: 500, currency: "EUR"))

      let placed = try await client.placeOrder(cart: cart.id, key: "order-key-1")
      let order = try placed.decoded(Order.self, expecting: 201)
      #expect(placed.header("Location") == "/v1/orders/\(order.id)")
      #expect(placed.header("Idempotent-Replayed") == nil)
      #expect(order.status == .placed && order.total == Money(amount: 500, currency: "EUR"))
      #expect(try await client.get("/v1/orders/\(order.id)").decoded(Order.self) == order)
      #expect(try await client.get("/v1/orders?status=placed").decoded(Page<Order>.self).items == [order])
      #expect(try await client.get("/v1/orders?status=paid").decoded(Page<Order>.self).items.isEmpty)

      // The cart is closed now: another increment is a conflict, and changes nothing.
      let late = try await client.increment(cart: cart.id, sku: "AP-1", delta: 1)
      #expect(late.status == 409 && late.problem?.kind == .cartClosed)
      // The same key with another cart is a reuse of the key.
      let other = try await client.createCart()
      _ = try await client.increment(cart: other.id, sku: "AP-2", delta: 1).decoded(Cart.self)
      let reused = try await client.placeOrder(cart: other.id, key: "order-key-1")
      #expect(reused.status == 422 && reused.problem?.kind == .idempotencyKeyReused)
      // An empty cart cannot be ordered.
      let empty = try await client.createCart()
      let refused = try await client.placeOrder(cart: empty.id)
      #expect(refused.status == 422 && refused.problem?.kind == .emptyCart)
      // Another terminal's people cannot see the order.
      let stranger = harness.client(as: .otherTerminal)
      #expect(try await stranger.get("/v1/orders/\(order.id)").status == 404)
      #expect(try await Fixtures.orders(stranger).isEmpty)
    }
  }

  @Test("the admin adjusts stock but cannot sell", arguments: StoreEngine.allCases)
  func stockAdjustment(engine: StoreEngine) async throws {
    try await withServer(engine, products: Self.products) { harness in
      let admin = harness.client(token: ServerHarness.adminToken)
      let restocked = try await admin.post(
        "/v1/products/AP-1/stock-adjustments", json: StockAdjustmentRequest(delta: 10, reason: "delivery"))
      #expect(try restocked.decoded(Product.self).stock == 15)
      let written = try await admin.post(
        "/v1/products/AP-1/stock-adjustments",
        json: StockAdjustmentRequest(delta: -15, reason: "Bruch — broken"))
      #expect(try written.decoded(Product.self).stock == 0)
      let refused = try await admin.post("/v1/carts", json: [String: String]())
      #expect(refused.status == 403)
      #expect(refused.problem?.kind == .signInRequired)
    }
  }
}
