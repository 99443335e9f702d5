import Foundation
import Testing
import TillCore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A back end SIGKILLed while it closes a register session, per engine: each round sells 25 orders in
/// cash, sends the close and kills `till-server` a seeded few milliseconds later, then restarts it.
/// Afterwards the session is either still open with no Z report, or closed with exactly one complete Z
/// (every sale counted); the close sent again with the same key answers that Z or writes it; the Z
/// numbers are 1…N without a gap.
@Suite("A close SIGKILLed midway: a complete Z or none", .serialized)
struct ZCloseCrashTests {
  static let rounds = 5
  static let salesPerRound = 25
  static let sku = "ZKILL"

  @Test(arguments: StoreEngine.allCases)
  func closeSurvivesKills(engine: StoreEngine) async throws {
    let seed = SeededGenerator.runSeed()
    print("ZCloseCrashTests[\(engine)]: seed \(seed) (replay with TILL_CRASH_SEED=\(seed))")
    var random = SeededGenerator(seed: seed)
    let directory = try TemporaryDirectory.make("till-z-crash")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let probe = DatabaseProbe(engine: engine, location: database)
    let seedFile = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode([Fixtures.product(Self.sku, stock: 100_000, price: 130)]).write(to: seedFile)
    let port = try LoopbackSocket.unusedPort()
    let arguments =
      [
        "--listen", "127.0.0.1:\(port)", "--database", database, "--seed", seedFile.path, "--staff-token",
        ServerHarness.staffToken,
      ]
      + StaffSignIn.demoStaffArguments
    func startServer() async throws -> ServerProcess {
      let server = try ServerProcess(arguments: arguments)
      guard try await server.port(within: .seconds(30)) == port else {
        server.terminate()
        throw ServerStartFailure(description: "till-server did not listen on \(port): \(server.log)")
      }
      return server
    }
    var server = try await startServer()
    defer { server.terminate() }
    let baseURL = "http://127.0.0.1:\(port)"
    // The test opens the register itself, once a round.
    let client = try await StaffSignIn.client(
      baseURL: baseURL, terminalToken: ServerHarness.staffToken, opensRegister: false)
    var closedBeforeRestart = 0
    for round in 1...Self.rounds {
      let session = try await client.post(
        "/v1/register-sessions", json: OpenSessionRequest(openingFloat: PaymentFixtures.eur(50_00))
      ).decoded(RegisterSession.self, expecting: 201)
      var sales = 0
      for _ in 0..<Self.salesPerRound {
        let order = try await client.placedOrder([(Self.sku, 1)])
        _ = try await client.pay(order.id, .cash(tendered: order.total)).decoded(Payment.self, expecting: 201)
        sales += order.total.amount
      }
      let key = [(name: "Idempotency-Key", value: "close-\(round)")]
      let count = CloseSessionRequest(countedCash: PaymentFixtures.eur(50_00 + sales))
      let close = Task {
        try? await client.post("/v1/register-sessions/\(session.id)/close", json: count, headers: key)
      }
      // Within the close's few milliseconds: SQLite closes in about one, PostgreSQL in several.
      let window = engine == .sqlite ? 3_000 : 20_000
      try await Task.sleep(for: .microseconds(Int.random(in: 0...window, using: &random)))
      server.signal(SIGKILL)
      #expect(try await server.exitStatus(within: .seconds(10)) == 128 + SIGKILL)
      _ = await close.value
      server = try await startServer()

      // Nothing half-written: open without a Z, or closed with exactly one.
      let status = try await probe.rows("SELECT status FROM register_sessions WHERE id = '\(session.id)'")
      let zRows = try await probe.count(
        "SELECT CAST(COUNT(*) AS TEXT) FROM z_reports WHERE session_id = '\(session.id)'")
      #expect(
        status == [["open"]] && zRows == 0 || status == [["closed"]] && zRows == 1,
        "round \(round): \(status), \(zRows) Z")
      if status == [["closed"]] { closedBeforeRestart += 1 }

      let answer = try await client.post(
        "/v1/register-sessions/\(session.id)/close", json: count, headers: key)
      let z = try answer.decoded(ZReport.self, expecting: 201)
      #expect(z.number == round, "Z numbers count without a gap")
      #expect(z.report.salesCount == Self.salesPerRound && z.report.salesTotal.amount == sales)
      #expect(z.variance.amount == 0 && z.report.cash?.expected.amount == 50_00 + sales)
    }
    let numbers = try await probe.rows("SELECT CAST(number AS TEXT) FROM z_reports ORDER BY number")
    #expect(numbers == (1...Self.rounds).map { [String($0)] })
    #expect(
      try await probe.count("SELECT CAST(COUNT(*) AS TEXT) FROM register_sessions WHERE status = 'open'") == 0
    )
    print(
      "ZCloseCrashTests[\(engine)]: \(Self.rounds) kills, \(closedBeforeRestart) after the close committed")
    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
  }
}
