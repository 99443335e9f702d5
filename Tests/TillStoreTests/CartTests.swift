import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Carts: increments, opIds, limits, owners")
struct CartTests {
  @Test(arguments: StoreEngine.allCases)
  func incrementsAddRemoveAndTotal(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let empty = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      #expect(empty.status == .open && empty.lines.isEmpty && empty.total == .zero("EUR"))
      var cart = try await store.cart(owner: Fixture.owner, with: [("COF-001", 2), ("BAK-001", 3)])
      #expect(cart.lines.map(\.sku) == ["BAK-001", "COF-001"])
      #expect(cart.lines.map(\.quantity) == [3, 2])
      #expect(cart.lines[1].unitPrice == Money(amount: 320, currency: "EUR"))
      #expect(cart.lines[1].lineTotal == Money(amount: 640, currency: "EUR"))
      #expect(cart.lines[0].available == 100)
      #expect(cart.total == Money(amount: 3 * 60 + 640, currency: "EUR"))

      // The result never goes below zero, and zero removes the line.
      cart = try await store.applyIncrement(
        IncrementRequest(sku: "BAK-001", delta: -50, opId: "remove-rolls"), cartId: cart.id,
        owner: Fixture.owner)
      #expect(cart.lines.map(\.sku) == ["COF-001"])
      // A decrement of a line that is not there changes nothing.
      cart = try await store.applyIncrement(
        IncrementRequest(sku: "SNK-001", delta: -1, opId: "absent"), cartId: cart.id, owner: Fixture.owner)
      #expect(cart.lines.map(\.sku) == ["COF-001"])
      let reread = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(reread == cart)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func sameOperationAppliesOnce(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      let op = IncrementRequest(sku: "COF-002", delta: 4, opId: "op-1")
      let first = try await store.applyIncrement(op, cartId: cart.id, owner: Fixture.owner)
      let second = try await store.applyIncrement(op, cartId: cart.id, owner: Fixture.owner)
      #expect(first.lines.map(\.quantity) == [4])
      #expect(second == first)
      await #expect(throws: StoreError.operationReused(opId: "op-1")) {
        try await store.applyIncrement(
          IncrementRequest(sku: "COF-002", delta: 5, opId: "op-1"), cartId: cart.id, owner: Fixture.owner)
      }
      await #expect(throws: StoreError.operationReused(opId: "op-1")) {
        try await store.applyIncrement(
          IncrementRequest(sku: "COF-001", delta: 4, opId: "op-1"), cartId: cart.id, owner: Fixture.owner)
      }
      let after = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(after.lines.map(\.quantity) == [4])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func lineQuantityLimitChangesNothing(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      for index in 0..<10 {
        _ = try await store.applyIncrement(
          IncrementRequest(sku: "BAK-002", delta: 999, opId: "fill-\(index)"), cartId: cart.id,
          owner: Fixture.owner)
      }
      await #expect(throws: StoreError.quantityLimit(sku: "BAK-002", limit: Limits.maxLineQuantity)) {
        try await store.applyIncrement(
          IncrementRequest(sku: "BAK-002", delta: 10, opId: "too-many"), cartId: cart.id, owner: Fixture.owner
        )
      }
      // The refused opId was not recorded: it may carry another change later.
      let last = try await store.applyIncrement(
        IncrementRequest(sku: "BAK-002", delta: 9, opId: "too-many"), cartId: cart.id, owner: Fixture.owner)
      #expect(last.lines.map(\.quantity) == [Limits.maxLineQuantity])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func cartLineLimit(engine: StoreEngine) async throws {
    let products = DemoCatalogue.synthetic(count: Limits.maxCartLines + 1)
    try await withTestStore(engine, products: products) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      for product in products.prefix(Limits.maxCartLines) {
        _ = try await store.applyIncrement(
          IncrementRequest(sku: product.sku, delta: 1, opId: "add-\(product.sku)"), cartId: cart.id,
          owner: Fixture.owner)
      }
      let extra = try #require(products.last)
      await #expect(throws: StoreError.cartLineLimit(limit: Limits.maxCartLines)) {
        try await store.applyIncrement(
          IncrementRequest(sku: extra.sku, delta: 1, opId: "one-too-many"), cartId: cart.id,
          owner: Fixture.owner)
      }
      // Existing lines still change, and a decrement of an absent line is no new line.
      let first = try #require(products.first)
      let more = try await store.applyIncrement(
        IncrementRequest(sku: first.sku, delta: 1, opId: "more"), cartId: cart.id, owner: Fixture.owner)
      #expect(more.lines.count == Limits.maxCartLines)
      #expect(more.lines.first?.quantity == 2)
      let none = try await store.applyIncrement(
        IncrementRequest(sku: extra.sku, delta: -1, opId: "minus-absent"), cartId: cart.id,
        owner: Fixture.owner)
      #expect(none.lines.count == Limits.maxCartLines)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func unknownProductAndForeignCartsAreNotFound(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.cart(owner: Fixture.owner, with: [("BAK-001", 1)])
      await #expect(throws: StoreError.notFound(what: "product")) {
        try await store.applyIncrement(
          IncrementRequest(sku: "NOPE-9", delta: 1, opId: "x"), cartId: cart.id, owner: Fixture.owner)
      }
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.cart(id: cart.id, owner: Fixture.otherOwner)
      }
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.applyIncrement(
          IncrementRequest(sku: "BAK-001", delta: 1, opId: "setup-0"), cartId: cart.id,
          owner: Fixture.otherOwner)
      }
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.cart(id: "00000000-0000-0000-0000-000000000000", owner: Fixture.owner)
      }
      let unchanged = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(unchanged.lines.map(\.quantity) == [1])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func checkedOutCartRefusesNewIncrements(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.cart(owner: Fixture.owner, with: [("BAK-001", 2)])
      _ = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k1")
      await #expect(throws: StoreError.cartClosed) {
        try await store.applyIncrement(
          IncrementRequest(sku: "BAK-001", delta: 1, opId: "late"), cartId: cart.id, owner: Fixture.owner)
      }
      // A retry of an op that was applied before checkout still answers the cart.
      let retried = try await store.applyIncrement(
        IncrementRequest(sku: "BAK-001", delta: 2, opId: "setup-0"), cartId: cart.id, owner: Fixture.owner)
      #expect(retried.status == .checkedOut)
      #expect(retried.lines.map(\.quantity) == [2])
    }
  }
}
