import Foundation
import TillLocalServices

/// `--compare-pgbench`: PostgreSQL's own client running the plain multi-statement order transaction on
/// the bench's database, in the same run and at the same client count as `order-hot`.
///
/// The transaction, written against our schema (PostgresMigrations): lock the 3 hot product rows in SKU
/// order, decrement their stock, insert the order, its 3 lines with their tax figures and its per-rate
/// row (the figures fixed: the plain transaction prices nothing). Our `orders.cart_id` is a unique
/// foreign key to `carts`, so the transaction also inserts the (already checked-out) cart row the order
/// references — the counterpart of our checkout closing its cart — and takes the till's next order number
/// from its counter row, as ours does; each pgbench client is a till of its own. No idempotency key row:
/// the plain transaction has none; ours has one.
struct PgbenchComparison: Sendable {
  let cluster: PostgresCluster
  let database: String
  let hotSKUs: [String]
  /// The owners of pgbench's orders are this followed by pgbench's client id.
  static let ownerPrefix = "pgbench-"

  /// pgbench's tps (without the initial connection time) at `clients` for about `seconds`.
  func run(clients: Int, seconds: Int) async throws -> Double {
    let executable = try Self.executable(cluster: cluster)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "till-pgbench-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = directory.appendingPathComponent("order.sql")
    try Self.script(hotSKUs: hotSKUs).write(to: script, atomically: true, encoding: .utf8)
    let process = try ChildProcess(
      executable: executable,
      arguments: [
        "-h", "127.0.0.1", "-p", String(cluster.port), "-U", cluster.user, "-n", "-M", "prepared",
        "-c", String(clients), "-j", String(min(clients, 2)), "-T", String(max(1, seconds)),
        "-f", script.path, database,
      ])
    guard let status = await process.waitForExit(timeout: .seconds(seconds + 60)) else {
      process.terminate()
      throw BenchError("pgbench did not finish in \(seconds + 60) s")
    }
    let output = process.standardOutput
    guard status == 0, let tps = Self.tps(in: output) else {
      throw BenchError("pgbench failed (exit \(status)): \(process.standardError.prefix(500))")
    }
    return tps
  }

  /// Units per SKU that pgbench's orders took, for the conservation check.
  func soldUnits() async throws -> [String: Int] {
    let output = try await cluster.psql(
      """
      SELECT l.sku, sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
      WHERE o.owner LIKE '\(Self.ownerPrefix)%' AND o.status <> 'canceled' GROUP BY l.sku
      """, database: database)
    var sold: [String: Int] = [:]
    for line in output.split(separator: "\n") {
      let fields = line.split(separator: "|")
      if fields.count == 2, let units = Int(fields[1]) { sold[String(fields[0]), default: 0] += units }
    }
    return sold
  }

  /// The pgbench script: one order of 1 unit of each hot product per transaction, numbered on the
  /// client's till counter (`\gset` keeps the number in the variable `number`).
  static func script(hotSKUs: [String]) -> String {
    let skus = hotSKUs.sorted()
    let list = skus.map { "'\($0)'" }.joined(separator: ", ")
    let owner = "'\(ownerPrefix)' || :client_id::text"
    let order = "'pgb-' || :client_id::text || '-' || :number::text"
    let cart = "'pgbc-' || :client_id::text || '-' || :number::text"
    let lines = skus.map { sku in
      "(\(order), '\(sku)', 'bench', 1, 100, 100, 0, 0, 100, 0)"
    }.joined(separator: ", ")
    return """
      BEGIN;
      SELECT sku, stock, price_amount FROM products WHERE sku IN (\(list)) ORDER BY sku FOR UPDATE;
      UPDATE products SET stock = stock - 1 WHERE sku IN (\(list)) AND stock >= 1;
      INSERT INTO order_counters AS counter (owner, last) VALUES (\(owner), 1) ON CONFLICT (owner) DO UPDATE SET last = counter.last + 1 RETURNING last AS number \\gset
      INSERT INTO carts (id, owner, status) VALUES (\(cart), \(owner), 'checked_out');
      INSERT INTO orders (id, number, owner, status, total_amount, currency, cart_id) VALUES (\(order), :number::bigint, \(owner), 'placed', 300, 'EUR', \(cart));
      INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount, tax_rate, discount_amount, net_amount, tax_amount) VALUES \(lines);
      INSERT INTO order_taxes (order_id, rate, net_amount, tax_amount, gross_amount) VALUES (\(order), 0, 300, 0, 300);
      COMMIT;

      """
  }

  /// The `tps = N (without initial connection time)` figure of pgbench's report.
  static func tps(in output: String) -> Double? {
    for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
      let number = line.dropFirst(6).prefix { $0.isNumber || $0 == "." }
      if let value = Double(number) { return value }
    }
    return nil
  }

  /// pgbench of the cluster's own version when it has one, else /usr/bin/pgbench.
  static func executable(cluster: PostgresCluster) throws -> String {
    for candidate in [cluster.binDirectory + "/pgbench", "/usr/bin/pgbench"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
      return candidate
    }
    throw BenchError("pgbench is missing: install the postgresql-contrib or postgresql package")
  }
}
