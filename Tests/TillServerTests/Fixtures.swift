import Foundation
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// Products with known stock, so every count in a test can be checked exactly.
enum Fixtures {
  static func product(_ sku: String, stock: Int, price: Int = 250, category: String = "Test") -> Product {
    Product(
      sku: sku, name: "Product \(sku)", category: category, price: Money(amount: price, currency: "EUR"),
      stock: stock, barcode: "BC-\(sku)")
  }

  /// The whole catalogue as a map of SKU to stock, read through the API.
  static func stock(_ client: APITestClient) async throws -> [String: Int] {
    let page = try await client.get("/v1/products?limit=500").decoded(Page<Product>.self)
    return Dictionary(uniqueKeysWithValues: page.items.map { ($0.sku, $0.stock) })
  }

  /// Every order of the client's token (all pages).
  static func orders(_ client: APITestClient) async throws -> [Order] {
    var orders: [Order] = []
    var after: String?
    repeat {
      let path = "/v1/orders?limit=500" + (after.map { "&after=\($0)" } ?? "")
      let page = try await client.get(path).decoded(Page<Order>.self)
      orders += page.items
      after = page.next
    } while after != nil
    return orders
  }
}

/// Runs `body` against a fresh server on a fresh store of `engine` (with `attemptPolicy` and
/// `sessionIdle` for its staff sessions) and always stops it, even when the body throws.
func withServer<Result>(
  _ engine: StoreEngine = .sqlite, products: [Product], attemptPolicy: AttemptPolicy = .init(),
  sessionIdle: Duration = .seconds(12 * 3600), _ body: (ServerHarness) async throws -> Result
) async throws -> Result {
  try await using(
    try await ServerHarness.start(
      engine, products: products, attemptPolicy: attemptPolicy, sessionIdle: sessionIdle), body)
}

/// Runs `body` with `harness`, then stops it, even when the body throws.
func using<Result>(_ harness: ServerHarness, _ body: (ServerHarness) async throws -> Result) async throws
  -> Result
{
  do {
    let result = try await body(harness)
    await harness.stop()
    return result
  } catch {
    await harness.stop()
    throw error
  }
}
