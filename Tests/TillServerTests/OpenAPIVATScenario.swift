import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// Drives the discount, tax-rate and receipt routes through their documented answers, for the
/// description to validate.
struct VATScenario {
  let harness: ServerHarness

  func run(recording recorder: inout ExchangeRecorder) async throws {
    let cashier = harness.client()
    let admin = harness.client(as: .admin)

    let category = "/v1/categories/{name}/tax-rate"
    let product = "/v1/products/{sku}/tax-rate"
    try await recorder.record(
      "PUT", category, try await admin.taxRate("/v1/categories/Bakery/tax-rate", 700), expecting: 200)
    try await recorder.record(
      "PUT", category, try await admin.taxRate("/v1/categories/Nowhere/tax-rate", 700), expecting: 404)
    try await recorder.record(
      "PUT", category, try await cashier.taxRate("/v1/categories/Bakery/tax-rate", 700), expecting: 403)
    try await recorder.record(
      "PUT", product, try await admin.taxRate("/v1/products/CAKE/tax-rate", 1900), expecting: 200)
    try await recorder.record(
      "PUT", product, try await admin.taxRate("/v1/products/CAKE/tax-rate", 10_001), expecting: 422)
    try await recorder.record(
      "PUT", product, try await admin.send("PUT", "/v1/products/CAKE/tax-rate", body: Array("{}".utf8)),
      expecting: 400)
    try await recorder.record(
      "DELETE", product, try await admin.taxRate("/v1/products/CAKE/tax-rate", nil), expecting: 200)

    let discounts = "/v1/carts/{id}/discounts"
    let cart = try await cashier.cart(with: [("TEA", 2), ("BUN", 1)])
    let line = DiscountRequest(opId: "oa-line", sku: "TEA", percent: 10, amount: nil)
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, line), expecting: 200)
    let order = DiscountRequest(opId: "oa-order", sku: nil, percent: nil, amount: PaymentFixtures.eur(50))
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, order), expecting: 200)
    let big = DiscountRequest(opId: "oa-big", sku: nil, percent: 50, amount: nil)
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, big), expecting: 403)
    var reused = line
    reused.percent = 5
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, reused), expecting: 422)
    let missing = DiscountRequest(opId: "oa-missing", sku: "CAKE", percent: 5, amount: nil)
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, missing), expecting: 404)
    try await recorder.record(
      "POST", discounts, try await cashier.discount(cart.id, raw: #"{"opId": 1}"#), expecting: 400)

    let receipt = "/v1/orders/{id}/receipt"
    let placed = try await cashier.placeOrder(cart: cart.id).decoded(Order.self, expecting: 201)
    try await recorder.record("GET", receipt, try await cashier.receipt(placed.id), expecting: 409)
    let closed = DiscountRequest(opId: "oa-closed", sku: nil, percent: 5, amount: nil)
    try await recorder.record("POST", discounts, try await cashier.discount(cart.id, closed), expecting: 409)
    _ = try await cashier.pay(placed.id, .cash(tendered: placed.total)).decoded(Payment.self, expecting: 201)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await cashier.get("/v1/orders/\(placed.id)"), expecting: 200)
    try await recorder.record("GET", receipt, try await cashier.receipt(placed.id), expecting: 200)
    try await recorder.record(
      "GET", receipt, try await cashier.receipt(placed.id, "format=escpos&copy=true"), expecting: 200)
    try await recorder.record(
      "GET", receipt, try await cashier.receipt(placed.id, "width=50"), expecting: 422)
    try await recorder.record(
      "GET", receipt, try await harness.client(as: .otherTerminal).receipt(placed.id), expecting: 404)
  }
}
