import Foundation
import Logging
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillServer
import TillStore
import TillTestSupport

/// Helpers for the payment tests: a real back end wired to a real sandbox provider over loopback.
enum PaymentFixtures {
  /// Two products at known prices: an order of one `TEA` (320) and two `BUN` (60 each) totals 4.40 EUR.
  static let products = [
    Fixtures.product("TEA", stock: 100, price: 320), Fixtures.product("BUN", stock: 50, price: 60),
  ]
  static let lines = [("TEA", 1), ("BUN", 2)]
  static let total = Money(amount: 440, currency: "EUR")

  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
}

/// Runs `body` against a fresh sandbox and a fresh back end charging cards there (`card: false`: no
/// provider configured; `secretKey`: the key the back end sends, the sandbox's own by default;
/// `attemptPolicy`: how wrong PINs are counted), and always stops both.
func withPaymentServer<Result>(
  _ engine: StoreEngine = .sqlite, products: [Product] = PaymentFixtures.products, card: Bool = true,
  retryPolicy: PaymentCoordinator.RetryPolicy = .init(), recoveryInterval: Duration = .seconds(30),
  secretKey: String = SandboxHarness.secretKey, attemptPolicy: AttemptPolicy = .init(),
  logger: Logger = Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() }),
  _ body: (ServerHarness, SandboxHarness) async throws -> Result
) async throws -> Result {
  let sandbox = try await SandboxHarness.start()
  var provider = ServerHarness.provider(sandbox)
  provider.secretKey = secretKey
  let harness: ServerHarness
  do {
    harness = try await ServerHarness.start(
      engine, products: products, paymentProvider: card ? provider : nil,
      recoveryInterval: recoveryInterval, retryPolicy: retryPolicy, attemptPolicy: attemptPolicy,
      logger: logger)
  } catch {
    await sandbox.stop()
    throw error
  }
  do {
    let result = try await body(harness, sandbox)
    await harness.stop()
    await sandbox.stop()
    return result
  } catch {
    await harness.stop()
    await sandbox.stop()
    throw error
  }
}

extension APITestClient {
  /// A new cart with `lines`, checked out: the placed order.
  func placedOrder(_ lines: [(String, Int)] = PaymentFixtures.lines) async throws -> Order {
    let cart = try await createCart()
    for (sku, quantity) in lines {
      _ = try await increment(cart: cart.id, sku: sku, delta: quantity).decoded(Cart.self)
    }
    return try await placeOrder(cart: cart.id).decoded(Order.self, expecting: 201)
  }

  /// `POST /v1/orders/{id}/payments`.
  func pay(_ orderId: String, _ request: PaymentRequest) async throws -> HTTPResponse {
    try await post("/v1/orders/\(orderId)/payments", json: request)
  }

  /// `POST /v1/orders/{id}/payments` with a raw body.
  func pay(_ orderId: String, raw: String) async throws -> HTTPResponse {
    try await send("POST", "/v1/orders/\(orderId)/payments", body: Array(raw.utf8))
  }

  /// `POST /v1/orders/{id}/cancel`.
  func cancel(_ orderId: String) async throws -> HTTPResponse {
    try await send("POST", "/v1/orders/\(orderId)/cancel", body: nil)
  }

  func order(_ orderId: String) async throws -> Order {
    try await get("/v1/orders/\(orderId)").decoded(Order.self)
  }
}

extension SandboxHarness {
  /// The charges that moved money (declined attempts are recorded as `canceled`).
  func charges() async throws -> [PaymentObject] {
    try await payments().filter { $0.status == "succeeded" }
  }
}
