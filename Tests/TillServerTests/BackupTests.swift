import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
import TillStore
import TillTestSupport

/// `till-server backup` and `restore` on real processes: a backup taken while 16 clients place and pay
/// orders restores to a database where stock is conserved and every order is whole; a restore is
/// refused while a server runs on the database; bad requests are one line and change nothing.
@Suite("till-server backup and restore", .serialized)
struct BackupTests {
  static let skus = (1...4).map { "BK-\($0)" }
  static let stock = 100_000
  static let clients = 16
  /// Each client's bound: the load stops once the backup is done, well before this.
  static let maxOrdersPerClient = 400
  static func terminalToken(_ index: Int) -> String { "backup-terminal-\(index)-6f0c2a9d8e7b1c3a" }

  /// Runs a till-server command (not serving) to its end: its exit status and everything it printed.
  static func command(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
    let process = try ServerProcess(arguments: arguments)
    let status = try await process.exitStatus(within: .seconds(60))
    return (status, process.log)
  }

  @Test("a backup under a 16-client order load restores whole; restore waits for the server to stop")
  func underLoad() async throws {
    let directory = try TemporaryDirectory.make("till-backup")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let backup = directory.appendingPathComponent("backup.sqlite").path
    let seed = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode(Self.skus.map { Fixtures.product($0, stock: Self.stock) }).write(to: seed)
    let tokens = (0..<4).map(Self.terminalToken)
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--database", database, "--seed", seed.path]
        + tokens.flatMap { ["--staff-token", $0] } + StaffSignIn.demoStaffArguments)
    defer { server.terminate() }
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    let sessions = try await StaffSignIn.sessions(baseURL: baseURL, terminalTokens: tokens)

    let acknowledged = AcknowledgedCount()
    let stop = AcknowledgedCount()
    var window = (before: 0, after: 0)
    let backedUp = try await withThrowingTaskGroup(of: Void.self) { group in
      for client in 0..<Self.clients {
        let token = try #require(sessions[tokens[client % tokens.count]])
        group.addTask {
          let api = APITestClient(baseURL: baseURL, token: token)
          for index in 0..<Self.maxOrdersPerClient where stop.value == 0 {
            let order = try await api.placedOrder([
              (Self.skus[(client + index) % Self.skus.count], 1 + index % 3)
            ])
            if index.isMultiple(of: 2) {
              _ = try await api.pay(order.id, .cash(tendered: order.total)).decoded(
                Payment.self, expecting: 201)
            }
            acknowledged.add()
          }
        }
      }
      // The backup starts once the load is well under way; the load goes on until it is done.
      try await eventually(within: .seconds(60), "the load got going") { acknowledged.value >= 40 }
      window.before = acknowledged.value
      let result = try await Self.command(["backup", "--to", backup, "--database", database])
      window.after = acknowledged.value
      let during = try await Self.command(["restore", "--from", backup, "--database", database])
      #expect(during.status == 1, "\(during.output)")
      #expect(during.output == "till-server: a server is running on \(database); stop it first\n")
      stop.add()
      try await group.waitForAll()
      return result
    }
    #expect(backedUp.0 == 0, "\(backedUp.1)")
    #expect(backedUp.1.hasPrefix("backed up \(database) to \(backup): "), "\(backedUp.1)")
    let total = acknowledged.value
    #expect(total > window.after, "the load went on after the backup")
    #expect(window.after > window.before, "orders were acknowledged while the backup ran")
    let attributes = try FileManager.default.attributesOfItem(atPath: backup)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

    // Restored to a new file: a database the server opens, with whole orders and stock conserved.
    let restored = directory.appendingPathComponent("restored.sqlite").path
    let fresh = try await Self.command(["restore", "--from", backup, "--database", restored])
    #expect(fresh.status == 0, "\(fresh.output)")
    let inBackup = try await Self.checkWhole(restored, atMost: total)
    print(
      "BackupTests: \(total) orders acknowledged; the backup began after \(window.before), ended after"
        + " \(window.after) and holds \(inBackup)")
    // Every order acknowledged before the backup began is in it; at most those acknowledged by its end,
    // and one in flight per client, are.
    #expect(inBackup >= window.before && inBackup <= window.after + Self.clients, "\(inBackup) in \(window)")
    let store = try await SQLiteStore.open(path: restored)
    #expect(try await store.schemaStatus().isCurrent)
    await store.close()

    // Restored over the served database once its server stopped: the backup's orders, no stale WAL.
    server.terminate()
    let over = try await Self.command(["restore", "--from", backup, "--database", database])
    #expect(over.status == 0, "\(over.output)")
    #expect(!FileManager.default.fileExists(atPath: database + "-wal"))
    #expect(try await Self.checkWhole(database, atMost: total) == inBackup)
  }

  /// Checks the invariants on the database at `path` and answers its number of orders (at most
  /// `atMost`): each product's stock plus what its placed and paid orders hold is the seeded stock;
  /// every order has lines adding up to its total; every paid order has one succeeded payment.
  static func checkWhole(_ path: String, atMost: Int) async throws -> Int {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try await queue.read { db in
      for sku in skus {
        let left = try Int.fetchOne(db, sql: "SELECT stock FROM products WHERE sku = ?", arguments: [sku])
        let sold = try Int.fetchOne(
          db,
          sql: """
            SELECT COALESCE(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE l.sku = ? AND o.status <> 'canceled'
            """, arguments: [sku])
        #expect((left ?? 0) + (sold ?? 0) == stock, "stock of \(sku) is conserved")
      }
      let broken = try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM orders o
          WHERE o.total_amount <> (SELECT COALESCE(sum(line_total_amount), -1) FROM order_lines WHERE order_id = o.id)
            OR (o.status = 'paid') <> EXISTS (
              SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded')
          """)
      #expect(broken == 0, "every order whole, every paid order paid once")
      let orders = try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
      #expect(orders <= atMost)
      return orders
    }
  }

  @Test("an existing file, PostgreSQL, or a file that is not a backup: one line, and nothing changes")
  func refusals() async throws {
    let directory = try TemporaryDirectory.make("till-backup")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let store = try await SQLiteStore.open(path: database)
    _ = try await store.seedIfEmpty(with: [Fixtures.product("BK-1", stock: 7)])
    await store.close()
    let taken = directory.appendingPathComponent("taken.sqlite").path
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: taken))

    let overwrite = try await Self.command(["backup", "--to", taken, "--database", database])
    #expect(overwrite.status == 1 && overwrite.output.contains("exists; a backup never overwrites"))
    #expect(try String(contentsOfFile: taken, encoding: .utf8) == "keep me")

    let postgres = try await Self.command([
      "backup", "--to", taken, "--database", "postgres://till@127.0.0.1:1/x",
    ])
    #expect(postgres.status == 1 && postgres.output.contains("use pg_dump"), "\(postgres.output)")

    let garbage = try await Self.command(["restore", "--from", taken, "--database", database])
    #expect(garbage.status == 1, "\(garbage.output)")
    #expect(garbage.output.hasPrefix("till-server: ") && garbage.output.split(separator: "\n").count == 1)
    let after = try await SQLiteStore.open(path: database)
    #expect(try await after.product(sku: "BK-1").stock == 7, "the database is as it was")
    await after.close()
  }
}

/// A count shared by concurrent clients: orders acknowledged so far, or whether to stop.
private final class AcknowledgedCount: Sendable {
  private let count = Mutex(0)

  var value: Int { count.withLock { $0 } }

  func add() { count.withLock { $0 += 1 } }
}
