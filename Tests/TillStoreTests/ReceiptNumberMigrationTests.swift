import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

@testable import TillStore

/// The pure rule, and a database written before receipts were numbered, migrated: its paid orders get
/// receipt numbers in order-number order per till (their paid time their payment's settle time), the
/// others none, and each till's next payment continues after its highest number.
@Suite("Receipt numbers: the rule and migrating a database without them")
struct ReceiptNumberMigrationTests {
  @Test func nextNumberFollowsTheLast() throws {
    #expect(try ReceiptNumbering.next(after: nil) == 1)
    #expect(try ReceiptNumbering.next(after: 1) == 2)
    #expect(try ReceiptNumbering.next(after: 41) == 42)
    #expect(throws: StoreError.self) { try ReceiptNumbering.next(after: Int.max) }
  }

  /// The migrations' numbering expression, evaluated by SQLite: rank 1 is the first number, and each
  /// later rank is one step on (what `next(after:)` gives for the rank before).
  @Test func legacyNumbersAreTheRuleFromTheFirst() throws {
    let queue = try DatabaseQueue()
    for rank in 1...5 {
      let number = try queue.read { db in
        try Int.fetchOne(db, sql: "SELECT \(ReceiptNumbering.legacyNumber(rank: String(rank)))")
      }
      let expected = try rank == 1 ? ReceiptNumbering.first : ReceiptNumbering.next(after: rank - 1)
      #expect(number == expected)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func paidOrdersAreNumberedInOrderNumberOrder(engine: StoreEngine) async throws {
    let (anyStore, database) = try await Self.storeWithUnnumberedReceipts(engine)
    do {
      let store = try #require(anyStore as? any Store & PaymentStore)
      let alpha = try await store.allOrders(owner: Fixture.owner)
      #expect(alpha.map(\.id) == ["o4", "o3", "o2", "o1"])
      #expect(alpha.map(\.receiptNumber) == [nil, 2, nil, 1])
      #expect(alpha.map(\.paidAt) == [nil, "2026-01-03T11:00:00Z", nil, "2026-01-02T10:00:00Z"])
      let bravo = try await store.allOrders(owner: Fixture.otherOwner)
      #expect(bravo.map(\.receiptNumber) == [2, 1])
      // An order paid without a payment row on record takes its creation time.
      #expect(bravo.map(\.paidAt) == ["2026-01-01T00:00:00Z", "2026-01-04T12:00:00Z"])

      if let database {
        let counters = try await PostgresCluster.shared().psql(
          "SELECT owner || '=' || last FROM receipt_counters ORDER BY owner", database: database)
        #expect(
          counters.split(separator: "\n").map(String.init) == [
            "\(Fixture.owner)=2", "\(Fixture.otherOwner)=2",
          ])
        // A missing counter starts after the till's highest number, one behind it catches up.
        _ = try await PostgresCluster.shared().psql(
          """
          DELETE FROM receipt_counters WHERE owner = '\(Fixture.owner)';
          UPDATE receipt_counters SET last = 1 WHERE owner = '\(Fixture.otherOwner)';
          """, database: database)
      }
      let eur = Money(amount: 1_000, currency: "EUR")
      _ = try await store.payCash(orderId: "o4", owner: Fixture.owner, staff: Fixture.staff, tendered: eur)
      #expect(try await store.order(id: "o4", owner: Fixture.owner).receiptNumber == 3)
      let cart = try await store.cart(owner: Fixture.otherOwner, with: [("P-1", 1)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "new")
      let start = try await store.beginCardPayment(
        orderId: order.order.id, owner: Fixture.otherOwner, staff: Fixture.staff)
      let attempt = try #require(start.attempt)
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "pp"))
      #expect(try await store.order(id: order.order.id, owner: Fixture.otherOwner).receiptNumber == 3)
      #expect(try await store.order(id: "o1", owner: Fixture.owner).receiptNumber == 1)
    } catch {
      await disposeTestStore(anyStore)
      throw error
    }
    await disposeTestStore(anyStore)
  }

  /// A store over a database built by the migrations up to staff sign-in, holding paid, canceled and
  /// placed orders of two tills, then opened, which migrates it; for PostgreSQL also the database name.
  static func storeWithUnnumberedReceipts(_ engine: StoreEngine) async throws -> (any Store, String?) {
    switch engine {
    case .sqlite:
      let directory = TemporaryDirectory.freshFile("till-receipt-migration")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let path = directory.appendingPathComponent("till.sqlite").path
      let queue = try DatabaseQueue(path: path)
      try SQLiteSchema.migrator.migrate(queue, upTo: "v5-staff")
      try await queue.write { db in try db.execute(sql: rows(sqlite: true)) }
      try queue.close()
      return (try await SQLiteStore.open(path: path), nil)
    case .postgres:
      let cluster = try await PostgresCluster.shared()
      let target = try PostgresURL.parse(try await cluster.makeDatabase())
      try await PostgresStore.migrate(target, through: 5)
      _ = try await cluster.psql(rows(sqlite: false), database: target.database)
      return (try await PostgresStore.connect(to: target), target.database)
    }
  }

  /// Alpha: 1 paid in cash, 2 canceled, 3 paid by card after a declined attempt, 4 placed. Bravo:
  /// 1 paid in cash, 2 paid with no payment row.
  static func rows(sqlite: Bool) -> String {
    let created = "2026-01-01T00:00:00Z"
    let change = sqlite ? "change" : "change_given"
    let (alpha, bravo) = (Fixture.owner, Fixture.otherOwner)
    let orders = [
      ("o1", 1, alpha, "paid"), ("o2", 2, alpha, "canceled"), ("o3", 3, alpha, "paid"),
      ("o4", 4, alpha, "placed"),
      ("o5", 1, bravo, "paid"), ("o6", 2, bravo, "paid"),
    ]
    var sql = """
      INSERT INTO products (sku, name, category, price_amount, currency, stock, barcode, search_text)
      VALUES ('P-1', 'Pretzel', 'Bakery', 100, 'EUR', 100, '4000000000017', 'pretzel p-1');

      """
    for (order, number, owner, status) in orders {
      sql += """
        INSERT INTO carts (id, owner, status, created_at) VALUES ('c-\(order)', '\(owner)', 'checked_out', '\(created)');
        INSERT INTO orders (id, number, owner, status, total_amount, currency, created_at, cart_id)
        VALUES ('\(order)', \(number), '\(owner)', '\(status)', 200, 'EUR', '\(created)', 'c-\(order)');
        INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount)
        VALUES ('\(order)', 'P-1', 'Pretzel', 2, 100, 200);

        """
    }
    let payments = [
      ("p1", "o1", "cash", "succeeded", 1, "2026-01-02T10:00:00Z"),
      ("p3a", "o3", "card", "declined", 1, "2026-01-02T11:00:00Z"),
      ("p3b", "o3", "card", "succeeded", 2, "2026-01-03T11:00:00Z"),
      ("p5", "o5", "cash", "succeeded", 1, "2026-01-04T12:00:00Z"),
    ]
    for (id, order, method, status, attempt, settled) in payments {
      let cash = method == "cash" ? "200, 0" : "NULL, NULL"
      sql += """
        INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, \(change), attempt,
          created_at, settled_at)
        VALUES ('\(id)', '\(order)', '\(method)', '\(status)', 200, 'EUR', \(cash), \(attempt), '\(created)',
          '\(settled)');

        """
    }
    return sql
  }
}
