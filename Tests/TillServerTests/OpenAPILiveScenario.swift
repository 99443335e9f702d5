import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// A request and its answer, as the checker validates it: `path` is the documented template.
struct Exchange: Encodable, Sendable {
  var method: String
  var path: String
  var status: Int
  var contentType: String
  var body: String
}

struct ExchangeRecorder {
  var exchanges: [Exchange] = []

  /// Records `response` as an answer of `method path` (the template) after checking its status.
  mutating func record(
    _ method: String, _ path: String, _ response: HTTPResponse, expecting status: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    #expect(
      response.status == status, "\(method) \(path): \(response.text.prefix(300))",
      sourceLocation: sourceLocation)
    exchanges.append(
      Exchange(
        method: method, path: path, status: response.status,
        contentType: response.header("Content-Type") ?? "", body: response.text))
  }
}

/// Drives every route through its documented answers against a server with a sandbox card provider.
struct LiveScenario {
  let harness: ServerHarness
  let sandbox: SandboxHarness

  func run(recording recorder: inout ExchangeRecorder) async throws {
    let staff = harness.client()
    let other = harness.client(as: .otherTerminal)
    let admin = harness.client(token: ServerHarness.adminToken)
    let nobody = harness.client(token: nil)
    func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    try await recorder.record("GET", "/v1/health", try await nobody.get("/v1/health"), expecting: 200)
    try await recorder.record("GET", "/openapi.yaml", try await nobody.get("/openapi.yaml"), expecting: 200)

    // Catalogue.
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?limit=2"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?q=tea&category=Test"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?limit=0"), expecting: 422)
    try await recorder.record("GET", "/v1/products", try await nobody.get("/v1/products"), expecting: 401)
    try await recorder.record(
      "GET", "/v1/products/{sku}", try await staff.get("/v1/products/TEA"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products/{sku}", try await staff.get("/v1/products/NOPE"), expecting: 404)
    try await recorder.record("GET", "/v1/categories", try await staff.get("/v1/categories"), expecting: 200)

    let adjust = "/v1/products/{sku}/stock-adjustments"
    let adjustTea = "/v1/products/TEA/stock-adjustments"
    try await recorder.record(
      "POST", adjust, try await staff.send("POST", adjustTea, body: json(#"{"delta":5,"reason":"x"}"#)),
      expecting: 403)
    try await recorder.record(
      "POST", adjust,
      try await admin.send("POST", adjustTea, body: json(#"{"delta":5,"reason":"delivery"}"#)),
      expecting: 200)
    try await recorder.record(
      "POST", adjust,
      try await admin.send("POST", adjustTea, body: json(#"{"delta":-1000000,"reason":"loss"}"#)),
      expecting: 422)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: json(#"{"delta":0,"reason":"x"}"#)),
      expecting: 422)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: json("{")), expecting: 400)
    try await recorder.record(
      "POST", adjust,
      try await admin.send(
        "POST", "/v1/products/NOPE/stock-adjustments", body: json(#"{"delta":1,"reason":"x"}"#)),
      expecting: 404)
    let huge = json(#"{"delta":1,"reason":""# + String(repeating: "x", count: 70_000) + #""}"#)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: huge), expecting: 413)

    // Carts.
    try await recorder.record(
      "POST", "/v1/carts", try await staff.send("POST", "/v1/carts", body: nil), expecting: 201)
    let cart = try await staff.createCart()
    try await recorder.record(
      "GET", "/v1/carts/{id}", try await staff.get("/v1/carts/\(cart.id)"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/carts/{id}", try await other.get("/v1/carts/\(cart.id)"), expecting: 404)
    let increments = "/v1/carts/{id}/increments"
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 1), expecting: 200)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "BUN", delta: 2), expecting: 200)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 0), expecting: 422)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "NOPE", delta: 1), expecting: 404)
    try await recorder.record(
      "POST", increments,
      try await staff.send("POST", "/v1/carts/\(cart.id)/increments", body: json(#"{"sku":1}"#)),
      expecting: 400)

    // Orders.
    let orders = "/v1/orders"
    try await recorder.record(
      "POST", orders, try await staff.post(orders, json: PlaceOrderRequest(cartId: cart.id)), expecting: 400)
    let empty = try await staff.createCart()
    try await recorder.record("POST", orders, try await staff.placeOrder(cart: empty.id), expecting: 422)
    let short = try await staff.createCart()
    _ = try await staff.increment(cart: short.id, sku: "OA-SCARCE", delta: 2).decoded(Cart.self)
    try await recorder.record("POST", orders, try await staff.placeOrder(cart: short.id), expecting: 409)
    try await recorder.record(
      "POST", orders, try await staff.placeOrder(cart: cart.id, key: "oa-1"), expecting: 201)
    try await recorder.record(
      "POST", orders, try await staff.placeOrder(cart: cart.id, key: "oa-1"), expecting: 201)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 1), expecting: 409)
    let order = try await staff.placeOrder(cart: cart.id, key: "oa-1").decoded(Order.self, expecting: 201)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders?limit=5"), expecting: 200)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders?status=bogus"), expecting: 422)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await staff.get("/v1/orders/\(order.id)"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await other.get("/v1/orders/\(order.id)"), expecting: 404)

    // Cash: short, paid, paid again; a paid order cannot be canceled.
    let payments = "/v1/orders/{id}/payments"
    let cancel = "/v1/orders/{id}/cancel"
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1))), expecting: 422
    )
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 201)
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 200)
    try await recorder.record("POST", payments, try await staff.pay(order.id, raw: "[]"), expecting: 400)
    try await recorder.record("POST", cancel, try await staff.cancel(order.id), expecting: 409)
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, raw: #"{"method":"cheque"}"#), expecting: 422)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await staff.get("/v1/orders/\(order.id)"), expecting: 200)

    // Card: charged; declined (402); unknown outcome (202), which blocks cash and cancel (409).
    let charged = try await staff.placedOrder()
    try await recorder.record("POST", payments, try await staff.pay(charged.id, .card), expecting: 201)
    let declined = try await staff.placedOrder()
    try await sandbox.arm(Fault(mode: .decline, count: 1, reason: "insufficient_funds"))
    try await recorder.record("POST", payments, try await staff.pay(declined.id, .card), expecting: 402)
    try await recorder.record("POST", cancel, try await staff.cancel(declined.id), expecting: 200)
    try await recorder.record("POST", payments, try await staff.pay(declined.id, .card), expecting: 409)
    let pending = try await staff.placedOrder()
    try await sandbox.arm(Fault(mode: .processing, count: 2))
    try await recorder.record("POST", payments, try await staff.pay(pending.id, .card), expecting: 202)
    try await recorder.record(
      "POST", payments, try await staff.pay(pending.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 409)
    try await recorder.record("POST", cancel, try await staff.cancel(pending.id), expecting: 409)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders"), expecting: 200)
    try await recorder.record("POST", cancel, try await other.cancel(pending.id), expecting: 404)
  }
}
