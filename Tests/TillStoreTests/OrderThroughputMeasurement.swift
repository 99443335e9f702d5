import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// The engine ceiling of till-bench's `store-order-hot` scenario, measured inside the test suite: 16
/// tasks place 3-line orders on the same 3 hot products directly on the store for about 3 s, and on PostgreSQL
/// pgbench runs the plain multi-statement order transaction on the same database for comparison.
///
/// It prints figures and asserts only correctness (every order placed and complete, stock down by
/// exactly the units sold), never speed: speed depends on the machine and whatever else runs on it.
@Suite("Measurement: order throughput on 3 hot products")
struct OrderThroughputMeasurement {
  static let clients = 16
  static let timedSeconds = 3.0
  /// Carts each client prepares per phase (untimed) before all clients place them at once.
  static let batch = 40

  @Test(arguments: StoreEngine.allCases)
  func hotOrders(engine: StoreEngine) async throws {
    let products = Fixture.stocked(3, stock: 10_000_000)
    let hot = products.map(\.sku)
    try await withTestStore(engine, products: products) { store in
      let run = try await Self.placeHotOrders(on: store, skus: hot)
      let perSecond = Double(run.placed) / run.seconds
      var report =
        "store-order-hot \(engine.rawValue) @\(Self.clients): \(run.placed) orders in "
        + "\(String(format: "%.2f", run.seconds)) s = \(Int(perSecond)) orders/s, \(run.failed) failed"
      if let sqlite = store as? SQLiteStore {
        let statistics = sqlite.writeStatistics
        report +=
          "; \(statistics.operations) writes in \(statistics.transactions) commits"
      }
      // Correctness: every order went through whole, and stock fell by exactly the units sold (checked
      // before pgbench takes its own share).
      #expect(run.failed == 0)
      #expect(run.placed > 0)
      let orders = try await store.allOrders()
      #expect(orders.count == run.placed)
      #expect(orders.allSatisfy { $0.lines.map(\.sku) == hot && $0.lines.allSatisfy { $0.quantity == 1 } })
      #expect(Set(orders.map(\.number)).count == orders.count)
      for sku in hot {
        #expect(try await store.stock(of: sku) == 10_000_000 - run.placed)
      }
      if engine == .postgres, let postgres = store as? PostgresStore {
        let pgbench = try await PgbenchOrder.run(on: postgres.url, skus: hot, clients: Self.clients)
        report +=
          "; pgbench plain order transaction @\(Self.clients): \(Int(pgbench)) tps; "
          + "store / pgbench = \(String(format: "%.2f", perSecond / pgbench))"
      }
      print(report)

    }
  }

  struct Run {
    var placed: Int
    var failed: Int
    var seconds: Double
  }

