import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// Every malformed or refused discount is a problem document with the right status, and changes
/// nothing: not the cart, not the audit trail.
@Suite("Discounts: bad input changes nothing", .serialized)
struct DiscountBadInputTests {
  /// A body, the status and problem it must get, and the field it must name (nil: none asserted).
  struct Case: Sendable, CustomStringConvertible {
    var body: String
    var status: Int
    var kind: ProblemKind
    var field: String?
    var description: String { body }
  }

  static let cases: [Case] = [
    Case(body: "not json", status: 400, kind: .malformedRequest),
    Case(body: "{}", status: 400, kind: .malformedRequest),
    Case(body: #"{"opId": "b1", "percent": "5"}"#, status: 400, kind: .malformedRequest),
    Case(body: #"{"opId": "b1", "percent": 2.5}"#, status: 400, kind: .malformedRequest),
    Case(body: #"{"opId": "b1"}"#, status: 422, kind: .invalidField, field: "percent"),
    Case(
      body: #"{"opId": "b1", "percent": 5, "amount": {"amount": 5, "currency": "EUR"}}"#, status: 422,
      kind: .invalidField, field: "percent"),
    Case(body: #"{"opId": "b1", "percent": 101}"#, status: 422, kind: .invalidField, field: "percent"),
    Case(body: #"{"opId": "b1", "percent": -1}"#, status: 422, kind: .invalidField, field: "percent"),
    Case(
      body: #"{"opId": "b1", "amount": {"amount": -5, "currency": "EUR"}}"#, status: 422, kind: .invalidField,
      field: "amount.amount"),
    Case(
      body: #"{"opId": "b1", "amount": {"amount": 5, "currency": "USD"}}"#, status: 422, kind: .invalidField,
      field: "amount.currency"),
    Case(
      body: #"{"opId": "b1", "sku": "TEA", "amount": {"amount": 501, "currency": "EUR"}}"#, status: 422,
      kind: .invalidField, field: "amount"),
    Case(body: #"{"opId": "bad id!", "percent": 5}"#, status: 422, kind: .invalidField, field: "opId"),
    Case(body: #"{"opId": "b1", "sku": "", "percent": 5}"#, status: 422, kind: .invalidField, field: "sku"),
    Case(
      body: #"{"opId": "b1", "percent": 5, "approval": {"code": "20a1", "pin": "4321"}}"#, status: 422,
      kind: .invalidField, field: "approval.code"),
    Case(body: #"{"opId": "b1", "sku": "BUN", "percent": 5}"#, status: 404, kind: .notFound),
  ]

  @Test("malformed and out-of-range bodies: problem+json, nothing changed", arguments: StoreEngine.allCases)
  func badBodies(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("TEA", 2)])
      let audit = try await StaffFixtures.audit(harness)
      for item in Self.cases {
        let answer = try await cashier.discount(cart.id, raw: item.body)
        #expect(answer.status == item.status, "\(item): \(answer.text.prefix(300))")
        #expect(answer.header("Content-Type") == Problem.mediaType, "\(item)")
        #expect(answer.problem?.kind == item.kind, "\(item): \(answer.text.prefix(300))")
        if let field = item.field { #expect(answer.problem?.field == field, "\(item)") }
      }
      #expect(try await cashier.cart(cart.id) == cart)
      #expect(try await StaffFixtures.audit(harness) == audit)
    }
  }

  @Test(
    "unknown, another terminal's and checked-out carts; callers without a person",
    arguments: StoreEngine.allCases)
  func wrongCarts(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("TEA", 1)])
      let request = DiscountRequest(opId: "w1", sku: nil, percent: 5, amount: nil)
      let unknown = try await cashier.discount("no-such-cart", request)
      #expect(unknown.status == 404 && unknown.problem?.kind == .notFound)
      let elsewhere = try await harness.client(as: .otherTerminal).discount(cart.id, request)
      #expect(elsewhere.status == 404 && elsewhere.problem?.kind == .notFound)
      let terminal = try await harness.client(as: .terminal).discount(cart.id, request)
      #expect(terminal.status == 403 && terminal.problem?.kind == .signInRequired)
      let admin = try await harness.client(as: .admin).discount(cart.id, request)
      #expect(admin.status == 403 && admin.problem?.kind == .signInRequired)
      #expect(try await cashier.cart(cart.id) == cart)

      let checkedOut = try await cashier.cart(with: [("BUN", 1)])
      _ = try await cashier.placeOrder(cart: checkedOut.id).decoded(Order.self, expecting: 201)
      let closed = try await cashier.discount(checkedOut.id, request)
      #expect(closed.status == 409 && closed.problem?.kind == .cartClosed)
      #expect(try await VATFixtures.audit(harness, action: .discount).isEmpty)
    }
  }
}
