import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillServer
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The crash scenario, repeated: order, payment and refund load from several tills, the real
/// `till-server` SIGKILLed at seeded random moments and restarted on the same database and port, then
/// every invariant of the shop counted.
@Suite("Crash and restart under load", .serialized)
struct CrashRestartTests {
  static let tills = 8
  static let kills = 4
  static let products = [
    Fixtures.product("CR-A", stock: 4000, price: 250), Fixtures.product("CR-B", stock: 4000, price: 1_990),
    Fixtures.product("CR-C", stock: 4000, price: 75), Fixtures.product("CR-D", stock: 4000, price: 4_500),
    // Scarce: runs out during the run, so refusals for stock happen across the kills too.
    Fixtures.product("CR-LOW", stock: 40, price: 330),
  ]

  @Test(
    "till-server SIGKILLed 4 times under order, payment and refund load: nothing lost, nothing doubled",
    arguments: StoreEngine.allCases)
  func killedUnderLoad(engine: StoreEngine) async throws {
    let started = ContinuousClock.now
    let seed = SeededGenerator.runSeed()
    print("CrashRestartTests[\(engine)]: seed \(seed) (replay with TILL_CRASH_SEED=\(seed))")
    var random = SeededGenerator(seed: seed)

    let directory = try TemporaryDirectory.make("till-crash-load")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let probe = DatabaseProbe(engine: engine, location: database)
    let seedFile = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode(Self.products).write(to: seedFile)

    let sandbox = try SandboxChild(database: directory.appendingPathComponent("sandbox.sqlite").path)
    defer { sandbox.child.terminate() }
    let sandboxPort = try #require(try await sandbox.port(), "no listening line in: \(sandbox.log)")
    let sandboxAPI = SandboxAPI(baseURL: "http://127.0.0.1:\(sandboxPort)")
    // Each charge is answered 120 ms after it is committed: a wide window for a kill to land between
    // the provider's charge and the back end's record of it, the case recovery exists for.
    try await sandboxAPI.arm(Fault(mode: .delayAfterCharge, count: 10_000, delayMs: 120))

    let port = try LoopbackSocket.unusedPort()
    let arguments =
      [
        "--listen", "127.0.0.1:\(port)", "--database", database, "--seed", seedFile.path,
        "--staff-token", ServerHarness.staffToken, "--staff-token", ServerHarness.otherStaffToken,
        "--payment-provider", sandboxAPI.baseURL, "--payment-shop-id", SandboxHarness.shopId,
      ] + StaffSignIn.demoStaffArguments
    func startServer() async throws -> ServerProcess {
      let server = try ServerProcess(
        arguments: arguments, environment: ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey])
      guard try await server.port(within: .seconds(30)) == port else {
        server.terminate()
        throw ServerStartFailure(description: "till-server did not listen on \(port): \(server.log)")
      }
      return server
    }
    var servers = [try await startServer()]
    defer { for server in servers { server.terminate() } }
    let baseURL = "http://127.0.0.1:\(port)"
    // The demo cashier signs in on both tills; the sessions live in the database, so they outlast the
    // kills as the tills' tokens do.
    let sessions = try await StaffSignIn.sessions(
      baseURL: baseURL, terminalTokens: [ServerHarness.staffToken, ServerHarness.otherStaffToken])
    let tokens = [ServerHarness.staffToken, ServerHarness.otherStaffToken].compactMap { sessions[$0] }
    let readers = tokens.map { APITestClient(baseURL: baseURL, token: $0) }
    let stockAtStart = try await Fixtures.stock(readers[0])
    #expect(stockAtStart == Dictionary(uniqueKeysWithValues: Self.products.map { ($0.sku, $0.stock) }))

    // The load: `tills` tasks selling until the flag is raised.
    let stop = StopFlag()
    // Also on a failure below: the tills then stop within one request instead of retrying for 20 s.
    defer { stop.raise() }
    let skus = Self.products.map(\.sku)
    let tillSeeds = (0..<Self.tills).map { _ in random.next() }
    let manager = ManagerDesk()
    let load = Task {
      try await withThrowingTaskGroup(of: CrashLoadFigures.self) { group in
        for index in 0..<Self.tills {
          group.addTask {
            let till = CrashLoadTill(
              baseURL: baseURL, token: tokens[index % tokens.count], seed: tillSeeds[index], skus: skus,
              name: "till \(index)", manager: manager)
            return try await till.run(until: stop)
          }
        }
        return try await group.reduce(into: CrashLoadFigures()) { $0.merge($1) }
      }
    }

