import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// Drives the trading day's routes through their documented answers, for the description to validate.
struct RegisterScenario {
  let harness: ServerHarness

  func run(recording recorder: inout ExchangeRecorder) async throws {
    let cashier = harness.client()
    let manager = harness.client(as: .manager)
    let sessions = "/v1/register-sessions"
    let current = "/v1/register-sessions/current"
    let moves = "/v1/register-sessions/{id}/cash-moves"
    let close = "/v1/register-sessions/{id}/close"
    func float(_ cents: Int) -> OpenSessionRequest {
      OpenSessionRequest(openingFloat: PaymentFixtures.eur(cents))
    }

    try await recorder.record("GET", current, try await cashier.get(current), expecting: 409)
    let early = try await cashier.cart(with: [("TEA", 1)])
    try await recorder.record(
      "POST", "/v1/orders", try await cashier.placeOrder(cart: early.id), expecting: 409)
    let opened = try await cashier.post(sessions, json: float(100_00))
    try await recorder.record("POST", sessions, opened, expecting: 201)
    let session = try opened.decoded(RegisterSession.self, expecting: 201)
    try await recorder.record(
      "POST", sessions, try await manager.post(sessions, json: float(0)), expecting: 409)
    try await recorder.record(
      "POST", sessions, try await cashier.post(sessions, json: float(-1)), expecting: 422)

    let path = "/v1/register-sessions/\(session.id)"
    let payIn = CashMoveRequest(
      opId: "oa-in", kind: .payIn, amount: PaymentFixtures.eur(20_00), reason: "change")
    try await recorder.record(
      "POST", moves, try await cashier.post(path + "/cash-moves", json: payIn), expecting: 201)
    try await recorder.record(
      "POST", moves, try await cashier.post(path + "/cash-moves", json: payIn), expecting: 200)
    let payOut = CashMoveRequest(
      opId: "oa-out", kind: .payOut, amount: PaymentFixtures.eur(5_00), reason: "safe")
    try await recorder.record(
      "POST", moves, try await cashier.post(path + "/cash-moves", json: payOut), expecting: 403)
    try await recorder.record(
      "POST", moves,
      try await cashier.post(
        "/v1/register-sessions/nope/cash-moves",
        json: CashMoveRequest(opId: "oa-nope", kind: .noSale, reason: "drawer")),
      expecting: 404)
    let order = try await cashier.placedOrder([("TEA", 1)])
    try await recorder.record("GET", current, try await cashier.get(current), expecting: 200)
    try await recorder.record("GET", current, try await manager.get(current), expecting: 200)

    let key = [(name: "Idempotency-Key", value: "oa-close")]
    let count = CloseSessionRequest(countedCash: PaymentFixtures.eur(120_00))
    try await recorder.record(
      "POST", close, try await cashier.post(path + "/close", json: count, headers: key), expecting: 409)
    _ = try await cashier.pay(order.id, .cash(tendered: order.total)).decoded(Payment.self, expecting: 201)
    let closed = try await cashier.post(path + "/close", json: count, headers: key)
    try await recorder.record("POST", close, closed, expecting: 201)
    try await recorder.record(
      "POST", close, try await cashier.post(path + "/close", json: count, headers: key), expecting: 201)
    try await recorder.record(
      "POST", close,
      try await cashier.post(
        path + "/close", json: count, headers: [(name: "Idempotency-Key", value: "other")]),
      expecting: 409)
    try await recorder.record(
      "POST", moves, try await cashier.post(path + "/cash-moves", json: payIn), expecting: 200)

    let z = try closed.decoded(ZReport.self, expecting: 201)
    try await recorder.record("GET", "/v1/z-reports", try await manager.get("/v1/z-reports"), expecting: 200)
    try await recorder.record("GET", "/v1/z-reports", try await cashier.get("/v1/z-reports"), expecting: 403)
    try await recorder.record(
      "GET", "/v1/z-reports/{id}", try await manager.get("/v1/z-reports/\(z.id)"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/z-reports/{id}", try await manager.get("/v1/z-reports/nope"), expecting: 404)
  }
}
