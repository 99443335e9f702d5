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
/// keeps working, also for the order whose card attempt was refused.
@Suite("A card provider refusing the shop's settings")
struct PaymentMisconfigurationTests {
  static let detail = "Card payments are unavailable — check the provider settings."

  @Test(
    "a wrong secret key at the real sandbox: 503, not declined, nothing charged, cash works on the same order",
    arguments: StoreEngine.allCases)
  func wrongSecretKey(engine: StoreEngine) async throws {
    let log = CapturedLog()
    let logger = Logger(label: "till.test.misconfigured") { _ in CapturingLogHandler(log: log) }
    try await withPaymentServer(engine, secretKey: "not-the-shop-key", logger: logger) { harness, sandbox in
      let staff = harness.client()

      // The first card request reaches the provider, which answers 401.
      let first = try await staff.placedOrder()
      let refused = try await staff.pay(first.id, .card)
      #expect(refused.status == 503, "\(refused.text)")
      #expect(refused.problem?.kind == .cardPaymentsUnavailable)
      #expect(refused.problem?.detail == Self.detail)
      #expect(refused.problem?.payment == nil)
      // Not a decline, and not left pending: the provider processed nothing under the attempt's key, so
      // the attempt is withdrawn and the customer at the counter pays cash for this very order.
      let firstAfter = try await staff.order(first.id)
      #expect(firstAfter.status == .placed)
      #expect(firstAfter.payment == nil)
      let cash = try await staff.pay(first.id, .cash(tendered: PaymentFixtures.eur(1000)))
        .decoded(Payment.self, expecting: 201)
      #expect(cash.change == PaymentFixtures.eur(560))
      #expect(cash.attempt == 1, "the withdrawn attempt left no number behind")
      #expect(try await staff.order(first.id).status == .paid)

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

      #expect(try await sandbox.payments().isEmpty, "the provider recorded nothing, not even a decline")
      let refusals = log.entries.filter { $0.message.contains("refused the shop's credentials") }
      #expect(refusals.count == 1, "\(refusals.map(\.message))")
      #expect(refusals.first?.level == .error)
      #expect(refusals.first?.metadata.contains("401") == true)
      #expect(!log.entries.contains { $0.message.lowercased().contains("declin") })
    }
  }

