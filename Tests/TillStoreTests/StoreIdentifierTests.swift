import Testing
import TillCore
import TillStore
import TillTestSupport

/// Text holding U+0000, which PostgreSQL cannot store and SQLite can: both engines must answer alike,
/// and nothing may change.
@Suite("Identifiers holding U+0000: the same answer on every engine")
struct StoreIdentifierTests {
  @Test(arguments: StoreEngine.allCases)
  func opIdKeyAndCartId(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.cart(with: [("BAK-001", 2)])
      let owner = Fixture.owner
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.applyIncrement(
            IncrementRequest(sku: "BAK-001", delta: 1, opId: "op\0"), cartId: cart.id, owner: owner)
        } == .failure(.operationReused(opId: "op\0")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.placeOrder(
            cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: "key\0")
        } == .failure(.idempotencyKeyReused))
      for cartId in [cart.id + "\0", "\0" + cart.id] {
        #expect(
          await outcome { () async throws(StoreError) in try await store.cart(id: cartId, owner: owner) }
            == .failure(.notFound(what: "cart")))
        #expect(
          await outcome { () async throws(StoreError) in
            try await store.applyIncrement(
              IncrementRequest(sku: "BAK-001", delta: 1, opId: "op-2"), cartId: cartId, owner: owner)
          } == .failure(.notFound(what: "cart")))
        #expect(
          await outcome { () async throws(StoreError) in
            try await store.placeOrder(
              cartId: cartId, owner: owner, staff: Fixture.staff, idempotencyKey: "key-2")
          } == .failure(.notFound(what: "cart")))
      }
      #expect(
        await outcome { () async throws(StoreError) in try await store.cart(id: cart.id, owner: owner + "\0")
        }
          == .failure(.notFound(what: "cart")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.createCart(owner: "staff\0", staff: Fixture.staff)
        }
          == .failure(.engine("an owner cannot contain U+0000")))
      #expect(try await store.cart(id: cart.id, owner: owner) == cart)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func skusSearchesAndReasons(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.applyIncrement(
            IncrementRequest(sku: "BAK-001\0", delta: 1, opId: "op-1"), cartId: cart.id, owner: Fixture.owner)
        } == .failure(.notFound(what: "product")))
      #expect(
        await outcome { () async throws(StoreError) in try await store.product(sku: "BAK-001\0") }
          == .failure(.notFound(what: "product")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.adjustStock(sku: "BAK-001\0", delta: 1, reason: "count", by: .admin)
        } == .failure(.notFound(what: "product")))
      #expect(try await store.products(matching: ProductQuery(text: "Br\0")).items.isEmpty)
      #expect(try await store.products(matching: ProductQuery(category: "Bakery\0")).items.isEmpty)
      let after = try await store.products(matching: ProductQuery(after: "BAK-002\0"))
      #expect(after.items.first?.sku == "BAK-003")
      let restocked = try await store.adjustStock(
        sku: "BAK-001", delta: 1, reason: "found\0behind the shelf", by: .admin)
      #expect(restocked.stock == 101)
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner).lines.isEmpty)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func ordersAndPayments(engine: StoreEngine) async throws {
    try await PaymentStoreTests.withPlacedOrder(engine) { store, order in
      let owner = Fixture.owner
      let notFound = Result<Order, StoreError>.failure(.notFound(what: "order"))
      let id = order.id + "\0"
      #expect(
        await outcome { () async throws(StoreError) in try await store.order(id: id, owner: owner) }
          == notFound)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.cancelOrder(id: id, by: Fixture.actor(owner: owner), approval: nil)
        }
          == notFound)
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.payCash(orderId: id, owner: owner, staff: Fixture.staff, tendered: order.total)
        } == .failure(.notFound(what: "order")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.beginCardPayment(orderId: id, owner: owner, staff: Fixture.staff)
        }
          == .failure(.notFound(what: "order")))
      #expect(
        await outcome { () async throws(StoreError) in
          try await store.settleCardPayment(id: "pay\0", outcome: .declined(reason: "x"))
        } == .failure(.notFound(what: "payment")))
      let foreign = try await store.orders(owner: owner + "\0", status: nil, limit: 10, after: nil)
      #expect(foreign.items.isEmpty)
      let unchanged = try await store.order(id: order.id, owner: owner)
      #expect(unchanged == order)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func declineReasonIsStoredAlike(engine: StoreEngine) async throws {
    try await PaymentStoreTests.withPlacedOrder(engine) { store, order in
      guard
        case .started(let pending) = try await store.beginCardPayment(
          orderId: order.id, owner: Fixture.owner, staff: Fixture.staff)
      else {
        Issue.record("a placed order must start a pending card attempt")
        return
      }
      let long = "no\0" + String(repeating: "x", count: 300)
      let declined = try await store.settleCardPayment(
        id: pending.payment.id, outcome: .declined(reason: long))
      #expect(declined.status == .declined)
      #expect(declined.declineReason == "no\u{FFFD}" + String(repeating: "x", count: 197))
      let reread = try await store.order(id: order.id, owner: Fixture.owner)
      #expect(reread.payment == declined)
    }
  }
}
