import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// `PaymentStore` conformance: run against every engine that implements it.
@Suite("Payments and cancel in the store")
struct PaymentStoreTests {
  /// A store of `engine` that pays, with one placed order of 2 × COF-001 (6.40 EUR).
  static func withPlacedOrder(
    _ engine: StoreEngine, _ body: (any Store & PaymentStore, Order) async throws -> Void
  ) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { anyStore in
      let store = try #require(
        anyStore as? any Store & PaymentStore, "\(engine) does not implement PaymentStore")
      let cart = try await store.cart(with: [("COF-001", 2)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k"
      ).order
      try await body(store, order)
    }
  }

  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  /// Starts a card attempt on `order` that must be written now (not resumed, not already paid); the
  /// test fails with `comment` otherwise.
  static func newCardAttempt(
    _ store: any Store & PaymentStore, on order: Order, _ comment: Comment,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> PendingCardPayment {
    let start = try await store.beginCardPayment(
      orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
    guard case .started(let attempt) = start else {
      throw TestFailure(comment: comment, sourceLocation: sourceLocation, answer: "\(start)")
    }
    return attempt
  }

  @Test(arguments: StoreEngine.allCases)
  func cashPaysOnceWithChange(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      let owner = Fixture.owner
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: owner, staff: Fixture.staff, tendered: Self.eur(639))
        }
          == .failure(.insufficientTender(total: Self.eur(640))))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: owner, staff: Fixture.staff,
            tendered: Money(amount: 900, currency: "USD"))
        } == .failure(.currencyMismatch(expected: "EUR")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: Fixture.otherOwner, staff: Fixture.staff, tendered: Self.eur(900))
        } == .failure(.notFound(what: "order")))
      #expect(try await store.order(id: order.id, owner: owner) == order)

      let record = try await store.payCash(
        orderId: order.id, owner: owner, staff: Fixture.staff, tendered: Self.eur(1000))
      #expect(record.created)
      let payment = record.payment
      #expect(payment.method == .cash && payment.status == .succeeded && payment.attempt == 1)
      #expect(payment.amount == Self.eur(640) && payment.change == Self.eur(360))
      let paid = try await store.order(id: order.id, owner: owner)
      #expect(paid.status == .paid && paid.payment == payment)
      let again = try await store.payCash(
        orderId: order.id, owner: owner, staff: Fixture.staff, tendered: Self.eur(5))
      #expect(again == PaymentRecord(payment: payment, created: false))
      #expect(
        try await store.beginCardPayment(orderId: order.id, owner: owner, staff: Fixture.staff)
          == .alreadyPaid(payment))
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func cardAttemptIsDurableBeforeTheProviderAndSettlesOnce(engine: StoreEngine) async throws {
    let first = try await makeTestStore(engine, products: Fixture.catalogue)
    let firstStore = try #require(first as? any Store & PaymentStore)
    let cart = try await firstStore.cart(with: [("COF-001", 1)])
    let order = try await firstStore.placeOrder(
      cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k"
    )
    .order
    guard
      case .started(let pending) = try await firstStore.beginCardPayment(
        orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
    else {
      Issue.record("expected a pending attempt")
      await disposeTestStore(first)
      return
    }
    #expect(pending.orderNumber == order.number)
    #expect(pending.payment.status == .pending && pending.payment.attempt == 1)
    #expect(pending.payment.idempotenceKey == "order-\(order.id)-payment-1")

    // As after a crash right after the provider call: the pending row is there on reopen.
    let reopened = try await reopenTestStore(first)
    let store = try #require(reopened as? any Store & PaymentStore)
    do {
      #expect(try await store.pendingCardPayments() == [pending])
      #expect(
        try await store.beginCardPayment(orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
          == .pending(pending))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(
            orderId: order.id, owner: Fixture.owner, staff: Fixture.staff, tendered: Self.eur(1000))
        } == .failure(.paymentPending(pending.payment)))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
        }
          == .failure(.paymentPending(pending.payment)))

      let settled = try await store.settleCardPayment(
        id: pending.payment.id, outcome: .succeeded(providerPaymentId: "pp-1"))
      #expect(settled.status == .succeeded && settled.id == pending.payment.id)
      // The second settle (recovery racing the live request) changes nothing.
      let late = try await store.settleCardPayment(id: pending.payment.id, outcome: .declined(reason: "late"))
      #expect(late == settled)
      #expect(try await store.pendingCardPayments().isEmpty)
      let paid = try await store.order(id: order.id, owner: Fixture.owner)
      #expect(paid.status == .paid && paid.payment == settled)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.settleCardPayment(id: "nope", outcome: .declined(reason: "x"))
        } == .failure(.notFound(what: "payment")))
    } catch {
      await disposeTestStore(reopened)
      throw error
    }
    await disposeTestStore(reopened)
  }

  @Test(arguments: StoreEngine.allCases)
  func declineLeavesTheOrderPayableAndTheNextAttemptIsTwo(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      guard
        case .started(let first) = try await store.beginCardPayment(
          orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
      else {
        Issue.record("expected a pending attempt")
        return
      }
      let declined = try await store.settleCardPayment(
        id: first.payment.id, outcome: .declined(reason: "card_expired"))
      #expect(declined.status == .declined && declined.declineReason == "card_expired")
      let placed = try await store.order(id: order.id, owner: Fixture.owner)
      #expect(placed.status == .placed && placed.payment == declined)
      guard
        case .started(let second) = try await store.beginCardPayment(
          orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
      else {
        Issue.record("expected a second attempt")
        return
      }
      #expect(second.payment.attempt == 2 && second.payment.idempotenceKey == "order-\(order.id)-payment-2")
      #expect(try await store.order(id: order.id, owner: Fixture.owner).payment == second.payment)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func cancelReturnsStockInTheSameTransaction(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { anyStore in
      let store = try #require(anyStore as? any Store & PaymentStore)
      let cart = try await store.cart(with: [("COF-001", 3), ("BAK-003", 2)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "c"
      ).order
      #expect(try await store.stock(of: "COF-001") == 97)
      #expect(try await store.stock(of: "BAK-003") == 0)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.cancelOrder(
            id: order.id, by: Fixture.actor(owner: Fixture.otherOwner), approval: nil)
        }
          == .failure(.notFound(what: "order")))
      let canceled = try await store.cancelOrder(
        id: order.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
      #expect(canceled.status == .canceled && canceled.lines == order.lines)
      #expect(try await store.stock(of: "COF-001") == 100)
      #expect(try await store.stock(of: "BAK-003") == 2)
      #expect(
        try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
          == canceled)
      #expect(try await store.stock(of: "COF-001") == 100)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.beginCardPayment(orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
        }
          == .failure(.orderNotPayable(status: .canceled)))

      let other = try await store.cart(with: [("COF-002", 1)])
      let paid = try await store.placeOrder(
        cartId: other.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "p"
      ).order
      _ = try await store.payCash(
        orderId: paid.id, owner: Fixture.owner, staff: Fixture.staff, tendered: Self.eur(220))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.cancelOrder(id: paid.id, by: Fixture.actor(owner: Fixture.owner), approval: nil)
        }
          == .failure(.orderNotCancelable(status: .paid)))
      #expect(try await store.stock(of: "COF-002") == 99)
    }
  }

  @Test(
    "50 concurrent card starts share one attempt; 50 concurrent cash payments create one",
    arguments: StoreEngine.allCases)
  func concurrentPaymentsMakeOne(engine: StoreEngine) async throws {
    try await Self.withPlacedOrder(engine) { store, order in
      let starts = try await withThrowingTaskGroup(of: CardPaymentStart.self) { group in
        for _ in 0..<50 {
          group.addTask {
            try await store.beginCardPayment(orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(Set(starts.map(\.attempt)).count == 1)
      let started = starts.filter { if case .started = $0 { true } else { false } }
      #expect(started.count == 1, "one request writes the attempt, the others resume it")
      guard let pending = starts.first?.attempt else {
        Issue.record("expected pending")
        return
      }
      _ = try await store.settleCardPayment(id: pending.payment.id, outcome: .declined(reason: "no"))

      let records = try await withThrowingTaskGroup(of: PaymentRecord.self) { group in
        for _ in 0..<50 {
          group.addTask {
            try await store.payCash(
              orderId: order.id, owner: Fixture.owner, staff: Fixture.staff, tendered: Self.eur(700))
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(records.filter(\.created).count == 1)
      #expect(Set(records.map(\.payment.id)).count == 1)
      #expect(records.first?.payment.attempt == 2)
    }
  }
}

/// A precondition of a test that did not hold; thrown so the test stops there and fails with it.
struct TestFailure: Error, CustomStringConvertible {
  let comment: Comment
  let sourceLocation: SourceLocation
  let answer: String

  var description: String { "\(comment) (answered \(answer)) at \(sourceLocation)" }
}
