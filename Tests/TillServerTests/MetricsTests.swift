import Foundation
import NIOCore
import Testing
import TillCore
import TillHTTP
import TillTestSupport

@testable import TillServer

/// `GET /metrics` over HTTP: every scrape read by prometheus_client's text-format parser (from PyPI),
/// and the counters checked exactly against a known sequence of requests, as the difference between a
/// scrape before it and one after.
@Suite("Prometheus metrics")
struct MetricsTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  @Test(
    "a known sequence of requests moves every counter by exactly what it did", arguments: StoreEngine.allCases
  )
  func countsAKnownSequenceExactly(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, _ in
      let cashier = harness.client()
      let manager = harness.client(as: .manager)
      let before = try await Self.scrape(harness)

      let cart = try await cashier.createCart()
      _ = try await cashier.increment(cart: cart.id, sku: "TEA", delta: 1, opId: "op-1").decoded(Cart.self)
      _ = try await cashier.increment(cart: cart.id, sku: "BUN", delta: 2, opId: "op-2").decoded(Cart.self)
      _ = try await cashier.increment(cart: cart.id, sku: "TEA", delta: 1, opId: "op-1").decoded(Cart.self)
      let order = try await cashier.placeOrder(cart: cart.id, key: "k1").decoded(Order.self, expecting: 201)
      _ = try await cashier.placeOrder(cart: cart.id, key: "k1").decoded(Order.self, expecting: 201)
      _ = try await cashier.pay(order.id, .cash(tendered: Self.eur(500))).decoded(
        Payment.self, expecting: 201)
      _ = try await cashier.pay(order.id, .cash(tendered: Self.eur(500))).decoded(
        Payment.self, expecting: 200)
      let second = try await cashier.placedOrder([("TEA", 1)])
      _ = try await cashier.pay(second.id, .card).decoded(Payment.self, expecting: 201)
      let refund = RefundRequest(lines: [.init(sku: "BUN", quantity: 1, restock: true)], method: .cash)
      let refunded = try await manager.post(
        "/v1/orders/\(order.id)/refunds", json: refund, headers: [(name: "Idempotency-Key", value: "r1")])
      #expect(refunded.status == 201, "\(refunded.text)")
      let tooMany = RefundRequest(lines: [.init(sku: "BUN", quantity: 5, restock: true)], method: .cash)
      let refused = try await manager.post(
        "/v1/orders/\(order.id)/refunds", json: tooMany, headers: [(name: "Idempotency-Key", value: "r2")])
      #expect(refused.status == 409, "\(refused.text)")
      let wrongPIN = try await harness.client(as: .terminal).post(
        "/v1/sign-in", json: SignInRequest(code: ServerHarness.cashier.code, pin: "99999999"))
      #expect(wrongPIN.status == 401, "\(wrongPIN.text)")
      #expect(try await cashier.get("/no/such/route").status == 404)

      let after = try await Self.scrape(harness)
      func moved(_ name: String, _ labels: [String: String] = [:]) -> Double {
        after.value(name, labels) - before.value(name, labels)
      }
      #expect(moved("till_orders_placed_total") == 2, "two new orders; the replayed one is not new")
      #expect(
        moved("till_increments_total", ["result": "applied"]) == 3, "two lines, then the second order's")
      #expect(moved("till_increments_total", ["result": "replayed"]) == 1)
      #expect(moved("till_payments_total", ["method": "cash", "outcome": "succeeded"]) == 1)
      #expect(moved("till_payments_total", ["method": "cash", "outcome": "replayed"]) == 1)
      #expect(moved("till_payments_total", ["method": "card", "outcome": "succeeded"]) == 1)
      #expect(moved("till_refunds_total", ["method": "cash", "outcome": "succeeded"]) == 1)
      #expect(moved("till_problems_total", ["kind": "refund-exceeds-sold", "status": "409"]) == 1)
      #expect(moved("till_problems_total", ["kind": "sign-in-failed", "status": "401"]) == 1)
      #expect(moved("till_problems_total", ["kind": "not-found", "status": "404"]) == 1)
      #expect(moved("till_pin_refusals_total", ["purpose": "sign-in", "reason": "wrong"]) == 1)
      #expect(after.value("till_card_payments_pending") == 0 && after.value("till_card_refunds_pending") == 0)
      #expect(after.samples.contains { $0.name == "till_database_waits_total" })

      let increments = ["route": "/v1/carts/{id}/increments", "method": "POST"]
      // op-1, op-2, op-1 again, and the second order's one line.
      #expect(moved("till_http_requests_total", increments.merging(["status": "200"]) { $1 }) == 4)
      #expect(
        moved("till_http_requests_total", ["route": "/v1/orders", "method": "POST", "status": "201"]) == 3)
      #expect(
        moved(
          "till_http_requests_total",
          ["route": "/v1/orders/{id}/payments", "method": "POST", "status": "201"])
          == 2)
      #expect(
        moved("till_http_requests_total", ["route": "NotFound", "method": "GET", "status": "404"]) == 1,
        "a path no route matches is one series")
      // The latency histogram saw every request its counter saw, and the scrape before this one.
      #expect(moved("till_http_request_duration_seconds_count", increments) == 4)
      #expect(
        moved("till_http_request_duration_seconds_count", ["route": "/metrics", "method": "GET"]) == 1,
        "the first scrape, counted once answered")
    }
  }

  @Test("a metrics token, once configured, is needed; the other tokens are no key to it")
  func theMetricsTokenGuardsTheScrape() async throws {
    let token = "metrics-token-for-the-test-7d41c0"
    let harness = try await ServerHarness.start(
      .sqlite, products: PaymentFixtures.products, metricsToken: token)
    do {
      let anonymous = try await harness.client(as: .nobody).get("/metrics")
      #expect(anonymous.status == 401 && anonymous.problem?.kind == .unauthorized, "\(anonymous.text)")
      let admin = try await harness.client(as: .admin).get("/metrics")
      #expect(admin.status == 401, "the admin token is not the metrics token")
      let scraped = try await harness.client(token: token).get("/metrics")
      #expect(scraped.status == 200 && scraped.text.contains("till_http_requests_total"), "\(scraped.text)")
      #expect(
        scraped.headers.first { $0.key.lowercased() == "content-type" }?.value.hasPrefix("text/plain") == true
      )
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  @Test("without a token only a loopback peer is answered, whatever it sends")
  func loopbackOnlyWithoutAToken() throws {
    let access = MetricsAccess(token: nil)
    func answers(_ host: String) throws -> Bool {
      let peer = try SocketAddress(ipAddress: host, port: 40_000)
      do {
        try access.check(authorization: "Bearer \(ServerHarness.adminToken)", peer: peer)
        return true
      } catch {
        #expect(error.kind == .forbidden)
        return false
      }
    }
    for host in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
      let address = try SocketAddress(ipAddress: host, port: 1)
      #expect(try answers(host), "\(host): \(address)")
    }
    #expect(
      try !answers("192.168.1.20") && !answers("10.0.0.5") && !answers("fe80::1")
        && !answers("::ffff:10.0.0.5"))
  }

  /// A scrape, parsed by prometheus_client.
  static func scrape(_ harness: ServerHarness) async throws -> ParsedMetrics {
    let response = try await harness.client(as: .nobody).get("/metrics")
    guard response.status == 200 else {
      throw FuzzToolError("GET /metrics → \(response.status) \(response.text)")
    }
    return try await ParsedMetrics.parse(response.text)
  }
}
