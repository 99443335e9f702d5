import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Orders: placement, replay, rollback, listing")
struct OrderTests {
  @Test(arguments: StoreEngine.allCases)
  func placingAnOrderCapturesPricesAndClosesTheCart(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.cart(with: [("COF-001", 2), ("BAK-002", 1)])
      let placement = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "key-1")
      let order = placement.order
      #expect(!placement.replayed)
      #expect(order.number == 1 && order.status == .placed && order.payment == nil)
      #expect(order.id == order.id.lowercased() && UUID(uuidString: order.id) != nil)
      #expect(order.lines.map(\.sku) == ["BAK-002", "COF-001"])
      #expect(order.lines.map(\.lineTotal.amount) == [190, 640])
      #expect(order.total == Money(amount: 830, currency: "EUR"))
      #expect(ISO8601DateFormatter().date(from: order.createdAt) != nil && order.createdAt.hasSuffix("Z"))
      #expect(try await store.stock(of: "COF-001") == 98)
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner).status == .checkedOut)
      #expect(try await store.order(id: order.id, owner: Fixture.owner) == order)

      // The till's order numbers are sequential.
      let next = try await store.cart(with: [("COF-002", 1)])
      let second = try await store.placeOrder(
        cartId: next.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "key-2")
      #expect(second.order.number == 2)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func sameKeyReplaysAndAnotherCartIsRefused(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.cart(with: [("BAK-001", 3)])
      let first = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "same")
      let again = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "same")
      #expect(again.replayed && again.order == first.order)
      #expect(try await store.stock(of: "BAK-001") == 97)

      let other = try await store.cart(with: [("BAK-001", 1)])
      await #expect(throws: StoreError.idempotencyKeyReused) {
        try await store.placeOrder(
          cartId: other.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "same")
      }
      // Keys belong to their owner: another owner's "same" is a different key, and their cart is theirs.
      let foreign = try await store.cart(owner: Fixture.otherOwner, with: [("BAK-001", 1)])
      let theirs = try await store.placeOrder(
        cartId: foreign.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "same")
      #expect(!theirs.replayed && theirs.order.id != first.order.id)
      await #expect(throws: StoreError.cartClosed) {
        try await store.placeOrder(
          cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "fresh")
      }
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func emptyForeignAndUnknownCartsAreRefused(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let empty = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      await #expect(throws: StoreError.emptyCart) {
        try await store.placeOrder(
          cartId: empty.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "e")
      }
      let full = try await store.cart(with: [("BAK-001", 1)])
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.placeOrder(
          cartId: full.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "f")
      }
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.placeOrder(
          cartId: "no-such-cart", owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "g")
      }
      // Refusals leave no key behind: the same keys work for a valid cart afterwards.
      let placed = try await store.placeOrder(
        cartId: full.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "e")
      #expect(!placed.replayed)
      await #expect(throws: StoreError.notFound(what: "order")) {
        try await store.order(id: placed.order.id, owner: Fixture.otherOwner)
      }
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func shortLinesRollEverythingBack(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      // Two short lines (stock 2 and 1) among four.
      let cart = try await store.cart(with: [("BAK-001", 5), ("BAK-003", 3), ("COF-001", 1), ("SAN-001", 4)])
      let stockBefore = try await store.products(matching: ProductQuery(limit: 100)).items
      await #expect(
        throws: StoreError.insufficientStock([
          Shortage(sku: "BAK-003", requested: 3, available: 2),
          Shortage(sku: "SAN-001", requested: 4, available: 1),
        ])
      ) {
        try await store.placeOrder(
          cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "short")
      }
      #expect(try await store.products(matching: ProductQuery(limit: 100)).items == stockBefore)
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner) == cart)
      #expect(try await store.allOrders().isEmpty)

      // Fixing the cart lets the same key go through: the refused attempt stored nothing.
      _ = try await store.applyIncrement(
        IncrementRequest(sku: "BAK-003", delta: -1, opId: "fix-1"), cartId: cart.id, owner: Fixture.owner)
      _ = try await store.applyIncrement(
        IncrementRequest(sku: "SAN-001", delta: -3, opId: "fix-2"), cartId: cart.id, owner: Fixture.owner)
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "short")
      #expect(placed.order.lines.map(\.quantity) == [5, 2, 1, 1])
      #expect(try await store.stock(of: "BAK-003") == 0)
      #expect(try await store.stock(of: "SAN-001") == 0)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func ordersListNewestFirstWithPagingAndFilter(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      for index in 0..<7 {
        let cart = try await store.cart(with: [("COF-002", 1)])
        _ = try await store.placeOrder(
          cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k\(index)")
      }
      let foreign = try await store.cart(owner: Fixture.otherOwner, with: [("COF-002", 1)])
      _ = try await store.placeOrder(
        cartId: foreign.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "x")

      let first = try await store.orders(owner: Fixture.owner, status: nil, limit: 3, after: nil)
      #expect(first.items.map(\.number) == [7, 6, 5])
      #expect(first.next == "5")
      let all = try await store.allOrders()
      #expect(all.map(\.number) == [7, 6, 5, 4, 3, 2, 1])
      let placed = try await store.orders(owner: Fixture.owner, status: .placed, limit: 50, after: nil)
      #expect(placed.items.count == 7 && placed.next == nil)
      let paid = try await store.orders(owner: Fixture.owner, status: .paid, limit: 50, after: nil)
      #expect(paid.items.isEmpty)
      let garbage = try await store.orders(owner: Fixture.owner, status: nil, limit: 50, after: "abc")
      #expect(garbage.items.isEmpty && garbage.next == nil)
      // Numbers count per till: the other till's first order is its number 1.
      let theirs = try await store.allOrders(owner: Fixture.otherOwner)
      #expect(theirs.map(\.number) == [1])
    }
  }
}