    // The faults: SIGKILL at a seeded moment, restart on the same database and port after a pause.
    var killedAt: [Duration] = []
    let pendingSQL = """
      SELECT CAST((SELECT COUNT(*) FROM payments WHERE status = 'pending')
        + (SELECT COUNT(*) FROM refunds WHERE status = 'pending') AS TEXT)
      """
    for _ in 0..<Self.kills {
      try await Task.sleep(for: .milliseconds(Int.random(in: 400...1_600, using: &random)))
      let victim = servers[servers.count - 1]
      victim.signal(SIGKILL)
      #expect(try await victim.exitStatus(within: .seconds(10)) == 128 + SIGKILL)
      killedAt.append(ContinuousClock.now - started)
      try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &random)))
      servers.append(try await startServer())
    }
    try await Task.sleep(for: .seconds(1))
    stop.raise()
    let figures = try await load.value
    let server = servers[servers.count - 1]

    // Every pending card payment and refund is settled by the recovery pass of a later start (bounded
    // wait).
    try await eventually(
      within: .seconds(20), every: .milliseconds(100), "pending card payments or refunds left after recovery"
    ) {
      try await probe.count(pendingSQL) == 0
    }

    // Conservation: for every product, stock at start = stock now + units in orders not canceled −
    // units refunded back onto the shelf.
    let stockNow = try await Fixtures.stock(readers[0])
    var orders: [Order] = []
    for reader in readers { orders += try await Fixtures.orders(reader) }
    var sold: [String: Int] = [:]
    for order in orders where order.status != .canceled {
      for line in order.lines { sold[line.sku, default: 0] += line.quantity }
    }
    let restockedRows = try await probe.rows(
      """
      SELECT rl.sku, CAST(SUM(rl.quantity) AS TEXT) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
      WHERE r.status = 'succeeded' AND rl.restock = TRUE GROUP BY rl.sku
      """)
    let restocked = Dictionary(uniqueKeysWithValues: restockedRows.map { ($0[0], Int($0[1]) ?? -1) })
    for product in Self.products {
      let back = restocked[product.sku, default: 0]
      #expect(
        stockAtStart[product.sku] == (stockNow[product.sku] ?? -1) + sold[product.sku, default: 0] - back,
        "\(product.sku): at start \(stockAtStart[product.sku] ?? -1), now \(stockNow[product.sku] ?? -1), sold \(sold[product.sku, default: 0]), restocked \(back)"
      )
    }
    try await Self.expectRefundsExact(probe: probe, sandbox: sandboxAPI, acknowledged: figures.refunds)

    // Every order complete: lines present, each line = quantity × unit price, total = sum of lines.
    for order in orders {
      #expect(!order.lines.isEmpty, "order \(order.id) has no lines")
      #expect(order.lines.allSatisfy { $0.lineTotal.amount == $0.quantity * $0.unitPrice.amount })
      #expect(order.total.amount == order.lines.reduce(0) { $0 + $1.lineTotal.amount }, "order \(order.id)")
      if order.status == .paid { #expect(order.payment?.status == .succeeded, "order \(order.id)") }
    }
    let ordersInDatabase = try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM orders")
    #expect(ordersInDatabase == orders.count)
    let withoutLines = try await probe.count(
      """
      SELECT CAST(COUNT(*) AS TEXT) FROM orders o
      WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
      """)
    #expect(withoutLines == 0)

    // Every order and payment names the person who made it, whichever start wrote it.
    #expect(orders.allSatisfy { $0.staff == DemoStaff.cashier.code }, "an order without its cashier")
    let unnamed = try await probe.count(
      """
      SELECT CAST((SELECT COUNT(*) FROM orders WHERE staff_code <> '1001')
        + (SELECT COUNT(*) FROM payments WHERE staff_code <> '1001') AS TEXT)
      """)
    #expect(unnamed == 0, "orders or payments recorded without the cashier who made them")

    // What the API acknowledged survived every kill.
    let byID = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0) })
    #expect(figures.placed.allSatisfy { byID[$0] != nil }, "an acknowledged order is gone")
    #expect(figures.paid.allSatisfy { byID[$0]?.status == .paid }, "an acknowledged payment is gone")
    #expect(figures.canceled.allSatisfy { byID[$0]?.status == .canceled }, "an acknowledged cancel is gone")

    // No order has two succeeded payments; paid exactly when a payment succeeded.
    let doublePaid = try await probe.rows(
      "SELECT order_id FROM payments WHERE status = 'succeeded' GROUP BY order_id HAVING COUNT(*) > 1")
    #expect(doublePaid.isEmpty, "orders paid twice: \(doublePaid)")
    let statusMismatch = try await probe.count(
      """
      SELECT CAST(COUNT(*) AS TEXT) FROM orders o WHERE (o.status = 'paid') <> EXISTS (
        SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded')
      """)
    #expect(statusMismatch == 0, "orders whose status disagrees with their payments")

    // The sandbox's charges and the recorded card payments match one to one.
    let recorded = try await probe.rows(
      """
      SELECT provider_payment_id, order_id, CAST(amount AS TEXT) FROM payments
      WHERE method = 'card' AND status = 'succeeded'
      """)
    let charges = try await sandboxAPI.charges()
    let succeeded = charges.filter { $0.status == "succeeded" }
    #expect(charges.count == succeeded.count, "no decline was armed")
    let chargeSet = Set(
      succeeded.map { [$0.id, $0.metadata["orderId"] ?? "", Self.minorUnits($0.amount.value)] })
    #expect(chargeSet.count == succeeded.count, "two charges look alike")
    #expect(
      Set(recorded) == chargeSet,
      "sandbox charges \(succeeded.count), recorded card payments \(recorded.count)")
    #expect(recorded.count == succeeded.count)
    let chargedOrders = succeeded.compactMap { $0.metadata["orderId"] }
    #expect(Set(chargedOrders).count == chargedOrders.count, "an order charged twice at the provider")

    // An unexpected answer names itself and quotes what the servers logged as errors, the cause of a 500.
    let errorLines = servers.map(\.log).joined().split(separator: "\n").filter { $0.contains("error") }
    #expect(
      figures.unexpected.isEmpty,
      """
      unexpected answers:\n\(figures.unexpected.joined(separator: "\n"))
      the servers' error lines:\n\(errorLines.joined(separator: "\n"))
      """)
    #expect(figures.transportFailures > 0, "no kill landed while requests were in flight")
    #expect(figures.placed.count > 0 && figures.cardAnswers > 0 && figures.cashAnswers > 0)
    #expect(!figures.refunds.isEmpty, "no refund was made under the load")

    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
    // A start logs a recovery pass only when it found pending card payments: the kills' leftovers.
    let passes = servers.map(\.log).joined().split(separator: "\n").filter {
      $0.contains("payment recovery pass")
    }
    let recoveredPending = passes.reduce(0) {
      $0 + (($1.firstMatch(of: /pending=(\d+)/)?.1).flatMap { Int($0) } ?? 0)
    }
    let recoveredSettled = passes.reduce(0) {
      $0 + (($1.firstMatch(of: /settled=(\d+)/)?.1).flatMap { Int($0) } ?? 0)
    }
    let cardPaid = orders.filter { $0.payment?.method == .card && $0.status == .paid }.count
    let cashPaid = orders.filter { $0.payment?.method == .cash && $0.status == .paid }.count
    print(
      """
      CrashRestartTests[\(engine)]: seed \(seed), kills \(killedAt.count) at \
      \(killedAt.map { "\($0.components.seconds)s+\($0.components.attoseconds / 1_000_000_000_000_000)ms" }), \
      restarts \(servers.count - 1), requests sent \(figures.requests) (transport failures \(figures.transportFailures), \
      statuses \(figures.statuses.sorted { $0.key < $1.key })), orders \(orders.count) (acknowledged \(figures.placed.count), \
      canceled \(orders.filter { $0.status == .canceled }.count), stock refusals \(figures.shortages)), \
      payments card \(cardPaid) / cash \(cashPaid) (sandbox charges \(succeeded.count), 202/pending answers \
      \(figures.pendingAnswers), recovery passes \(passes.count) found \(recoveredPending) pending, settled \(recoveredSettled)), wall \(ContinuousClock.now - started)
      """)
  }

  /// Every acknowledged refund is there and succeeded, none failed, no line refunded beyond what was
  /// sold, and the sandbox's refunds and the recorded card refunds match one to one.
  static func expectRefundsExact(probe: DatabaseProbe, sandbox: SandboxAPI, acknowledged: Set<String>)
    async throws
  {
    let succeeded = Set(
      try await probe.rows("SELECT id FROM refunds WHERE status = 'succeeded'").map { $0[0] })
    #expect(acknowledged.isSubset(of: succeeded), "an acknowledged refund is gone")
    #expect(try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM refunds WHERE status = 'failed'") == 0)
    let overRefunded = try await probe.rows(
      """
      SELECT l.order_id, l.sku FROM order_lines l
      WHERE l.quantity < (SELECT COALESCE(SUM(rl.quantity), 0) FROM refund_lines rl
        JOIN refunds r ON r.id = rl.refund_id WHERE r.order_id = l.order_id AND rl.sku = l.sku)
      """)
    #expect(overRefunded.isEmpty, "lines refunded beyond what was sold: \(overRefunded)")
    let recorded = try await probe.rows(
      """
      SELECT provider_refund_id, CAST(amount AS TEXT) FROM refunds WHERE method = 'card' AND status = 'succeeded'
      """)
    let atProvider = try await sandbox.refunds().filter { $0.status == "succeeded" }
    #expect(
      Set(recorded) == Set(atProvider.map { [$0.id, minorUnits($0.amount.value)] })
        && recorded.count == atProvider.count,
      "sandbox refunds \(atProvider.count), recorded card refunds \(recorded.count)")
    print(
      "CrashRestartTests: refunds \(succeeded.count) (card \(recorded.count)), acknowledged \(acknowledged.count)"
    )
  }

  /// "12.50" → "1250" (the sandbox's decimal string as the store's minor units).
  static func minorUnits(_ value: String) -> String {
    let parts = value.split(separator: ".", omittingEmptySubsequences: false)
    let whole = Int(parts.first ?? "") ?? -1
    let fraction =
      parts.count > 1 ? Int(String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0)) ?? -1 : 0
    return String(whole * 100 + fraction)
  }
}
