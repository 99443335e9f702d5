import Foundation
import Logging
import TillCore
import TillHTTP
import TillServer
import TillStore
import TillTestSupport

/// A catalogue with two tax rates (by category) and a shop with a full receipt header, for the discount,
/// tax-rate and receipt tests.
enum VATFixtures {
  /// Drinks at 19 %, bakery at 7 %; each category's rate is taken from its products when seeded.
  static let products = [
    Product(
      sku: "TEA", name: "Green Tea", category: "Drinks", price: PaymentFixtures.eur(250), stock: 500,
      barcode: "BC-TEA", taxRate: 1900),
    Product(
      sku: "BUN", name: "Sesame Bun", category: "Bakery", price: PaymentFixtures.eur(120), stock: 500,
      barcode: "BC-BUN", taxRate: 700),
    Product(
      sku: "CAKE", name: "Cheesecake", category: "Bakery", price: PaymentFixtures.eur(1000), stock: 500,
      barcode: "BC-CAKE", taxRate: 700),
  ]

  static let shop = ShopDetails(
    name: "Corner Bakery", addressLines: ["Hauptstrasse 1", "10115 Berlin"], vatId: "DE123456789")

  /// The audit rows of `action`, newest first.
  static func audit(_ harness: ServerHarness, action: AuditAction) async throws -> [AuditEntry] {
    try await StaffFixtures.audit(harness).filter { $0.action == action.rawValue }
  }
}

/// Runs `body` against a fresh back end on `engine` with `VATFixtures`' catalogue and shop (and the card
/// sandbox when `card`), and always stops it. `opensRegisters: false` leaves both terminals' registers
/// closed, for tests of the register itself.
func withVATServer<Result>(
  _ engine: StoreEngine = .sqlite, cashierDiscountLimit: Int = Limits.defaultCashierDiscountLimit,
  card: Bool = false, opensRegisters: Bool = true, _ body: (ServerHarness) async throws -> Result
) async throws -> Result {
  let sandbox = card ? try await SandboxHarness.start() : nil
  let harness: ServerHarness
  do {
    harness = try await ServerHarness.start(
      engine, products: VATFixtures.products, paymentProvider: sandbox.map { ServerHarness.provider($0) },
      shop: VATFixtures.shop, cashierDiscountLimit: cashierDiscountLimit, opensRegisters: opensRegisters)
  } catch {
    await sandbox?.stop()
    throw error
  }
  do {
    let result = try await body(harness)
    await harness.stop()
    await sandbox?.stop()
    return result
  } catch {
    await harness.stop()
    await sandbox?.stop()
    throw error
  }
}

extension APITestClient {
  /// `POST /v1/carts/{id}/discounts`.
  func discount(_ cartId: String, _ request: DiscountRequest) async throws -> HTTPResponse {
    try await post("/v1/carts/\(cartId)/discounts", json: request)
  }

  /// `POST /v1/carts/{id}/discounts` with a raw body.
  func discount(_ cartId: String, raw: String) async throws -> HTTPResponse {
    try await send("POST", "/v1/carts/\(cartId)/discounts", body: Array(raw.utf8))
  }

  /// `GET /v1/carts/{id}`.
  func cart(_ cartId: String) async throws -> Cart {
    try await get("/v1/carts/\(cartId)").decoded(Cart.self)
  }

  /// An open cart holding `lines`.
  func cart(with lines: [(String, Int)]) async throws -> Cart {
    let cart = try await createCart()
    for (sku, quantity) in lines {
      _ = try await increment(cart: cart.id, sku: sku, delta: quantity).decoded(Cart.self)
    }
    return try await self.cart(cart.id)
  }

  /// `PUT` (a rate) or `DELETE` (nil) on a tax-rate path, with `body` sent raw when given.
  func taxRate(_ path: String, _ rate: Int?) async throws -> HTTPResponse {
    guard let rate else { return try await send("DELETE", path, body: nil) }
    return try await send("PUT", path, body: Array(#"{"taxRate": \#(rate)}"#.utf8))
  }

  /// `GET /v1/orders/{id}/receipt` with `query` (e.g. `format=escpos&copy=true`).
  func receipt(_ orderId: String, _ query: String = "") async throws -> HTTPResponse {
    try await get("/v1/orders/\(orderId)/receipt" + (query.isEmpty ? "" : "?" + query))
  }

  /// Places the cart's order and pays it in cash with `tendered` (the exact total when nil).
  func paidInCash(cartId: String, tendered: Int? = nil) async throws -> Order {
    let order = try await placeOrder(cart: cartId).decoded(Order.self, expecting: 201)
    let cash = PaymentRequest.cash(tendered: PaymentFixtures.eur(tendered ?? order.total.amount))
    _ = try await pay(order.id, cash).decoded(Payment.self, expecting: 201)
    return try await self.order(order.id)
  }
}
