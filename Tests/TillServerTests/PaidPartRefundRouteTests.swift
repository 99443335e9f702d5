import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// The paid parts of an order not yet paid go back over HTTP (a refund with no lines) against the real
/// sandbox provider, so that the order can be canceled: the card part through the provider exactly
/// once, the cash from the drawer, each with its receipt.
@Suite("Paid parts given back over HTTP")
struct PaidPartRefundRouteTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  static func giveBack(_ client: APITestClient, _ order: Order, _ method: Payment.Method, key: String)
    async throws -> HTTPResponse
  {
    try await client.post(
      "/v1/orders/\(order.id)/refunds", json: RefundRequest(lines: [], method: method),
      headers: [(name: "Idempotency-Key", value: key)])
  }

  @Test(
    "a card part and a cash part go back, the card one once at the provider; then the order cancels",
    arguments: StoreEngine.allCases)
  func partsGoBackThenTheOrderCancels(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let cashier = harness.client()
      let manager = harness.client(as: .manager)
      let order = try await cashier.placedOrder()
      let stock = try await cashier.get("/v1/products/BUN").decoded(Product.self).stock
      let path = "/v1/orders/\(order.id)/payments"
      let card = try await cashier.post(
        path, json: PaymentRequest.card(amount: Self.eur(100)),
        headers: [(name: "Idempotency-Key", value: "c")]
      ).decoded(Payment.self, expecting: 201)
      _ = try await cashier.post(
        path, json: PaymentRequest.cash(tendered: Self.eur(200), amount: Self.eur(140)),
        headers: [(name: "Idempotency-Key", value: "p")]
      ).decoded(Payment.self, expecting: 201)
      let refused = try await cashier.cancel(order.id)
      #expect(refused.status == 409 && refused.problem?.kind == .orderPartlyPaid, "\(refused.text)")

      let unapproved = try await Self.giveBack(cashier, order, .cash, key: "by-cashier")
      #expect(unapproved.status == 403 && unapproved.problem?.kind == .approvalRequired, "\(unapproved.text)")
      let withLines = try await manager.post(
        "/v1/orders/\(order.id)/refunds",
        json: RefundRequest(lines: [.init(sku: "BUN", quantity: 1, restock: true)], method: .cash),
        headers: [(name: "Idempotency-Key", value: "lines")])
      #expect(withLines.status == 422 && withLines.problem?.field == "lines", "\(withLines.text)")

      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      let cardBack = try await Self.giveBack(manager, order, .card, key: "card-back")
        .decoded(Refund.self, expecting: 201)
      #expect(cardBack.status == .succeeded && cardBack.paymentId == card.id && cardBack.lines.isEmpty)
      #expect(cardBack.amount == Self.eur(100))
      let providerRefunds = try await sandbox.refunds()
      #expect(providerRefunds.map(\.amount.value) == ["1.00"], "one refund at the provider")
      let noMoreCard = try await Self.giveBack(manager, order, .card, key: "card-again")
      #expect(noMoreCard.status == 409 && noMoreCard.problem?.kind == .nothingTendered, "\(noMoreCard.text)")

      let cashBack = try await Self.giveBack(manager, order, .cash, key: "cash-back")
        .decoded(Refund.self, expecting: 201)
      #expect(cashBack.amount == Self.eur(140) && cashBack.receiptNumber != nil)
      let receipt = try await manager.get("/v1/orders/\(order.id)/refunds/\(cashBack.id)/receipt").text
      for expected in ["REFUND 2 OF ORDER \(order.number)", "-1.40", "Cash refund"] {
        #expect(receipt.contains(expected), "\(expected) missing from\n\(receipt)")
      }
      let owing = try await cashier.order(order.id)
      #expect(owing.status == .placed && owing.paid == Self.eur(0) && owing.due == PaymentFixtures.total)

      let canceled = try await cashier.cancel(order.id)
      #expect(canceled.status == 200, "\(canceled.text)")
      #expect(try await cashier.get("/v1/products/BUN").decoded(Product.self).stock == stock + 2)
      let listed = try await cashier.get("/v1/orders/\(order.id)/refunds").decoded(ListOf<Refund>.self)
      #expect(listed.items.map(\.id) == [cardBack.id, cashBack.id])
    }
  }
}
