import Foundation
import Testing
import TillCore
import TillLocalServices
import TillStore
import TillTestSupport

/// Every audit row's time is the back end's clock, as the store is given it, never the database's own:
/// one clock for every row, so `at` never runs backwards against `seq`.
@Suite("Audit times: the back end's clock on every engine")
struct AuditClockTests {
  typealias S = StaffFixture

  @Test(arguments: StoreEngine.allCases)
  func stockAdjustmentAndCancelRowsUseTheBackEndsClock(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { fixtureStore in
      let pastClock = try await Self.storeWithDatabaseClockInThePast(fixtureStore)
      let store = pastClock ?? fixtureStore
      let cart = try await store.cart(with: [("BAK-002", 1)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "clock"
      ).order
      _ = try await store.cancelOrder(id: order.id, by: Fixture.actor(staff: S.cashier), approval: nil)
      _ = try await store.adjustStock(sku: "BAK-001", delta: 4, reason: "delivery", by: S.admin)
      let rows = try await store.audit(limit: 2, after: nil).items
      await pastClock?.close()
      #expect(rows.map(\.action) == ["stock-adjustment", "order-cancel"])
      let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())
      for row in rows {
        #expect(row.at.hasPrefix("\(thisYear)-"), "\(row.action) at \(row.at)")
      }
    }
  }

  /// On PostgreSQL, a new store on the same database whose `now()` answers the year 2000 (a function of
  /// that name earlier on the search path than the built-in one); nil for SQLite, which has no clock of
  /// its own.
  static func storeWithDatabaseClockInThePast(_ store: StaffedStore) async throws -> PostgresStore? {
    guard let postgres = store as? PostgresStore else { return nil }
    let database = postgres.url.database
    _ = try await PostgresCluster.shared().psql(
      """
      CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql
        AS $$ SELECT timestamptz '2000-01-01 00:00:00+00' $$;
      ALTER DATABASE "\(database)" SET search_path = public, pg_catalog;
      """, database: database)
    return try await PostgresStore.connect(to: postgres.url, maximumConnections: 2)
  }
}
