import Foundation
import Logging
import Synchronization
import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

/// A card provider that refuses the shop's credentials (wrong shop id or secret key) makes card payments
/// unavailable: 503 `card-payments-unavailable`, never a decline, logged once a minute at most; cash
/// keeps working.
@Suite("A card provider refusing the shop's settings")
struct PaymentMisconfigurationTests {
  static let detail = "Card payments are unavailable — check the provider settings."

  @Test(
    "a wrong secret key at the real sandbox: 503, not declined, nothing charged, cash works, one log line")
  func wrongSecretKey() async throws {
    let log = CapturedLog()
    let logger = Logger(label: "till.test.misconfigured") { _ in CapturingLogHandler(log: log) }
    try await withPaymentServer(secretKey: "not-the-shop-key", logger: logger) { harness, sandbox in
      let staff = harness.client()

      // The first card request reaches the provider, which answers 401.
      let first = try await staff.placedOrder()
      let refused = try await staff.pay(first.id, .card)
      #expect(refused.status == 503, "\(refused.text)")
      #expect(refused.problem?.kind == .cardPaymentsUnavailable)
      #expect(refused.problem?.detail == Self.detail)
      #expect(refused.problem?.payment == nil)
      // Not a decline: the attempt stays pending under its one key (nothing was charged), so cash on this
      // order waits like after any unanswered card attempt.
      let firstAfter = try await staff.order(first.id)
      #expect(firstAfter.status == .placed)
      #expect(firstAfter.payment?.status == .pending)
      #expect(firstAfter.payment?.attempt == 1)
      #expect(try await staff.pay(first.id, .card).problem?.kind == .cardPaymentsUnavailable)
      #expect(try await staff.order(first.id).payment?.attempt == 1, "no new attempt, no new key")

      // Other orders: card answered at once without a payment row; cash goes through.
      for _ in 0..<3 {
        let order = try await staff.placedOrder()
        let card = try await staff.pay(order.id, .card)
        #expect(card.status == 503)
        #expect(card.problem?.kind == .cardPaymentsUnavailable)
        #expect(try await staff.order(order.id).payment == nil)
        let cash = try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000)))
        #expect(cash.status == 201, "\(cash.text)")
      }

      #expect(try await sandbox.charges().isEmpty)
      let refusals = log.entries.filter { $0.message.contains("refused the shop's credentials") }
      #expect(refusals.count == 1, "\(refusals.map(\.message))")
      #expect(refusals.first?.level == .error)
      #expect(refusals.first?.metadata.contains("401") == true)
      #expect(!log.entries.contains { $0.message.lowercased().contains("declin") })
    }
  }

  @Test("the refused attempt keeps its key; once the provider takes the credentials it is charged once")
  func refusedAttemptIsSettledWithItsOwnKey() async throws {
    let store = try await makeTestStore(.sqlite, products: PaymentFixtures.products)
    let payments = try #require(store as? any Store & PaymentStore)
    let provider = ScriptedProvider([
      .credentialsRefused(detail: "HTTP 401"), .succeeded(providerPaymentId: "provider-1"),
    ])
    let coordinator = PaymentCoordinator(
      store: payments, provider: provider, policy: .init(maxCalls: 3, initialBackoff: .milliseconds(1)),
      logger: Logger(label: "till.test.coordinator") { _ in SwiftLogNoOpLogHandler() })
    let cart = try await store.createCart(owner: "o-test")
    _ = try await store.applyIncrement(
      IncrementRequest(sku: "TEA", delta: 1, opId: "op-1"), cartId: cart.id, owner: "o-test")
    let order = try await store.placeOrder(cartId: cart.id, owner: "o-test", idempotencyKey: "key-1").order

    #expect(await coordinator.cardAvailability == .available)
    let first = try await coordinator.payByCard(orderId: order.id, owner: "o-test")
    #expect(first == .unavailable)
    #expect(provider.keys.count == 1, "a refusal is not retried")
    #expect(await coordinator.cardAvailability == .credentialsRefused)
    let pending = try await payments.pendingCardPayments()
    #expect(pending.map(\.payment.status) == [.pending])

    #expect(await coordinator.recoverPendingPayments() == 1)
    #expect(provider.keys.count == 2)
    #expect(Set(provider.keys).count == 1, "both calls carry the attempt's one key: \(provider.keys)")
    #expect(provider.keys.first == pending.first?.payment.idempotenceKey)
    #expect(await coordinator.cardAvailability == .available)
    let paid = try await store.order(id: order.id, owner: "o-test")
    #expect(paid.status == .paid)
    #expect(paid.payment?.attempt == 1)
    await disposeTestStore(store)
  }
}

/// Answers from a list, the last one again once the list is used up, and records each call's key.
final class ScriptedProvider: CardProvider {
  private let state: Mutex<(answers: [CardProviderAnswer], keys: [String])>

  init(_ answers: [CardProviderAnswer]) { state = Mutex((answers, [])) }

  var keys: [String] { state.withLock { $0.keys } }

  func charge(_ charge: CardCharge) async -> CardProviderAnswer {
    state.withLock { state in
      state.keys.append(charge.idempotenceKey)
      return state.answers.count > 1 ? state.answers.removeFirst() : state.answers[0]
    }
  }
}
