import Foundation
import GRDB
import Testing
import TillCore
import TillStore
import TillTestSupport

/// What the tables hold after people work: who made each row, one audit row per action, and never a
/// PIN hash or a session token.
@Suite("Staff rows: carts, orders and payments record the person; one audit row per action")
struct StaffRowsTests {
  typealias S = StaffFixture

  @Test(arguments: StoreEngine.allCases)
  func everyListedActionLeavesExactlyOneRow(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      _ = try await S.signIn(store, S.cashier, digest: "session-digest-1")
      #expect(try await store.endSession(tokenDigest: "session-digest-1", now: S.at(1)))
      try await store.recordFailedAttempt(
        .signInFailed, code: "4242", terminal: S.terminal, subject: nil, now: S.at(2))
      let strict = AttemptPolicy(perCode: 1)
      #expect(
        try await store.reserveAttempt(code: "4242", terminal: S.terminal, now: S.at(3), policy: strict)
          == .allowed)
      try await store.recordFailedAttempt(
        .approvalRefused, code: S.manager, terminal: S.terminal, subject: nil, now: S.at(4))
      let cart = try await store.cart(with: [("BAK-002", 1)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.otherCashier, idempotencyKey: "k")
      _ = try await store.cancelOrder(
        id: order.order.id, by: Fixture.actor(staff: S.cashier),
        approval: VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager)))
      _ = try await store.adjustStock(sku: "BAK-001", delta: 4, reason: "delivery", by: S.admin)
      _ = try await store.disableStaff(code: S.otherCashier, by: S.admin)
      _ = try await store.resetPIN(code: S.cashier, pinHash: S.hash(S.cashier, 2), by: S.admin)

      let rows = try await S.trail(store).reversed()
      let expected: [AuditAction] = [
        .staffAdd, .staffAdd, .staffAdd, .signIn, .signOut, .signInFailed, .lockOut, .approvalRefused,
        .orderCancel, .stockAdjustment, .staffDisable, .staffPINReset,
      ]
      #expect(rows.map(\.action) == expected.map(\.rawValue))
      #expect(Set(rows.map(\.id)).count == rows.count)
      let text = rows.map { "\($0)" }.joined()
      #expect(!text.contains("hash-") && !text.contains("session-digest"), "no hash, no token, no digest")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func rowsRecordWhoMadeThem(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let paid = try await store.cart(with: [("BAK-001", 1)])
      _ = try await store.createCart(owner: Fixture.owner, staff: S.otherCashier)
      let order = try await store.placeOrder(
        cartId: paid.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "paid"
      ).order
      _ = try await store.payCash(
        orderId: order.id, owner: Fixture.owner, staff: S.otherCashier, tendered: order.total)
      let canceledCart = try await store.cart(with: [("BAK-002", 1)])
      let canceled = try await store.placeOrder(
        cartId: canceledCart.id, owner: Fixture.owner, staff: S.otherCashier, idempotencyKey: "canceled"
      ).order
      _ = try await store.cancelOrder(
        id: canceled.id, by: Fixture.actor(staff: S.cashier),
        approval: VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager)))
      _ = try await S.signIn(store, S.cashier, digest: "digest-only")

      #expect(
        try await Self.raw(store, "SELECT staff_code FROM carts ORDER BY staff_code") == [
          "1001", "1001", "1002",
        ])
      #expect(
        try await Self.raw(
          store, "SELECT staff_code, canceled_by, cancel_approved_by FROM orders ORDER BY number")
          == ["1001||", "1002|1001|2001"])
      #expect(try await Self.raw(store, "SELECT staff_code FROM payments") == ["1002"])
      #expect(
        try await Self.raw(store, "SELECT token_digest, staff_code FROM staff_sessions") == [
          "digest-only|1001"
        ])
    }
  }

  /// The answer to `sql` straight from the engine's tables, one line a row, columns joined by `|`,
  /// NULL as nothing (as `psql -A -t` prints it).
  static func raw(_ store: StaffedStore, _ sql: String) async throws -> [String] {
    if let sqlite = store as? SQLiteStore {
      let queue = try DatabaseQueue(path: sqlite.path)
      defer { try? queue.close() }
      return try await queue.read { db in
        try Row.fetchAll(db, sql: sql).map { row in
          row.databaseValues.map { $0.isNull ? "" : String(describing: $0.storage.value ?? "") }
            .joined(separator: "|")
        }
      }
    }
    let postgres = try #require(store as? PostgresStore)
    let output = try await PostgresCluster.shared().psql(sql, database: postgres.url.database)
    return output.split(separator: "\n").map(String.init)
  }
}
