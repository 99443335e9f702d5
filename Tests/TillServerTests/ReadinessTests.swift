import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillLocalServices
import TillServer
import TillStore
import TillTestSupport

/// `GET /v1/ready`: 200 only while the database answers and its schema is this build's; 503
/// `not-ready` saying why otherwise, and back to 200 once the cause is gone. `/v1/health` stays 200
/// throughout: it is liveness.
@Suite("Readiness", .serialized)
struct ReadinessTests {
  static func expectReady(_ harness: ServerHarness, engine: StoreEngine) async throws {
    let answer = try await harness.client(as: .nobody).get("/v1/ready")
    #expect(answer.status == 200, "\(answer.text)")
    #expect(try answer.decoded(Health.self) == Health(status: "ready", engine: engine.rawValue))
  }

  static func expectNotReady(_ harness: ServerHarness, saying part: String) async throws {
    let answer = try await harness.client(as: .nobody).get("/v1/ready")
    #expect(answer.status == 503 && answer.problem?.kind == .notReady, "\(answer.text)")
    #expect(answer.header("Content-Type") == Problem.mediaType)
    #expect(answer.problem?.detail?.contains(part) == true, "\(answer.text)")
    #expect(try await harness.client(as: .nobody).get("/v1/health").status == 200, "liveness is unaffected")
  }

  @Test(
    "a migration of a newer build, or one missing, is 503 until the schema is this build's again",
    arguments: StoreEngine.allCases)
  func schema(engine: StoreEngine) async throws {
    try await withServer(engine, products: [Fixtures.product("RDY-1", stock: 1)]) { harness in
      try await Self.expectReady(harness, engine: engine)
      let (future, last): (String, String) =
        engine == .sqlite
        ? ("v99-from-a-newer-build", "v10-refunds") : ("99", "10")
      let table =
        engine == .sqlite
        ? ("grdb_migrations", "identifier", "('\(future)')") : ("till_migrations", "version", "(99, 'newer')")
      try await OutOfBoundsDataTests.execute("INSERT INTO \(table.0) VALUES \(table.2)", on: harness)
      try await Self.expectNotReady(harness, saying: "migrations of a newer build: \(future)")
      try await OutOfBoundsDataTests.execute(
        "DELETE FROM \(table.0) WHERE \(table.1) = '\(future)'", on: harness)
      try await Self.expectReady(harness, engine: engine)

      let applied =
        engine == .sqlite
        ? "DELETE FROM grdb_migrations WHERE identifier = '\(last)'"
        : "DELETE FROM till_migrations WHERE version = \(last)"
      try await OutOfBoundsDataTests.execute(applied, on: harness)
      try await Self.expectNotReady(harness, saying: "migrations not applied: \(last)")
    }
  }

  @Test("PostgreSQL stopped: 503 within the timeout; started again: 200")
  func postgresGoesAwayAndComesBack() async throws {
    let cluster = try await PostgresCluster.startPrivate()
    defer { cluster.stop() }
    let store = try await PostgresStore.connect(url: try await cluster.makeDatabase(), maximumConnections: 4)
    var configuration = ServerConfiguration(
      host: "127.0.0.1", port: 0, staffTokens: [ServerHarness.staffToken])
    configuration.readinessTimeout = .seconds(1)
    let server: RunningServer
    do {
      server = try await RunningServer.start(
        store: store, configuration: configuration,
        logger: Logger(label: "till.test.ready") { _ in SwiftLogNoOpLogHandler() })
    } catch {
      await store.close()
      throw error
    }
    let client = APITestClient(baseURL: server.baseURL, token: nil)
    do {
      #expect(try await client.get("/v1/ready").status == 200)
      try await cluster.stopServer()
      let start = ContinuousClock.now
      let down = try await client.get("/v1/ready")
      let waited = ContinuousClock.now - start
      #expect(down.status == 503 && down.problem?.kind == .notReady, "\(down.text)")
      #expect(waited < .seconds(5), "answered within the timeout, not the pool's: \(waited)")
      #expect(try await client.get("/v1/health").status == 200)
      try await cluster.startServer()
      try await eventually(within: .seconds(20), every: .milliseconds(200), "ready again") {
        try await client.get("/v1/ready").status == 200
      }
    } catch {
      await server.stop()
      await store.close()
      throw error
    }
    await server.stop()
    await store.close()
  }
}
