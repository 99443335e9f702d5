import Foundation
import Testing
import TillCore
import TillTestSupport

@Suite("Cancelling orders")
struct PaymentCancelTests {
  @Test(
    "Cancel returns every line's stock exactly; again answers the canceled order; a paid order is 409",
    arguments: StoreEngine.allCases)
  func cancelRestoresStock(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, card: false) { harness, _ in
      let client = harness.client()
      let before = try await Fixtures.stock(client)
      let order = try await client.placedOrder([("TEA", 3), ("BUN", 7)])
      #expect(
        try await Fixtures.stock(client) == [
          "TEA": before["TEA", default: 0] - 3, "BUN": before["BUN", default: 0] - 7,
        ])

      let canceled = try await client.cancel(order.id).decoded(Order.self)
      #expect(canceled.status == .canceled && canceled.id == order.id && canceled.lines == order.lines)
      #expect(try await Fixtures.stock(client) == before)
      // Cancelling twice changes nothing more.
      #expect(try await client.cancel(order.id).decoded(Order.self) == canceled)
      #expect(try await Fixtures.stock(client) == before)

      let paid = try await client.placedOrder([("TEA", 2)])
      _ = try await client.pay(paid.id, .cash(tendered: PaymentFixtures.eur(640))).decoded(
        Payment.self, expecting: 201)
      let afterPaying = try await Fixtures.stock(client)
      let refused = try await client.cancel(paid.id)
      #expect(refused.status == 409)
      #expect(refused.problem?.kind == .orderNotCancelable)
      #expect(try await client.order(paid.id).status == .paid)
      #expect(try await Fixtures.stock(client) == afterPaying)
    }
  }

  @Test("Cancel of someone else's or an unknown order is 404", arguments: StoreEngine.allCases)
  func cancelNotYours(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, card: false) { harness, _ in
      let order = try await harness.client().placedOrder()
      let other = harness.client(as: .otherTerminal)
      for id in [order.id, "no-such-order"] {
        let response = try await other.cancel(id)
        #expect(response.status == 404 && response.problem?.kind == .notFound)
      }
      #expect(try await harness.client().order(order.id).status == .placed)
    }
  }

  @Test("Concurrent cancels of one order return its stock once", arguments: StoreEngine.allCases)
  func concurrentCancels(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, card: false) { harness, _ in
      let client = harness.client()
      let before = try await Fixtures.stock(client)
      let order = try await client.placedOrder([("TEA", 5)])
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<20 {
          let client = harness.client()
          group.addTask { try await client.cancel(order.id).status }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.count == 20 && statuses.allSatisfy { $0 == 200 })
      #expect(try await Fixtures.stock(client) == before)
    }
  }
}