  /// Phases until `timedSeconds` of placing have passed: every client prepares `batch` carts of the 3
  /// hot products (1 each, untimed), then all clients place theirs at once (timed).
  static func placeHotOrders(on store: any Store, skus: [String]) async throws -> Run {
    var run = Run(placed: 0, failed: 0, seconds: 0)
    var phase = 0
    let clock = ContinuousClock()
    while run.seconds < timedSeconds {
      let tag = "p\(phase)"
      let carts = try await withThrowingTaskGroup(of: [String].self) { group in
        for client in 0..<clients {
          group.addTask {
            var carts: [String] = []
            for index in 0..<batch {
              let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
              for (line, sku) in skus.enumerated() {
                _ = try await store.applyIncrement(
                  IncrementRequest(sku: sku, delta: 1, opId: "\(tag)-\(client)-\(index)-\(line)"),
                  cartId: cart.id, owner: Fixture.owner)
              }
              carts.append(cart.id)
            }
            return carts
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let start = clock.now
      let placed = await withTaskGroup(of: (Int, Int).self) { group in
        for clientCarts in carts {
          group.addTask {
            var (placed, failed) = (0, 0)
            for cart in clientCarts {
              do {
                _ = try await store.placeOrder(
                  cartId: cart, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k-\(cart)")
                placed += 1
              } catch {
                failed += 1
              }
            }
            return (placed, failed)
          }
        }
        return await group.reduce(into: (0, 0)) { $0 = ($0.0 + $1.0, $0.1 + $1.1) }
      }
      let elapsed = clock.now - start
      run.seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      run.placed += placed.0
      run.failed += placed.1
      phase += 1
    }
    return run
  }
}

/// pgbench running the plain order transaction a hand-written client would send: BEGIN; lock the 3
/// hot rows FOR UPDATE in SKU order; decrement them; insert the order; insert its 3 lines; COMMIT —
/// 6 round trips, each a statement of its own.
///
/// It writes to `bench_orders` / `bench_order_lines`, copies of the store's tables without the cart
/// (pgbench has no cart to close), in the same database as the store, right after it.
enum PgbenchOrder {
  static func run(on url: PostgresURL, skus: [String], clients: Int) async throws -> Double {
    let cluster = try await PostgresCluster.shared()
    try await cluster.psql(
      """
      CREATE TABLE IF NOT EXISTS bench_orders (
        id bigserial PRIMARY KEY, owner text NOT NULL, status text NOT NULL,
        total_amount bigint NOT NULL, currency text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS bench_order_lines (
        order_id bigint NOT NULL REFERENCES bench_orders (id),
        sku text COLLATE "C" NOT NULL REFERENCES products (sku), name text NOT NULL,
        quantity bigint NOT NULL, unit_price_amount bigint NOT NULL, line_total_amount bigint NOT NULL,
        PRIMARY KEY (order_id, sku));
      """, database: url.database)
    let list = skus.sorted().map { "'\($0)'" }.joined(separator: ", ")
    let lines = skus.sorted().map { "(:order_id, '\($0)', 'bench', 1, 250, 250)" }.joined(separator: ", ")
    let script = """
      BEGIN;
      SELECT sku, stock FROM products WHERE sku IN (\(list)) ORDER BY sku FOR UPDATE;
      UPDATE products SET stock = stock - 1 WHERE sku IN (\(list));
      INSERT INTO bench_orders (owner, status, total_amount, currency) VALUES ('bench', 'placed', 750, 'EUR') RETURNING id AS order_id \\gset
      INSERT INTO bench_order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount) VALUES \(lines);
      COMMIT;

      """
    let scriptFile = TemporaryDirectory.freshFile("till-pgbench", suffix: ".sql")
    try script.write(to: scriptFile, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: scriptFile) }
    let executable =
      FileManager.default.isExecutableFile(atPath: cluster.binDirectory + "/pgbench")
      ? cluster.binDirectory + "/pgbench" : "/usr/bin/pgbench"
    let child = try ChildProcess(
      executable: executable,
      arguments: [
        "-n", "-h", url.host, "-p", String(url.port), "-U", url.user, "-c", String(clients), "-j", "2",
        "-T", "3", "-f", scriptFile.path, url.database,
      ])
    let status = await child.waitForExit(timeout: .seconds(30))
    let output = child.standardOutput
    guard status == 0, let tps = tpsFigure(in: output) else {
      throw PgbenchError(
        description: "pgbench failed (\(String(describing: status))): \(child.standardError)")
    }
    return tps
  }

  /// The number on pgbench's `tps = 1234.5 (without initial connection time)` line.
  static func tpsFigure(in output: String) -> Double? {
    for line in output.split(separator: "\n") where line.hasPrefix("tps = ") {
      let number = line.dropFirst("tps = ".count).prefix { $0.isNumber || $0 == "." }
      return Double(number)
    }
    return nil
  }

  struct PgbenchError: Error, CustomStringConvertible {
    var description: String
  }
}

/// The one-statement PostgreSQL checkout reads the cart's lines from its snapshot and re-runs when the
/// cart changed before it got the lock; this races increments against checkouts of the same cart to
/// show that an acknowledged increment is always in the order, and a refused one never is.
@Suite("Checkout racing an increment on the same cart")
struct CheckoutIncrementRaceTests {
  @Test(arguments: StoreEngine.allCases)
  func acknowledgedIncrementIsInTheOrder(engine: StoreEngine) async throws {
    let products = Fixture.stocked(2, stock: 1_000)
    let (first, second) = (products[0].sku, products[1].sku)
    try await withTestStore(engine, products: products) { store in
      var (included, refused) = (0, 0)
      for round in 0..<40 {
        let cart = try await store.cart(with: [(first, 1)])
        async let increment = outcome { () async throws(StoreError) in
          try await store.applyIncrement(
            IncrementRequest(sku: second, delta: 1, opId: "race-\(round)"), cartId: cart.id,
            owner: Fixture.owner)
        }
        async let placement = outcome { () async throws(StoreError) in
          try await store.placeOrder(
            cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "race-\(round)")
        }
        let (added, placed) = await (increment, placement)
        let order = try placed.get().order
        switch added {
        case .success:
          #expect(order.lines.map(\.sku) == [first, second], "round \(round): acknowledged, missing")
          included += 1
        case .failure(let error):
          #expect(error == .cartClosed, "round \(round)")
          #expect(order.lines.map(\.sku) == [first], "round \(round): refused, yet ordered")
          refused += 1
        }
      }
      #expect(included + refused == 40)
      print("increment racing checkout \(engine.rawValue): \(included) included, \(refused) refused")
      let sold = try await store.allOrders().flatMap(\.lines).reduce(into: [String: Int]()) {
        $0[$1.sku, default: 0] += $1.quantity
      }
      #expect(try await store.stock(of: first) == 1_000 - (sold[first] ?? 0))
      #expect(try await store.stock(of: second) == 1_000 - (sold[second] ?? 0))
    }
  }
}
