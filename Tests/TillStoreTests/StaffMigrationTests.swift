import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// A database written before people signed in, migrated: its carts, orders and payments belong to the
/// legacy person, keep working, and new ones record who made them.
@Suite("Staff: migrating a database from before sign-in")
struct StaffMigrationTests {
  @Test(arguments: StoreEngine.allCases)
  func earlierRowsBelongToTheLegacyPerson(engine: StoreEngine) async throws {
    let anyStore = try await Self.storeBeforeStaff(engine)
    do {
      let store = try #require(anyStore as? StaffedStore)
      let old = try await store.order(id: "o1", owner: Fixture.owner)
      #expect(old.staff == LegacyStaff.code && old.number == 1 && old.payment?.status == .succeeded)
      #expect(
        try await store.allOrders(owner: Fixture.otherOwner).map(\.staff) == [
          LegacyStaff.code, LegacyStaff.code,
        ])
      // A legacy order is someone else's: a cashier needs an approval, a manager does not.
      let cashier = Fixture.actor(owner: Fixture.otherOwner)
      let refused = await outcome { () async throws(StoreError) in
        try await store.cancelOrder(id: "o2", by: cashier, approval: nil)
      }
      #expect(refused == .failure(.approvalRequired))
      let manager = Fixture.actor(owner: Fixture.otherOwner, staff: "2001", role: .manager)
      #expect(try await store.cancelOrder(id: "o2", by: manager, approval: nil).status == .canceled)
      let cart = try await store.cart(owner: Fixture.owner, with: [("P-1", 1)])
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "new")
      #expect(placed.order.staff == Fixture.staff && placed.order.number == 4)
      #expect(try await store.staff().isEmpty)
      #expect(try await store.audit(limit: 10, after: nil).items.map(\.action) == ["order-cancel"])
    } catch {
      await disposeTestStore(anyStore)
      throw error
    }
    await disposeTestStore(anyStore)
  }

  /// A store over a database migrated up to order numbers per till (the last schema without staff),
  /// holding the rows `OrderNumberMigrationTests.globalRows` writes, then opened, which migrates it.
  static func storeBeforeStaff(_ engine: StoreEngine) async throws -> any Store {
    try await OrderNumberMigrationTests.storeWithGlobalRows(
      engine, sqliteUpTo: "v4-order-numbers-per-till", postgresThrough: 4)
  }
}
