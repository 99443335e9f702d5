import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// Every refused request answers its documented status with a problem document and changes nothing.
@Suite("Bad input is refused with a problem and changes nothing")
struct BadInputTests {
  /// One bad request: who sends it, what, and what must come back.
  struct Case: Sendable, CustomTestStringConvertible {
    enum Sender: Sendable { case staff, otherStaff, admin, nobody, badToken }

    var name: String
    var sender: Sender = .staff
    var method = "POST"
    /// `{cart}` is replaced by the test cart's id.
    var path: String
    var body: [UInt8]?
    var headers: [(name: String, value: String)] = []
    var status: Int
    var kind: ProblemKind
    var field: String?

    var testDescription: String { name }
  }

  static func json(_ text: String) -> [UInt8] { Array(text.utf8) }
  static let key = [(name: "Idempotency-Key", value: "bad-input-key")]

  static let cases: [Case] = [
    Case(
      name: "malformed JSON", path: "/v1/carts/{cart}/increments", body: json(#"{"sku": "BI-A", "delta": "#),
      status: 400, kind: .malformedRequest),
    Case(
      name: "JSON that is not an object", path: "/v1/carts/{cart}/increments", body: json("[1, 2]"),
      status: 400, kind: .malformedRequest),
    Case(
      name: "wrong type: delta as a string", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": "one", "opId": "bad-1"}"#), status: 400, kind: .malformedRequest,
      field: "delta"),
    Case(
      name: "wrong type: delta as a fraction", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1.5, "opId": "bad-1"}"#), status: 400, kind: .malformedRequest,
      field: "delta"),
    Case(
      name: "wrong type: sku null", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": null, "delta": 1, "opId": "bad-1"}"#), status: 400, kind: .malformedRequest,
      field: "sku"),
    Case(
      name: "missing field: delta", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "opId": "bad-2"}"#), status: 400, kind: .malformedRequest, field: "delta"),
    Case(
      name: "missing field: cartId", path: "/v1/orders", body: json("{}"), headers: key, status: 400,
      kind: .malformedRequest, field: "cartId"),
    Case(
      name: "empty body", path: "/v1/carts/{cart}/increments", body: nil, status: 400, kind: .malformedRequest
    ),
    Case(
      name: "delta 0", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 0, "opId": "bad-3"}"#), status: 422, kind: .invalidField,
      field: "delta"),
    Case(
      name: "delta 10^12", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1000000000000, "opId": "bad-4"}"#), status: 422,
      kind: .invalidField, field: "delta"),
    Case(
      name: "delta Int.min", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": -9223372036854775808, "opId": "bad-4"}"#), status: 422,
      kind: .invalidField, field: "delta"),
    Case(
      name: "stock adjustment of Int.min", sender: .admin, path: "/v1/products/BI-A/stock-adjustments",
      body: json(#"{"delta": -9223372036854775808, "reason": "x"}"#), status: 422, kind: .invalidField,
      field: "delta"),
    Case(
      name: "delta 10^30 (beyond Int)", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1000000000000000000000000000000, "opId": "bad-4"}"#), status: 400,
      kind: .malformedRequest, field: "delta"),
    Case(
      name: "invalid opId", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1, "opId": "has space"}"#), status: 422, kind: .invalidField,
      field: "opId"),
    Case(
      name: "opId reused for another change", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 2, "opId": "fill-0"}"#), status: 422, kind: .operationReused,
      field: "opId"),
    Case(
      name: "quantity over the limit", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 10, "opId": "bad-5"}"#), status: 422, kind: .quantityLimit),
    Case(
      name: "unknown SKU in an increment", path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "NOPE", "delta": 1, "opId": "bad-6"}"#), status: 404, kind: .notFound),
    Case(name: "unknown SKU", method: "GET", path: "/v1/products/NOPE", status: 404, kind: .notFound),
    Case(name: "unknown cart", method: "GET", path: "/v1/carts/no-such-cart", status: 404, kind: .notFound),
    Case(
      name: "increment on an unknown cart", path: "/v1/carts/no-such-cart/increments",
      body: json(#"{"sku": "BI-A", "delta": 1, "opId": "bad-7"}"#), status: 404, kind: .notFound),
    Case(
      name: "order of an unknown cart", path: "/v1/orders", body: json(#"{"cartId": "no-such-cart"}"#),
      headers: key, status: 404, kind: .notFound),
    Case(
      name: "someone else's cart: read", sender: .otherStaff, method: "GET", path: "/v1/carts/{cart}",
      status: 404, kind: .notFound),
    Case(
      name: "someone else's cart: increment", sender: .otherStaff, path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1, "opId": "bad-8"}"#), status: 404, kind: .notFound),
    Case(
      name: "someone else's cart: order", sender: .otherStaff, path: "/v1/orders",
      body: json(#"{"cartId": "{cart}"}"#), headers: key, status: 404, kind: .notFound),
    Case(
      name: "missing Idempotency-Key", path: "/v1/orders", body: json(#"{"cartId": "{cart}"}"#), status: 400,
      kind: .missingHeader),
    Case(
      name: "malformed Idempotency-Key", path: "/v1/orders", body: json(#"{"cartId": "{cart}"}"#),
      headers: [(name: "Idempotency-Key", value: "has space")], status: 400, kind: .missingHeader),
    Case(
      name: "Idempotency-Key of 256 characters", path: "/v1/orders", body: json(#"{"cartId": "{cart}"}"#),
      headers: [(name: "Idempotency-Key", value: String(repeating: "k", count: 256))], status: 400,
      kind: .missingHeader),
    Case(
      name: "body of 1 MiB", path: "/v1/carts/{cart}/increments",
      body: json(
        #"{"sku": "BI-A", "delta": 1, "opId": "big", "pad": ""# + String(repeating: "x", count: 1 << 20)
          + #""}"#),
      status: 413, kind: .payloadTooLarge),
    Case(
      name: "body of 1 MiB on orders", path: "/v1/orders", body: Array(repeating: 0x20, count: 1 << 20),
      headers: key, status: 413, kind: .payloadTooLarge),
    Case(
      name: "no token", sender: .nobody, method: "GET", path: "/v1/carts/{cart}", status: 401,
      kind: .unauthorized),
    Case(
      name: "no token on an increment", sender: .nobody, path: "/v1/carts/{cart}/increments",
      body: json(#"{"sku": "BI-A", "delta": 1, "opId": "bad-9"}"#), status: 401, kind: .unauthorized),
    Case(
      name: "unknown token", sender: .badToken, method: "GET", path: "/v1/products", status: 401,
      kind: .unauthorized),
    Case(
      name: "staff on an admin route", path: "/v1/products/BI-A/stock-adjustments",
      body: json(#"{"delta": 5, "reason": "restock"}"#), status: 403, kind: .forbidden),
    Case(
      name: "stock adjustment below 0", sender: .admin, path: "/v1/products/BI-A/stock-adjustments",
      body: json(#"{"delta": -21, "reason": "write-off"}"#), status: 422, kind: .stockBelowZero),
    Case(
      name: "stock adjustment of 0", sender: .admin, path: "/v1/products/BI-A/stock-adjustments",
      body: json(#"{"delta": 0, "reason": "nothing"}"#), status: 422, kind: .invalidField, field: "delta"),
    Case(
      name: "stock adjustment reason too long", sender: .admin, path: "/v1/products/BI-A/stock-adjustments",
      body: json(#"{"delta": 1, "reason": ""# + String(repeating: "r", count: 201) + #""}"#), status: 422,
      kind: .invalidField, field: "reason"),
    Case(
      name: "stock adjustment of an unknown product", sender: .admin,
      path: "/v1/products/NOPE/stock-adjustments",
      body: json(#"{"delta": 1, "reason": "restock"}"#), status: 404, kind: .notFound),
    Case(
      name: "limit 0", method: "GET", path: "/v1/products?limit=0", status: 422, kind: .invalidField,
      field: "limit"),
    Case(
      name: "limit 501", method: "GET", path: "/v1/orders?limit=501", status: 422, kind: .invalidField,
      field: "limit"),
    Case(
      name: "limit not a number", method: "GET", path: "/v1/products?limit=ten", status: 422,
      kind: .invalidField, field: "limit"),
    Case(
      name: "unknown order status", method: "GET", path: "/v1/orders?status=lost", status: 422,
      kind: .invalidField, field: "status"),
    Case(
      name: "unknown order", method: "GET", path: "/v1/orders/no-such-order", status: 404, kind: .notFound),
    Case(name: "unknown route", method: "GET", path: "/v1/nothing-here", status: 404, kind: .notFound),
    Case(
      name: "unknown route without a token", sender: .nobody, method: "GET", path: "/nothing", status: 404,
      kind: .notFound),
    Case(
      name: "wrong method without a token", sender: .nobody, method: "PUT", path: "/v1/orders", status: 405,
      kind: .methodNotAllowed),
    Case(
      name: "wrong method", method: "DELETE", path: "/v1/carts/{cart}", status: 405, kind: .methodNotAllowed),
    Case(
      name: "wrong method on health", method: "POST", path: "/v1/health", body: json("{}"), status: 405,
      kind: .methodNotAllowed),
  ]

  // One case at a time: 94 servers at once (both engines) starved the SQLite servers' write queues on
  // two cores until clients timed out; one at a time they finish in seconds.
  @Test(
    "answers the documented status, problem JSON, state unchanged", .serialized,
    arguments: StoreEngine.allCases, cases)
  func refused(engine: StoreEngine, _ badCase: Case) async throws {
    try await withServer(
      engine, products: [Fixtures.product("BI-A", stock: 20), Fixtures.product("BI-B", stock: 7)]
    ) {
      harness in
      let staff = harness.client()
      let cart = try await staff.createCart()
      // Fill the line to 9 990 so one more +10 crosses the 9 999 limit.
      for step in 0..<10 {
        _ = try await staff.increment(cart: cart.id, sku: "BI-A", delta: 999, opId: "fill-\(step)")
          .decoded(Cart.self)
      }
      let snapshot = try await Snapshot(
        staff, other: harness.client(as: .otherTerminal), cart: cart.id)

      let sender: APITestClient =
        switch badCase.sender {
        case .staff: staff
        case .otherStaff: harness.client(as: .otherTerminal)
        case .admin: harness.client(token: ServerHarness.adminToken)
        case .nobody: harness.client(token: nil)
        case .badToken: harness.client(token: "not-a-configured-token")
        }
      let path = badCase.path.replacingOccurrences(of: "{cart}", with: cart.id)
      let body = badCase.body.map { bytes in
        Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "{cart}", with: cart.id).utf8)
      }
      let response = try await sender.send(badCase.method, path, body: body, headers: badCase.headers)

      #expect(response.status == badCase.status, "\(response.text)")
      #expect(response.header("Content-Type") == Problem.mediaType)
      let problem = try #require(response.problem, "\(response.text)")
      #expect(problem.status == badCase.status)
      #expect(problem.kind == badCase.kind)
      if let field = badCase.field { #expect(problem.field == field) }
      #expect(problem.detail?.isEmpty == false)

      let after = try await Snapshot(
        staff, other: harness.client(as: .otherTerminal), cart: cart.id)
      #expect(after == snapshot)
    }
  }

  /// What a refused request must not change: every product's stock, the cart, and both tokens' orders.
  struct Snapshot: Equatable {
    var stock: [String: Int]
    var cart: Cart
    var orders: [Order]
    var otherOrders: [Order]

    init(_ client: APITestClient, other: APITestClient, cart: String) async throws {
      stock = try await Fixtures.stock(client)
      self.cart = try await client.get("/v1/carts/\(cart)").decoded(Cart.self)
      orders = try await Fixtures.orders(client)
      otherOrders = try await Fixtures.orders(other)
    }
  }
}
