import Testing
import TillCore
import TillStore
import TillTestSupport

/// Paying and cancelling one order at the same moment, on every engine: exactly one of them wins,
/// and stock and payments agree with the winner.
@Suite("Pay and cancel racing on one order")
struct CancelRaceTests {
  @Test(arguments: StoreEngine.allCases)
  func payersAndCancelersAgreeOnOneOutcome(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { anyStore in
      let store = try #require(
        anyStore as? any Store & PaymentStore, "\(engine) does not implement PaymentStore")
      let cart = try await store.cart(with: [("COF-001", 2)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "race"
      )
      .order
      #expect(try await store.stock(of: "COF-001") == 98)
      let created = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<24 {
          group.addTask {
            if index % 3 == 0 {
              _ = await outcome { () async throws(StoreError) in
                try await store.cancelOrder(
                  id: order.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
              }
              return false
            }
            let record = await outcome { () async throws(StoreError) in
              try await store.payCash(
                orderId: order.id, owner: Fixture.owner, staff: Fixture.staff, tendered: order.total)
            }
            return (try? record.get())?.created ?? false
          }
        }
        return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
      }
      let final = try await store.order(id: order.id, owner: Fixture.owner)
      let stock = try await store.stock(of: "COF-001")
      switch final.status {
      case .paid:
        #expect(created == 1 && stock == 98 && final.payment?.status == .succeeded)
      case .canceled:
        #expect(created == 0 && stock == 100 && final.payment == nil)
      case .placed:
        Issue.record("neither the payment nor the cancel won")
      }
    }
  }

  /// Settling a card payment (the live request and recovery at once) while cash and cancel race on
  /// the same order: every path locks the order before its payment, so each waits its turn, none fails
  /// with a deadlock, and the settled success is the one outcome everybody sees.
  @Test(arguments: StoreEngine.allCases)
  func settlingRacesWithCashAndCancel(engine: StoreEngine) async throws {
    try await PaymentStoreTests.withPlacedOrder(engine) { store, order in
      let owner = Fixture.owner
      let pending = try await PaymentStoreTests.newCardAttempt(
        store, on: order, "a placed order must start a pending card attempt")
      let refusals = await withTaskGroup(of: StoreError?.self) { group in
        for index in 0..<24 {
          group.addTask {
            let result: Result<Void, StoreError>
            switch index % 3 {
            case 0:
              result = await outcome { () async throws(StoreError) in
                _ = try await store.settleCardPayment(
                  id: pending.payment.id, outcome: .succeeded(providerPaymentId: "prov-1"))
              }
            case 1:
              result = await outcome { () async throws(StoreError) in
                _ = try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: owner), approval: nil)
              }
            default:
              result = await outcome { () async throws(StoreError) in
                let record = try await store.payCash(
                  orderId: order.id, owner: owner, staff: Fixture.staff, tendered: order.total)
                if record.created {
                  throw StoreError.engine("cash paid an order with a pending card payment")
                }
              }
            }
            guard case .failure(let error) = result else { return nil }
            return error
          }
        }
        return await group.reduce(into: [StoreError]()) { if let error = $1 { $0.append(error) } }
      }
      for refusal in refusals {
        switch refusal {
        case .paymentPending, .orderNotCancelable(status: .paid): continue
        default: Issue.record("unexpected refusal \(refusal)")
        }
      }
      let final = try await store.order(id: order.id, owner: owner)
      #expect(final.status == .paid)
      #expect(final.payment?.status == .succeeded && final.payment?.id == pending.payment.id)
      #expect(try await store.stock(of: "COF-001") == 98)
    }
  }
}
