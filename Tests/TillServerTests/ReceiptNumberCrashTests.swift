import Foundation
import Testing
import TillCore
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Receipt numbers when back ends die mid-payment: two real `till-server` processes on one PostgreSQL
/// database, 16 tills of one terminal placing orders and paying them (cash or card, every fifth one
/// canceled) through both, and one back end SIGKILLed at seeded moments while card charges are held at
/// the provider, then restarted on its port. After recovery has settled every pending card payment,
/// each paid order has exactly one receipt number, the numbers are exactly 1…N, and no other order has
/// one.
@Suite("Receipt numbers across SIGKILLs of a back end", .serialized)
struct ReceiptNumberCrashTests {
  static let tills = 16
  static let kills = 3
  static let sku = "RCPT"

  @Test("two back ends, 16 tills of one terminal, a back end SIGKILLed 3 times mid-payment → receipts 1…N")
  func receiptNumbersSurviveKills() async throws {
    let seed = SeededGenerator.runSeed()
    print("ReceiptNumberCrashTests: seed \(seed) (replay with TILL_CRASH_SEED=\(seed))")
    var random = SeededGenerator(seed: seed)
    let directory = try TemporaryDirectory.make("till-receipt-crash")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await freshPostgresDatabase()
    let seedFile = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode([Fixtures.product(Self.sku, stock: 100_000)]).write(to: seedFile)
    let sandbox = try await SandboxHarness.start()
    do {
      try await Self.run(database: database, seedFile: seedFile, sandbox: sandbox, random: &random)
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()
  }

  static func run(
    database: String, seedFile: URL, sandbox: SandboxHarness, random: inout SeededGenerator
  ) async throws {
    // Each charge is answered 150 ms after it is committed: a wide window for a kill to land between
    // the provider's charge and the back end's record of it (the payment then still pending).
    try await sandbox.arm(Fault(mode: .delayAfterCharge, count: 10_000, delayMs: 150))
    let ports = [try LoopbackSocket.unusedPort(), try LoopbackSocket.unusedPort()]
    func start(_ index: Int) async throws -> ServerProcess {
      let arguments =
        [
          "--listen", "127.0.0.1:\(ports[index])", "--database", database, "--seed", seedFile.path,
          "--staff-token", ServerHarness.staffToken, "--payment-provider", sandbox.baseURL,
          "--payment-shop-id", SandboxHarness.shopId,
        ] + StaffSignIn.demoStaffArguments
      let server = try ServerProcess(
        arguments: arguments, environment: ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey])
      guard try await server.port(within: .seconds(30)) == ports[index] else {
        server.terminate()
        throw ServerStartFailure(description: "till-server did not listen on \(ports[index]): \(server.log)")
      }
      return server
    }
    var servers = [try await start(0)]
    servers.append(try await start(1))
    // Every process started, killed ones included, for their logs.
    var started = servers
    defer { for server in servers { server.terminate() } }
    let baseURLs = ports.map { "http://127.0.0.1:\($0)" }
    let token = try #require(
      try await StaffSignIn.sessions(baseURL: baseURLs[0], terminalTokens: [ServerHarness.staffToken])[
        ServerHarness.staffToken])

    let stop = StopFlag()
    // Also on a failure below: the tills then stop after their current order.
    defer { stop.raise() }
    let load = Task {
      try await withThrowingTaskGroup(of: ReceiptFigures.self) { group in
        for till in 0..<Self.tills {
          group.addTask { try await Self.sell(till: till, baseURLs: baseURLs, token: token, until: stop) }
        }
        return try await group.reduce(into: ReceiptFigures()) { $0.merge($1) }
      }
    }
    for kill in 0..<Self.kills {
      try await Task.sleep(for: .milliseconds(Int.random(in: 500...1_200, using: &random)))
      let victim = kill % servers.count
      servers[victim].signal(SIGKILL)
      #expect(try await servers[victim].exitStatus(within: .seconds(10)) == 128 + SIGKILL)
      try await Task.sleep(for: .milliseconds(Int.random(in: 50...300, using: &random)))
      servers[victim] = try await start(victim)
      started.append(servers[victim])
    }
    try await Task.sleep(for: .milliseconds(500))
    stop.raise()
    let figures = try await load.value

    // Every card payment a kill left pending is settled, by a till sending it again or by recovery.
    let probe = DatabaseProbe(engine: .postgres, location: database)
    try await eventually(
      within: .seconds(20), every: .milliseconds(100), "pending card payments left after recovery"
    ) {
      try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM payments WHERE status = 'pending'") == 0
    }
    let orders = try await Fixtures.orders(APITestClient(baseURL: baseURLs[0], token: token))
    #expect(figures.unexpected.isEmpty, "\(figures.unexpected.joined(separator: "\n"))")
    #expect(figures.transportFailures > 0, "no kill landed while requests were in flight")
    #expect(orders.allSatisfy { $0.status != .placed }, "an order the tills paid or canceled is still placed")
    try await ReceiptInvariants.check(probe, orders: orders, figures: figures)
    // A start logs a recovery pass when it found pending card payments: what the kills left mid-payment.
    let recoveredPending = started.map(\.log).joined().split(separator: "\n")
      .filter { $0.contains("payment recovery pass") }
      .reduce(0) { $0 + (($1.firstMatch(of: /pending=(\d+)/)?.1).flatMap { Int($0) } ?? 0) }
    print(
      """
      ReceiptNumberCrashTests: orders \(orders.count), paid \(orders.filter { $0.status == .paid }.count), \
      canceled \(figures.canceled.count), transport failures \(figures.transportFailures), card payments \
      left pending by the kills and found by recovery \(recoveredPending)
      """)
    for server in servers { server.signal(SIGTERM) }
    for server in servers { #expect(try await server.exitStatus() == 0) }
  }

  /// One till until `stop`: an order, then every fifth canceled, the rest paid in cash or by card
  /// alternately, each driven to its end through whichever back end answers.
  static func sell(till: Int, baseURLs: [String], token: String, until stop: StopFlag) async throws
    -> ReceiptFigures
  {
    let seller = ReceiptTill(baseURLs: baseURLs, token: token, name: "till \(till)", preferred: till)
    var sold = 0
    while !stop.isRaised {
      guard let order = try await seller.placeOrder(sku: sku) else { break }
      switch (till + sold) % 5 {
      case 4: try await seller.cancel(order)
      case 0, 2: try await seller.payCash(order)
      default: try await seller.payCard(order)
      }
      sold += 1
    }
    return ReceiptFigures(seller)
  }
}
