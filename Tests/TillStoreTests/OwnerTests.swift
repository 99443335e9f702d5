import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Owners: the per-database secret and renaming legacy owner ids")
struct OwnerTests {
  static let legacy = "o-legacy-owner"
  static let current = "h-current-owner"

  @Test(arguments: StoreEngine.allCases)
  func secretIsMadeOnceAndKept(engine: StoreEngine) async throws {
    let store = try await makeTestStore(engine, products: [])
    let other = try await makeTestStore(engine, products: [])
    let first = try await store.ownerSecret()
    #expect(first.count == OwnerSecret.byteCount)
    #expect(try await store.ownerSecret() == first)
    #expect(try await other.ownerSecret() != first, "each database makes its own secret")
    await disposeTestStore(other)
    let reopened = try await reopenTestStore(store)
    #expect(try await reopened.ownerSecret() == first, "the secret survives a restart")
    await disposeTestStore(reopened)
  }

  @Test(arguments: StoreEngine.allCases)
  func renamingMovesEveryOwnedRowOnce(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let placed = try await store.cart(owner: Self.legacy, with: [("COF-001", 2)])
      let order = try await store.placeOrder(
        cartId: placed.id, owner: Self.legacy, staff: Fixture.staff, idempotencyKey: "key-1")
      let open = try await store.cart(owner: Self.legacy, with: [("BAK-001", 1)])
      let bystander = try await store.cart(owner: Fixture.otherOwner, with: [("BAK-001", 1)])
      let renames = [
        OwnerRename(old: Self.legacy, new: Self.current), OwnerRename(old: Self.legacy, new: Self.current),
        OwnerRename(old: "o-nobody", new: "h-nobody"),
      ]

      // Two carts, one order, one idempotency key, and PostgreSQL's order counter; the repeated pair
      // counts once.
      #expect(try await store.renameOwners(renames) == (engine == .postgres ? 5 : 4))
      #expect(try await store.renameOwners(renames) == 0, "a second run changes nothing")

      #expect(try await store.cart(id: open.id, owner: Self.current).lines.map(\.sku) == ["BAK-001"])
      #expect(try await store.order(id: order.order.id, owner: Self.current) == order.order)
      #expect(try await store.allOrders(owner: Self.current).map(\.id) == [order.order.id])
      let replay = try await store.placeOrder(
        cartId: placed.id, owner: Self.current, staff: Fixture.staff, idempotencyKey: "key-1")
      #expect(replay.replayed && replay.order.id == order.order.id, "the key moved with its order")
      await #expect(throws: StoreError.notFound(what: "cart")) {
        try await store.cart(id: open.id, owner: Self.legacy)
      }
      #expect(try await store.allOrders(owner: Self.legacy).isEmpty)
      #expect(try await store.cart(id: bystander.id, owner: Fixture.otherOwner).lines.count == 1)
      // The owner's numbering continues after its moved order.
      let next = try await store.cart(owner: Self.current, with: [("COF-001", 1)])
      let placedNext = try await store.placeOrder(
        cartId: next.id, owner: Self.current, staff: Fixture.staff, idempotencyKey: "key-2")
      #expect(placedNext.order.number == order.order.number + 1)
      #expect(try await store.renameOwners([]) == 0)
    }
  }

  /// Rows under the new id before the rename (only a start that failed half-way leaves them): a row
  /// whose unique key (idempotency key, order number) the new id holds stays behind; the rest moves.
  @Test(arguments: StoreEngine.allCases)
  func rowsWhoseKeyIsTakenStayBehind(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let oldFirst = try await store.cart(owner: Self.legacy, with: [("COF-001", 1)])
      _ = try await store.placeOrder(
        cartId: oldFirst.id, owner: Self.legacy, staff: Fixture.staff, idempotencyKey: "first")
      let oldSecond = try await store.cart(owner: Self.legacy, with: [("COF-001", 1)])
      let moving = try await store.placeOrder(
        cartId: oldSecond.id, owner: Self.legacy, staff: Fixture.staff, idempotencyKey: "shared")
      let new = try await store.cart(owner: Self.current, with: [("COF-002", 1)])
      let newOrder = try await store.placeOrder(
        cartId: new.id, owner: Self.current, staff: Fixture.staff, idempotencyKey: "shared")

      let rename = [OwnerRename(old: Self.legacy, new: Self.current)]
      #expect(try await store.renameOwners(rename) >= 3, "both old carts, the second order, key \"first\"")
      #expect(try await store.renameOwners(rename) == 0)
      let replay = try await store.placeOrder(
        cartId: new.id, owner: Self.current, staff: Fixture.staff, idempotencyKey: "shared")
      #expect(replay.replayed && replay.order.id == newOrder.order.id, "the new owner's key is kept")
      let orders = try await store.allOrders(owner: Self.current)
      #expect(Set(orders.map(\.id)).isSuperset(of: [moving.order.id, newOrder.order.id]))
      #expect(Set(orders.map(\.number)).count == orders.count, "numbers stay unique per owner")
      #expect(try await store.cart(id: oldFirst.id, owner: Self.current).status == .checkedOut)
    }
  }
}
