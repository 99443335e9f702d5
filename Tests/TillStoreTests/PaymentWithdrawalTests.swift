import Testing
import TillCore
import TillStore
import TillTestSupport

/// Withdrawing a card attempt the provider refused the shop's credentials for, on every engine: the
/// order is payable again, the next attempt takes the same number and key, and nothing settled is
/// ever withdrawn.
@Suite("Withdrawing a refused card attempt")
struct PaymentWithdrawalTests {
  @Test(arguments: StoreEngine.allCases)
  func theOrderIsPayableAgainUnderTheSameKey(engine: StoreEngine) async throws {
    try await PaymentStoreTests.withPlacedOrder(engine) { store, order in
      let owner = Fixture.owner
      let refused = try await PaymentStoreTests.newCardAttempt(
        store, on: order, "a placed order must start a card attempt")
      #expect(try await store.withdrawRefusedCardPayment(id: refused.payment.id))
      #expect(try await store.pendingCardPayments().isEmpty)
      #expect(try await store.order(id: order.id, owner: owner).payment == nil)
      #expect(try await store.withdrawRefusedCardPayment(id: refused.payment.id) == false, "gone already")

      let again = try await PaymentStoreTests.newCardAttempt(
        store, on: order, "the order must start a card attempt again")
      #expect(again.payment.id != refused.payment.id)
      #expect(again.payment.attempt == 1)
      #expect(again.payment.idempotenceKey == refused.payment.idempotenceKey)

      let declined = try await store.settleCardPayment(id: again.payment.id, outcome: .declined(reason: "no"))
      #expect(try await store.withdrawRefusedCardPayment(id: again.payment.id) == false, "settled stays")
      #expect(try await store.order(id: order.id, owner: owner).payment == declined)

      let cash = try await store.payCash(
        orderId: order.id, owner: owner, staff: Fixture.staff, tendered: PaymentStoreTests.eur(1_000))
      #expect(cash.created && cash.payment.change == PaymentStoreTests.eur(360))
      #expect(cash.payment.attempt == 2)
      #expect(try await store.withdrawRefusedCardPayment(id: cash.payment.id) == false, "cash stays")
      #expect(try await store.order(id: order.id, owner: owner).status == .paid)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func anUnknownPaymentIsNotWithdrawn(engine: StoreEngine) async throws {
    try await PaymentStoreTests.withPlacedOrder(engine) { store, _ in
      let withdrawn = try await store.withdrawRefusedCardPayment(id: "no-such-payment")
      #expect(withdrawn == false)
    }
  }
}
