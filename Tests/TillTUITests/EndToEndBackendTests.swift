import Foundation
import Testing
import TillClient
import TillCore
import TillPaymentSandbox
import TillServer
import TillStore
import TillTUI
import TillTestSupport

/// `TillClientBackend` against a real server: each answer the front end acts on differently arrives as
/// the right `BackendFailure` (or, for a card still pending, as a pending payment).
@Suite("end to end: TillClientBackend against a real server")
struct EndToEndBackendTests {
  func placedOrder(_ backend: TillClientBackend, sku: String = "BAK-001", quantity: Int = 1) async throws
    -> Order
  {
    let cart = try await backend.createCart()
    _ = try await backend.increment(
      cartId: cart.id, sku: sku, delta: quantity, opId: TillClient.makeOperationID())
    return try await backend.placeOrder(cartId: cart.id, idempotencyKey: TillClient.makeIdempotencyKey())
  }

  @Test func aStoppedServerIsOffline() async throws {
    let backend = try await EndToEndBackend.start()
    let till = TillClientBackend(client: try await backend.client())
    await backend.stop()
    let outcome = await failure { _ = try await till.categories() }
    guard case .offline(let message)? = outcome else {
      Issue.record("expected offline, got \(String(describing: outcome))")
      return
    }
    #expect(message.contains("till server"))
  }

  @Test func shortStockListsEveryShortLine() async throws {
    try await withEndToEndBackend { backend in
      let till = TillClientBackend(client: try await backend.client())
      let cart = try await till.createCart()
      for (sku, quantity) in [("BAK-010", 3), ("SAN-003", 2), ("BAK-001", 1)] {
        _ = try await till.increment(
          cartId: cart.id, sku: sku, delta: quantity, opId: TillClient.makeOperationID())
      }
      await #expect(
        throws: BackendFailure.insufficientStock([
          Shortage(sku: "BAK-010", requested: 3, available: 2),
          Shortage(sku: "SAN-003", requested: 2, available: 1),
        ])
      ) {
        _ = try await till.placeOrder(cartId: cart.id, idempotencyKey: TillClient.makeIdempotencyKey())
      }
    }
  }

  @Test func aDeclinedCardCarriesTheReason() async throws {
    try await withEndToEndBackend { backend in
      let till = TillClientBackend(client: try await backend.client())
      let order = try await placedOrder(till)
      try await backend.sandbox.arm(Fault(mode: .decline, reason: "card_expired"))
      await #expect(throws: BackendFailure.declined(reason: "card_expired")) {
        _ = try await till.pay(orderId: order.id, request: .card)
      }
      let paid = try await till.pay(orderId: order.id, request: .card).payment
      #expect(paid.status == .succeeded)
      #expect(paid.attempt == 2, "a new attempt after a definite decline")
    }
  }

  @Test func aCardStillProcessingIsAPendingPaymentNotAnError() async throws {
    let sandbox = try await SandboxHarness.start()
    let server = try await ServerHarness.start(
      products: [
        Product(
          sku: "BAK-001", name: "Croissant", category: "Bakery", price: Money(amount: 190, currency: "EUR"),
          stock: 5, barcode: "4012802137743")
      ],
      paymentProvider: ServerHarness.provider(sandbox),
      retryPolicy: PaymentCoordinator.RetryPolicy(maxCalls: 1))
    do {
      let till = TillClientBackend(client: try await TillClient.signedIn(baseURL: server.baseURL))
      let order = try await placedOrder(till)
      try await sandbox.arm(Fault(mode: .processing, count: 2, delayMs: 50))
      let first = try await till.pay(orderId: order.id, request: .card).payment
      let second = try await till.pay(orderId: order.id, request: .card).payment
      #expect(first.status == .pending)
      #expect(second.status == .pending)
      #expect(second.id == first.id, "asking again drives the same attempt")
      let answer = try await till.pay(orderId: order.id, request: .card)
      #expect(answer.payment.status == .succeeded)
      #expect(!answer.alreadyPaid, "the attempt this till started, settled")
      let charges = try await sandbox.payments()
      #expect(charges.count == 1)
    } catch {
      Issue.record(error)
    }
    await server.stop()
    await sandbox.stop()
  }

  @Test func refusalsKeepTheirKind() async throws {
    try await withEndToEndBackend { backend in
      let till = TillClientBackend(client: try await backend.client())
      let empty = try await till.createCart()
      await #expect(throws: BackendFailure.self) {
        _ = try await till.placeOrder(cartId: empty.id, idempotencyKey: TillClient.makeIdempotencyKey())
      }
      let order = try await placedOrder(till)
      _ = try await till.cancelOrder(order.id, approval: nil)
      let failures: [BackendFailure?] = [
        await failure { _ = try await till.placeOrder(cartId: empty.id, idempotencyKey: "order-empty") },
        await failure { _ = try await till.pay(orderId: order.id, request: .cash(tendered: order.total)) },
        await failure { _ = try await till.cancelOrder("no-such-order", approval: nil) },
        await failure {
          _ = try await TillClientBackend(client: backend.terminalClient(token: "wrong-token")).categories()
        },
      ]
      #expect(failures.map(\.?.kind) == [.emptyCart, .orderNotPayable, .notFound, .unauthorized])
      for failure in failures {
        guard case .rejected(_, let message) = failure else { continue }
        #expect(!message.isEmpty)
      }
    }
  }

  @Test func cardsWithoutAProviderSayTakeCash() async throws {
    let server = try await ServerHarness.start(products: try DemoCatalogue.load())
    let till = TillClientBackend(client: try await TillClient.signedIn(baseURL: server.baseURL))
    let outcome = await failure {
      let cart = try await till.createCart()
      _ = try await till.increment(
        cartId: cart.id, sku: "BAK-001", delta: 1, opId: TillClient.makeOperationID())
      let order = try await till.placeOrder(cartId: cart.id, idempotencyKey: TillClient.makeIdempotencyKey())
      _ = try await till.pay(orderId: order.id, request: .card)
    }
    await server.stop()
    #expect(outcome?.kind == .cardPaymentsNotConfigured)
  }

  @Test func serverFaultsAndOddAnswersAreServerFailures() {
    let problem = Problem(.internalError, status: 500, detail: "disk full")
    #expect(TillClientBackend.failure(for: .server(problem)) == .server("disk full"))
    #expect(
      TillClientBackend.failure(for: .unexpectedResponse(status: 302))
        == .server("unexpected answer, HTTP 302"))
    let unavailable = Problem(.paymentProviderUnavailable, status: 502, detail: "no answer")
    #expect(TillClientBackend.failure(for: .server(unavailable)).kind == .paymentProviderUnavailable)
  }

  /// The failure `body` threw, nil when it succeeded (or threw something else, which is recorded).
  func failure(_ body: () async throws -> Void) async -> BackendFailure? {
    do {
      try await body()
      return nil
    } catch let failure as BackendFailure {
      return failure
    } catch {
      Issue.record(error)
      return nil
    }
  }
}

extension BackendFailure {
  /// The problem kind of a refusal, for short comparisons.
  fileprivate var kind: ProblemKind? {
    if case .rejected(let kind, _) = self { return kind }
    return nil
  }
}
