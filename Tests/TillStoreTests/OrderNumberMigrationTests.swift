import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

@testable import TillStore

/// A database written while order numbers were global, migrated: every old order keeps its number,
/// lines, key and payment, and each owner's next order continues after that owner's highest number.
@Suite("Order numbers per till: migrating a database with global numbers")
struct OrderNumberMigrationTests {
  static let charlie = "staff-charlie"

  @Test(arguments: StoreEngine.allCases)
  func ownersContinueFromTheirHighestNumber(engine: StoreEngine) async throws {
    let store = try await Self.storeWithGlobalNumbers(engine)
    do {
      let alpha = try await store.cart(owner: Fixture.owner, with: [("P-1", 1)])
      let bravo = try await store.cart(owner: Fixture.otherOwner, with: [("P-1", 1)])
      let charlie = try await store.cart(owner: Self.charlie, with: [("P-1", 1)])
      let alphaNext = try await store.placeOrder(
        cartId: alpha.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "new")
      let bravoNext = try await store.placeOrder(
        cartId: bravo.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "new")
      let charlieFirst = try await store.placeOrder(
        cartId: charlie.id, owner: Self.charlie, staff: Fixture.staff, idempotencyKey: "new")
      #expect(alphaNext.order.number == 4 && bravoNext.order.number == 5 && charlieFirst.order.number == 1)

      // An old key still replays its order, with its lines and its payment.
      let replay = try await store.placeOrder(
        cartId: "c1", owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "old-1")
      #expect(replay.replayed && replay.order.id == "o1" && replay.order.number == 1)
      #expect(replay.order.lines.map(\.quantity) == [2] && replay.order.payment?.status == .succeeded)
      #expect(try await store.allOrders(owner: Fixture.owner).map(\.number) == [4, 3, 1])
      #expect(try await store.allOrders(owner: Fixture.otherOwner).map(\.number) == [5, 4, 2])
    } catch {
      await disposeTestStore(store)
      throw error
    }
    do {
      if let sqlite = store as? SQLiteStore { try Self.checkRebuiltSQLiteTable(path: sqlite.path) }
    } catch {
      await disposeTestStore(store)
      throw error
    }
    await disposeTestStore(store)
  }

  /// The rebuilt table: foreign keys of the tables that reference it hold, and its unique index is
  /// (owner, number).
  static func checkRebuiltSQLiteTable(path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.read { db in
      #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
      let targets = try String.fetchAll(
        db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('order_lines')")
      #expect(targets.contains("orders"))
      let unique = try Row.fetchAll(
        db, sql: "SELECT name FROM pragma_index_list('orders') WHERE \"unique\" = 1"
      )
      .map { $0["name"] as String }
      #expect(unique.contains("orders_by_owner"))
      let numberUnique = try Row.fetchAll(
        db,
        sql: """
          SELECT 1 FROM pragma_index_list('orders') AS list
          JOIN pragma_index_info(list.name) AS info
          WHERE list."unique" = 1 AND info.name = 'number' AND
            (SELECT count(*) FROM pragma_index_info(list.name)) = 1
          """)
      #expect(numberUnique.isEmpty, "no index keeps numbers unique across owners")
    }
    try queue.close()
  }

  /// A store over a database built by the migrations before numbers were per till, holding orders
  /// numbered globally (alpha 1 and 3, bravo 2 and 4), then opened, which migrates it.
  static func storeWithGlobalNumbers(_ engine: StoreEngine) async throws -> any Store {
    try await storeWithGlobalRows(engine, sqliteUpTo: "v3-owner-secret", postgresThrough: 3)
  }

  /// A store over a database built by the migrations up to and including `sqliteUpTo` (SQLite) or
  /// `postgresThrough` (PostgreSQL), holding the rows of `globalRows`, then opened, which migrates it.
  static func storeWithGlobalRows(_ engine: StoreEngine, sqliteUpTo: String, postgresThrough: Int)
    async throws -> any Store
  {
    switch engine {
    case .sqlite:
      let directory = TemporaryDirectory.freshFile("till-migration")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent("till.sqlite").path
      let queue = try DatabaseQueue(path: path)
      try SQLiteSchema.migrator.migrate(queue, upTo: sqliteUpTo)
      try await queue.write { db in
        try db.execute(sql: globalRows(change: "change", createdAt: ", created_at"))
      }
      try queue.close()
      return try await SQLiteStore.open(path: path)
    case .postgres:
      let cluster = try await PostgresCluster.shared()
      let url = try await cluster.makeDatabase()
      let target = try PostgresURL.parse(url)
      try await PostgresStore.migrate(target, through: postgresThrough)
      _ = try await cluster.psql(globalRows(change: "change_given", createdAt: ""), database: target.database)
      return try await PostgresStore.connect(to: target)
    }
  }

  /// The rows as the global numbering wrote them; `createdAt` is the column list's tail for engines
  /// without a default.
  static func globalRows(change: String, createdAt: String) -> String {
    let now = createdAt.isEmpty ? "" : ", '2026-01-01T00:00:00Z'"
    let orders = [
      ("o1", 1, Fixture.owner), ("o2", 2, Fixture.otherOwner), ("o3", 3, Fixture.owner),
      ("o4", 4, Fixture.otherOwner),
    ]
    var sql = """
      INSERT INTO products (sku, name, category, price_amount, currency, stock, barcode, search_text)
      VALUES ('P-1', 'Pretzel', 'Bakery', 100, 'EUR', 100, '4000000000017', 'pretzel p-1');

      """
    for (index, (order, number, owner)) in orders.enumerated() {
      let cart = "c\(index + 1)"
      sql += """
        INSERT INTO carts (id, owner, status\(createdAt)) VALUES ('\(cart)', '\(owner)', 'checked_out'\(now));
        INSERT INTO orders (id, number, owner, status, total_amount, currency\(createdAt), cart_id)
        VALUES ('\(order)', \(number), '\(owner)', 'placed', 200, 'EUR'\(now), '\(cart)');
        INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount)
        VALUES ('\(order)', 'P-1', 'Pretzel', 2, 100, 200);
        INSERT INTO idempotency_keys (owner, key, cart_id, order_id\(createdAt))
        VALUES ('\(owner)', 'old-\(number)', '\(cart)', '\(order)'\(now));

        """
    }
    sql += """
      UPDATE orders SET status = 'paid' WHERE id = 'o1';
      INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, \(change), attempt\(createdAt))
      VALUES ('pay-1', 'o1', 'cash', 'succeeded', 200, 'EUR', 200, 0, 1\(now));
      """
    return sql
  }
}
