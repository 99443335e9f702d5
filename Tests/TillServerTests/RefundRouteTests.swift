import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// Refunds over HTTP against the real sandbox provider: a manager's, or a cashier's with the manager's
/// PIN in place; once per key; cash at once, card through the provider exactly once per refund, whatever
/// the network does; never more than was sold, even with refunds racing on two back ends.
@Suite("Refunds over HTTP")
struct RefundRouteTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
  static let approval = Approval(code: ServerHarness.manager.code, pin: ServerHarness.manager.pin)

  static func refund(
    _ client: APITestClient, _ order: Order, _ lines: [(String, Int, Bool)], method: Payment.Method = .cash,
    key: String, approval: Approval? = nil
  ) async throws -> HTTPResponse {
    let request = RefundRequest(
      lines: lines.map { RefundRequest.Line(sku: $0.0, quantity: $0.1, restock: $0.2) }, method: method,
      approval: approval)
    return try await client.post(
      "/v1/orders/\(order.id)/refunds", json: request, headers: [(name: "Idempotency-Key", value: key)])
  }

  @Test(
    "cash: a cashier needs the manager's PIN; the refund is numbered, restocks, and replays once",
    arguments: StoreEngine.allCases)
  func cashRefund(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, _ in
      let cashier = harness.client()
      let order = try await cashier.placedOrder()
      _ = try await cashier.pay(order.id, .cash(tendered: Self.eur(500))).decoded(
        Payment.self, expecting: 201)
      let stock = try await cashier.get("/v1/products/BUN").decoded(Product.self).stock

      let unapproved = try await Self.refund(cashier, order, [("BUN", 1, true)], key: "r1")
      #expect(unapproved.status == 403 && unapproved.problem?.kind == .approvalRequired, "\(unapproved.text)")
      let keyless = try await cashier.post(
        "/v1/orders/\(order.id)/refunds",
        json: RefundRequest(lines: [.init(sku: "BUN", quantity: 1, restock: true)], method: .cash))
      #expect(keyless.status == 400 && keyless.problem?.field == "Idempotency-Key")

      let refund = try await Self.refund(
        cashier, order, [("BUN", 1, true)], key: "r1", approval: Self.approval
      )
      .decoded(Refund.self, expecting: 201)
      #expect(refund.status == .succeeded && refund.amount == Self.eur(60) && refund.approvedBy == "2001")
      #expect(refund.receiptNumber == 2 && refund.sessionId != nil, "numbered, from the open drawer")
      let replay = try await Self.refund(
        cashier, order, [("BUN", 1, true)], key: "r1", approval: Self.approval
      )
      .decoded(Refund.self, expecting: 200)
      #expect(replay.id == refund.id)
      #expect(try await cashier.get("/v1/products/BUN").decoded(Product.self).stock == stock + 1)

      let tooMany = try await Self.refund(
        harness.client(as: .manager), order, [("BUN", 2, true), ("TEA", 2, false)], key: "r2")
      #expect(tooMany.status == 409 && tooMany.problem?.kind == .refundExceedsSold, "\(tooMany.text)")
      #expect(
        tooMany.problem?.refundShortfalls == [
          RefundShortfall(sku: "BUN", requested: 2, refundable: 1),
          RefundShortfall(sku: "TEA", requested: 2, refundable: 1),
        ])
      let listed = try await cashier.get("/v1/orders/\(order.id)/refunds").decoded(ListOf<Refund>.self)
      #expect(listed.items.map(\.id) == [refund.id])

      // Its receipt: its own number, the line and the total negative, the cash going back; the
      // original opens the drawer (ESC p), a copy does not.
      let receiptPath = "/v1/orders/\(order.id)/refunds/\(refund.id)/receipt"
      let text = try await cashier.get(receiptPath).text
      for expected in ["REFUND 1 OF ORDER \(order.number)", "Receipt 2", "-0.60", "Cash refund"] {
        #expect(text.contains(expected), "\(expected) missing from\n\(text)")
      }
      let pulse: [UInt8] = [0x1B, 0x70]
      let original = try await cashier.get(receiptPath + "?format=escpos").body
      let copy = try await cashier.get(receiptPath + "?format=escpos&copy=true").body
      #expect(original.contains(pulse) && !copy.contains(pulse))
    }
  }

  @Test(
    "card: a dropped answer, a 500 and two 202s on the way; one provider refund, recorded once",
    arguments: StoreEngine.allCases)
  func cardRefundThroughFaults(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let manager = harness.client(as: .manager)
      let order = try await manager.placedOrder()
      let payment = try await manager.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      try await sandbox.arm(Fault(mode: .errorBeforeCharge))
      try await sandbox.arm(Fault(mode: .processing, count: 2, delayMs: 20))
      let refund = try await Self.refund(manager, order, [("TEA", 1, true)], method: .card, key: "c1")
        .decoded(Refund.self, expecting: 201)
      #expect(refund.status == .succeeded && refund.paymentId == payment.id)
      #expect(refund.idempotenceKey == "order-\(order.id)-refund-1")
      let refunds = try await sandbox.refunds()
      #expect(refunds.count == 1 && refunds.first?.amount == AmountObject(value: "3.20", currency: "EUR"))
      let again = try await Self.refund(manager, order, [("TEA", 1, true)], method: .card, key: "c1")
        .decoded(Refund.self, expecting: 200)
      let refundsAfter = try await sandbox.refunds().count
      #expect(again.id == refund.id && refundsAfter == 1, "the same key, no new refund")

      try await sandbox.arm(Fault(mode: .decline))
      let declined = try await Self.refund(manager, order, [("BUN", 1, false)], method: .card, key: "c2")
      #expect(declined.status == 502 && declined.problem?.kind == .refundFailed, "\(declined.text)")
      let cash = try await Self.refund(manager, order, [("BUN", 1, false)], key: "c3")
      #expect(cash.status == 201, "the failed card refund's unit can go back in cash: \(cash.text)")
    }
  }

  /// 20 refunds of one unit each of a line of 5, under 20 keys, at once, half through a second back end
  /// on the same PostgreSQL database: exactly 5 go back; one key sent 20 times refunds once.
  @Test("20 racing refunds of one line on two back ends: never more than was sold")
  func racingRefundsOnTwoBackEnds() async throws {
    try await withPaymentServer(.postgres) { harness, _ in
      let manager = harness.client(as: .manager)
      let order = try await manager.placedOrder([("BUN", 5), ("TEA", 1)])
      _ = try await manager.pay(order.id, .cash(tendered: Self.eur(1_000))).decoded(
        Payment.self, expecting: 201)
      let second = try await harness.secondBackEnd()
      do {
        let token = try #require(harness.token(for: .manager))
        let urls = [harness.baseURL, second.baseURL]
        let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
          for index in 0..<20 {
            group.addTask {
              let client = APITestClient(baseURL: urls[index % 2], token: token)
              let unit = try await Self.refund(client, order, [("BUN", 1, true)], key: "unit-\(index)")
              return ("unit", unit.status)
            }
            group.addTask {
              let client = APITestClient(baseURL: urls[index % 2], token: token)
              let same = try await Self.refund(client, order, [("TEA", 1, true)], key: "same")
              return ("same", same.status)
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        let units = statuses.filter { $0.0 == "unit" }.map(\.1)
        #expect(units.filter { $0 == 201 }.count == 5 && units.filter { $0 == 409 }.count == 15, "\(units)")
        let same = statuses.filter { $0.0 == "same" }.map(\.1)
        #expect(same.filter { $0 == 201 }.count == 1 && same.filter { $0 == 200 }.count == 19, "\(same)")
        let listed = try await manager.get("/v1/orders/\(order.id)/refunds").decoded(ListOf<Refund>.self)
        #expect(listed.items.count == 6)
        #expect(
          listed.items.map(\.amount.amount).reduce(0, +) == order.total.amount, "everything back, to the cent"
        )
        let numbers = listed.items.compactMap(\.receiptNumber).sorted()
        #expect(numbers == Array(2...7), "receipt numbers without gap or duplicate across back ends")
      } catch {
        await second.stop()
        throw error
      }
      await second.stop()
    }
  }
}

/// `{"items": [...], "next": ...}` of any list route.
struct ListOf<Item: Decodable>: Decodable {
  var items: [Item]
  var next: String?
}
