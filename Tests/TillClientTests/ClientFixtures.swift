import Foundation
import TillClient
import TillCore
import TillTestSupport

/// Products with known stock, and helpers to run a test against a fresh real server.
enum ClientFixtures {
  static func product(_ sku: String, stock: Int, price: Int = 250, category: String = "Test") -> Product {
    Product(
      sku: sku, name: "Product \(sku)", category: category, price: Money(amount: price, currency: "EUR"),
      stock: stock, barcode: "BC-\(sku)")
  }

  static let products = [
    product("CL-1", stock: 10, category: "Bakery"), product("CL-2", stock: 3, category: "Bakery"),
    product("CL-3", stock: 50, price: 120, category: "Coffee"),
    product("CL-4", stock: 1000, category: "Coffee"),
  ]

  /// Short timeouts and pauses so failure tests stay fast; retries as in production.
  static let configuration = TillClient.Configuration(
    connectTimeout: .seconds(1), requestTimeout: .seconds(3),
    retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100)))

  static func client(
    _ harness: ServerHarness, token: String = ServerHarness.staffToken, baseURL: String? = nil
  ) -> TillClient {
    TillClient(baseURL: baseURL ?? harness.baseURL, token: token, configuration: configuration)
  }

  /// A client of the terminal of `token` with `person` signed in (the cashier by default): what selling
  /// needs.
  /// With `freshConnections`, every request goes on a connection of its own: libcurl then never resends
  /// a request by itself, so a lost answer shows as the client's own retry.
  static func cashier(
    _ harness: ServerHarness, token: String = ServerHarness.staffToken, baseURL: String? = nil,
    as person: ServerHarness.Person = ServerHarness.cashier, freshConnections: Bool = false
  ) async throws -> TillClient {
    var settings = configuration
    settings.reusesConnections = !freshConnections
    let client = TillClient(baseURL: baseURL ?? harness.baseURL, token: token, configuration: settings)
    _ = try await client.signIn(code: person.code, pin: person.pin)
    return client
  }

  /// Every order of the client's token, all pages.
  static func allOrders(_ client: TillClient) async throws -> [Order] {
    var orders: [Order] = []
    var after: String?
    repeat {
      let page = try await client.orders(limit: 2, after: after)
      orders += page.items
      after = page.next
    } while after != nil
    return orders
  }
}

/// Runs `body` against a fresh server and always stops it, even when the body throws.
func withClientServer<Result>(
  products: [Product] = ClientFixtures.products, _ body: (ServerHarness) async throws -> Result
) async throws -> Result {
  let harness = try await ServerHarness.start(products: products)
  do {
    let result = try await body(harness)
    await harness.stop()
    return result
  } catch {
    await harness.stop()
    throw error
  }
}
