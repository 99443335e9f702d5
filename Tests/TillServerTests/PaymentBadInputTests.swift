import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// Every refused payment request: the documented status and problem, nothing charged, the order unchanged.
@Suite("Payment bad input")
struct PaymentBadInputTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    var status: Int
    var kind: ProblemKind
    var field: String?
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "unknown method", body: #"{"method": "bitcoin"}"#, status: 422, kind: .invalidField,
      field: "method"),
    Case(
      name: "method missing", body: #"{"tendered": {"amount": 500, "currency": "EUR"}}"#, status: 400,
      kind: .malformedRequest, field: "method"),
    Case(
      name: "method not a string", body: #"{"method": 1}"#, status: 400, kind: .malformedRequest,
      field: "method"),
    Case(
      name: "cash without tender", body: #"{"method": "cash"}"#, status: 422, kind: .invalidField,
      field: "tendered"),
    Case(
      name: "negative tender", body: #"{"method": "cash", "tendered": {"amount": -1, "currency": "EUR"}}"#,
      status: 422, kind: .invalidField, field: "tendered.amount"),
    Case(
      name: "huge tender",
      body: #"{"method": "cash", "tendered": {"amount": 100000000001, "currency": "EUR"}}"#,
      status: 422, kind: .invalidField, field: "tendered.amount"),
    Case(
      name: "fractional tender", body: #"{"method": "cash", "tendered": {"amount": 4.5, "currency": "EUR"}}"#,
      status: 400, kind: .malformedRequest, field: "tendered.amount"),
    Case(
      name: "wrong currency", body: #"{"method": "cash", "tendered": {"amount": 5000, "currency": "USD"}}"#,
      status: 422, kind: .currencyMismatch, field: "tendered.currency"),
    Case(
      name: "tender below total",
      body: #"{"method": "cash", "tendered": {"amount": 439, "currency": "EUR"}}"#,
      status: 422, kind: .insufficientTender, field: "tendered"),
    Case(
      name: "card with tender", body: #"{"method": "card", "tendered": {"amount": 500, "currency": "EUR"}}"#,
      status: 422, kind: .invalidField, field: "tendered"),
    Case(name: "not JSON", body: "method=card", status: 400, kind: .malformedRequest, field: nil),
    Case(name: "empty body", body: "", status: 400, kind: .malformedRequest, field: nil),
  ]

  @Test(
    "refused with the documented problem; nothing charged; order unchanged", arguments: StoreEngine.allCases,
    cases)
  func refused(engine: StoreEngine, _ testCase: Case) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      let response = try await client.pay(order.id, raw: testCase.body)
      #expect(response.status == testCase.status, "\(response.text)")
      #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true)
      let problem = try #require(response.problem)
      #expect(problem.kind == testCase.kind)
      #expect(problem.status == testCase.status)
      if let field = testCase.field { #expect(problem.field == field) }
      #expect(try await sandbox.payments().isEmpty)
      #expect(try await client.order(order.id) == order)
    }
  }

  @Test(
    "someone else's order and an unknown order are 404 for cash and card; nothing charged",
    arguments: StoreEngine.allCases)
  func notYours(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let order = try await harness.client().placedOrder()
      let other = harness.client(as: .otherTerminal)
      for id in [order.id, "no-such-order", String(repeating: "x", count: 65)] {
        for request in [PaymentRequest.card, .cash(tendered: PaymentFixtures.eur(1000))] {
          let response = try await other.pay(id, request)
          #expect(response.status == 404 && response.problem?.kind == .notFound, "\(id) \(request.method)")
        }
      }
      #expect(try await sandbox.payments().isEmpty)
      #expect(try await harness.client().order(order.id) == order)
    }
  }

  @Test(
    "a canceled order is 409 order-not-payable for cash and card; nothing charged",
    arguments: StoreEngine.allCases)
  func canceledOrder(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      let canceled = try await client.cancel(order.id).decoded(Order.self)
      for request in [PaymentRequest.card, .cash(tendered: PaymentFixtures.eur(1000))] {
        let response = try await client.pay(order.id, request)
        #expect(response.status == 409 && response.problem?.kind == .orderNotPayable)
      }
      #expect(try await sandbox.payments().isEmpty)
      #expect(try await client.order(order.id) == canceled)
    }
  }

  @Test(
    "card without a provider is 503 card-payments-not-configured; cash still works",
    arguments: StoreEngine.allCases)
  func cardNotConfigured(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, card: false) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      let response = try await client.pay(order.id, .card)
      #expect(response.status == 503)
      #expect(response.problem?.kind == .cardPaymentsNotConfigured)
      #expect(response.problem?.detail?.lowercased().contains("card payments are not configured") == true)
      #expect(try await client.order(order.id) == order)
      #expect(try await sandbox.payments().isEmpty)

      let cash = try await client.pay(order.id, .cash(tendered: PaymentFixtures.total))
        .decoded(Payment.self, expecting: 201)
      #expect(cash.change == PaymentFixtures.eur(0))
      // A paid order answers its payment even to card, without a provider.
      #expect(try await client.pay(order.id, .card).decoded(Payment.self, expecting: 200) == cash)
    }
  }
}