  @Test(
    "once the key is fixed, card payments go through once, a refused order's too, under its first key",
    arguments: StoreEngine.allCases)
  func fixedKeyChargesOnce(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, secretKey: "not-the-shop-key") { harness, sandbox in
      let staff = harness.client()
      let refusedOrder = try await staff.placedOrder()
      #expect(try await staff.pay(refusedOrder.id, .card).status == 503)
      let paidInCash = try await staff.placedOrder()
      #expect(try await staff.pay(paidInCash.id, .cash(tendered: PaymentFixtures.total)).status == 201)

      // The settings fixed: a second server on the same store sends the shop's own key.
      let fixed = try await RunningServer.start(
        store: harness.store,
        configuration: ServerConfiguration(
          host: "127.0.0.1", port: 0, staffTokens: [ServerHarness.staffToken],
          paymentProvider: ServerHarness.provider(sandbox)),
        logger: Logger(label: "till.test.fixed") { _ in SwiftLogNoOpLogHandler() })
      do {
        let session = try await ServerHarness.signIn(
          ServerHarness.cashier, terminalToken: ServerHarness.staffToken, at: fixed.baseURL)
        let till = APITestClient(baseURL: fixed.baseURL, token: session.token)
        let another = try await till.placedOrder()
        let card = try await till.pay(another.id, .card).decoded(Payment.self, expecting: 201)
        #expect(card.status == .succeeded && card.attempt == 1)
        #expect(try await till.pay(another.id, .card).decoded(Payment.self).id == card.id, "paid once")
        // The withdrawn attempt's number and key come back; the provider never took them before.
        let resumed = try await till.pay(refusedOrder.id, .card).decoded(Payment.self, expecting: 201)
        #expect(resumed.attempt == 1)
        #expect(resumed.idempotenceKey == "order-\(refusedOrder.id)-payment-1")

        let charges = try await sandbox.charges()
        #expect(charges.count == 2, "one charge per card payment: \(charges)")
        #expect(try await till.order(paidInCash.id).payment?.method == .cash)
      } catch {
        await fixed.stop()
        throw error
      }
      await fixed.stop()
    }
  }

  @Test("a refused new attempt is withdrawn; the next card attempt sends its key once the provider takes it")
  func refusedAttemptIsWithdrawnAndItsKeyReused() async throws {
    try await withCoordinator([
      .credentialsRefused(detail: "HTTP 401"), .succeeded(providerPaymentId: "provider-1"),
    ]) { coordinator, provider, store, order in
      #expect(
        try await coordinator.payByCard(orderId: order.id, owner: "o-test", staff: LegacyStaff.code)
          == .unavailable)
      #expect(provider.keys.count == 1, "a refusal is not retried")
      #expect(await coordinator.cardAvailability == .credentialsRefused)
      #expect(try await store.pendingCardPayments().isEmpty)
      #expect(try await store.order(id: order.id, owner: "o-test").payment == nil)
      #expect(await coordinator.recoverPendingPayments() == 0)
      #expect(provider.keys.count == 1, "nothing pending, nothing sent")

      guard
        case .settled(let paid) = try await coordinator.payByCard(
          orderId: order.id, owner: "o-test", staff: LegacyStaff.code)
      else {
        Issue.record("the second card attempt must settle")
        return
      }
      #expect(paid.status == .succeeded && paid.attempt == 1)
      #expect(provider.keys == [paid.idempotenceKey, paid.idempotenceKey].compactMap { $0 })
      #expect(await coordinator.cardAvailability == .available)
    }
  }

  @Test("an attempt that may have reached the provider stays pending when refused; recovery settles it")
  func possiblyProcessedAttemptStaysPending() async throws {
    try await withCoordinator([
      .unknown(detail: "timeout", retryAfterMilliseconds: nil), .credentialsRefused(detail: "HTTP 401"),
      .credentialsRefused(detail: "HTTP 401"), .succeeded(providerPaymentId: "provider-1"),
    ]) { coordinator, provider, store, order in
      // Refused after an unanswered call: that call may have charged, so cash must wait.
      #expect(
        try await coordinator.payByCard(orderId: order.id, owner: "o-test", staff: LegacyStaff.code)
          == .unavailable)
      let pending = try await store.pendingCardPayments()
      #expect(pending.map(\.payment.attempt) == [1])
      // Recovery resumes it; refused again, it still cannot tell whether the timeout charged.
      #expect(await coordinator.recoverPendingPayments() == 0)
      #expect(try await store.pendingCardPayments() == pending)
      #expect(await coordinator.recoverPendingPayments() == 1)
      #expect(Set(provider.keys).count == 1 && provider.keys.count == 4, "\(provider.keys)")
      let paid = try await store.order(id: order.id, owner: "o-test")
      #expect(paid.status == .paid && paid.payment?.attempt == 1)
    }
  }

  /// A coordinator over a fresh SQLite store and `answers`, with one placed order.
  private func withCoordinator(
    _ answers: [CardProviderAnswer],
    _ body: (PaymentCoordinator, ScriptedProvider, any Store & PaymentStore, Order) async throws -> Void
  ) async throws {
    let anyStore = try await makeTestStore(.sqlite, products: PaymentFixtures.products)
    do {
      let store = try #require(anyStore as? any Store & PaymentStore)
      let provider = ScriptedProvider(answers)
      let coordinator = PaymentCoordinator(
        store: store, provider: provider, policy: .init(maxCalls: 3, initialBackoff: .milliseconds(1)),
        logger: Logger(label: "till.test.coordinator") { _ in SwiftLogNoOpLogHandler() })
      let cart = try await store.createCart(owner: "o-test", staff: LegacyStaff.code)
      _ = try await store.applyIncrement(
        IncrementRequest(sku: "TEA", delta: 1, opId: "op-1"), cartId: cart.id, owner: "o-test")
      let order = try await store.placeOrder(
        cartId: cart.id, owner: "o-test", staff: LegacyStaff.code, idempotencyKey: "key-1"
      ).order
      try await body(coordinator, provider, store, order)
    } catch {
      await disposeTestStore(anyStore)
      throw error
    }
    await disposeTestStore(anyStore)
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

  /// Refunds are not what these tests script: the outcome stays unknown.
  func refund(_ refund: CardRefund) async -> CardRefundAnswer {
    state.withLock { $0.keys.append(refund.idempotenceKey) }
    return .unknown(detail: "not scripted", retryAfterMilliseconds: nil)
  }
}
