import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// Split tender over HTTP against the real sandbox provider: parts in cash and by card, each under its
/// own `Idempotency-Key`, never more than the order owes, and a receipt listing every tender.
@Suite("Split tender over HTTP")
struct SplitTenderRouteTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  @Test(
    "A cash part with change, a card part, then the rest by card: one charge per card part, paid once",
    arguments: StoreEngine.allCases)
  func cashThenCardParts(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      #expect(order.due == PaymentFixtures.total && order.paid == Self.eur(0))
      let path = "/v1/orders/\(order.id)/payments"
      let cashPart = PaymentRequest.cash(tendered: Self.eur(200), amount: Self.eur(140))
      let keyless = try await client.post(path, json: cashPart)
      #expect(keyless.status == 422 && keyless.problem?.field == "Idempotency-Key", "\(keyless.text)")

      let key = [(name: "Idempotency-Key", value: "part-cash-1")]
      let cash = try await client.post(path, json: cashPart, headers: key).decoded(
        Payment.self, expecting: 201)
      #expect(cash.amount == Self.eur(140) && cash.change == Self.eur(60))
      let again = try await client.post(path, json: cashPart, headers: key).decoded(
        Payment.self, expecting: 200)
      #expect(again.id == cash.id, "the same key answers the same part")

      let over = try await client.post(
        path, json: PaymentRequest.card(amount: Self.eur(301)),
        headers: [(name: "Idempotency-Key", value: "card-over")])
      #expect(over.status == 409 && over.problem?.kind == .amountExceedsDue, "\(over.text)")
      #expect(over.problem?.due == Self.eur(300))
      let cancel = try await client.cancel(order.id)
      #expect(cancel.status == 409 && cancel.problem?.kind == .orderPartlyPaid, "\(cancel.text)")

      let card = try await client.post(
        path, json: PaymentRequest.card(amount: Self.eur(100)),
        headers: [(name: "Idempotency-Key", value: "card-1")]
      ).decoded(Payment.self, expecting: 201)
      #expect(card.status == .succeeded && card.change == nil)
      #expect(card.idempotenceKey == "order-\(order.id)-payment-2")
      let halfway = try await client.order(order.id)
      #expect(halfway.status == .placed && halfway.paid == Self.eur(240) && halfway.due == Self.eur(200))

      let rest = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      #expect(rest.amount == Self.eur(200) && rest.attempt == 3)
      let paid = try await client.order(order.id)
      #expect(paid.status == .paid && paid.paid == PaymentFixtures.total && paid.due == Self.eur(0))
      #expect(paid.payments.map(\.id) == [cash.id, card.id, rest.id])
      #expect(paid.receiptNumber != nil)

      let charges = try await sandbox.charges()
      #expect(charges.map(\.amount.value).sorted() == ["1.00", "2.00"], "one charge per card part")

      // The X report counts each part under its method; the drawer expects only the cash part.
      let report = try await harness.client(as: .manager).get("/v1/register-sessions/current")
        .decoded(SessionReport.self)
      #expect(report.payments.map(\.method) == [.cash, .card])
      #expect(report.payments.map(\.amount.amount) == [140, 300])
      #expect(report.salesTotal == PaymentFixtures.total && report.salesCount == 1)
      #expect(report.cash?.expected.amount == ServerHarness.openingFloat + 140)

      let receipt = try await client.receipt(order.id).text
      for expected in ["Cash", "Change", "0.60", "Card", "1.00", "2.00"] {
        #expect(receipt.contains(expected), "\(expected) missing from\n\(receipt)")
      }
    }
  }
}
