import Foundation
import Synchronization
import Testing
import TillCore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `till-server` process, its standard output and error in files (see `ChildProcess`).
final class ServerProcess: Sendable {
  let child: ChildProcess

  var log: String { child.standardOutput + child.standardError }
  var isRunning: Bool { child.isRunning }

  /// The built executable, next to this test bundle (SwiftPM builds executables for `swift test`).
  static var executable: URL? {
    ChildProcess.builtExecutable(named: "till-server")
  }

  /// `standardInput`: a file the process reads as its standard input (/dev/null by default).
  init(arguments: [String], environment extra: [String: String] = [:], standardInput: String = "/dev/null")
    throws
  {
    let executable = try #require(Self.executable, "till-server is not built next to the tests")
    var environment = ProcessInfo.processInfo.environment
    environment["TILL_STAFF_TOKENS"] = nil
    environment["TILL_ADMIN_TOKEN"] = nil
    environment.merge(extra) { $1 }
    child = try ChildProcess(
      executable: executable.path, arguments: arguments, environment: environment,
      standardInput: standardInput)
  }

  func port(within timeout: Duration = .seconds(20)) async throws -> Int? {
    try await child.listeningPort(within: timeout)
  }

  /// Waits up to `timeout` for the process to exit; its exit status (128 + signal if a signal ended
  /// it), or nil if it is still running.
  func exitStatus(within timeout: Duration = .seconds(20)) async throws -> Int32? {
    await child.waitForExit(timeout: timeout)
  }

  func signal(_ signal: Int32) { child.signal(signal) }

  /// SIGKILL if still running, and reap.
  func terminate() { child.terminate() }
}

@Suite("The till-server executable")
struct ExecutableTests {
  /// A staff token of the required length for runs that need one and never use it.
  static let staffToken = "flag-staff-2d7e0b9c4a1f8e36"

  static func temporaryDirectory() throws -> URL {
    try TemporaryDirectory.make("till-server-exe")
  }

  @Test("refuses to start without a terminal token: one line, non-zero exit")
  func noTerminalToken() async throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
    ])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    let lines = server.log.split(separator: "\n")
    #expect(lines.count == 1)
    #expect(lines.first?.hasPrefix("till-server: no terminal: pass --terminal NAME=TOKEN") == true)
  }

  @Test("a bad --listen is one line and a non-zero exit")
  func badListen() async throws {
    let server = try ServerProcess(arguments: ["--listen", "localhost", "--staff-token", Self.staffToken])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    #expect(
      server.log.split(separator: "\n").map(String.init) == [
        "till-server: The value 'localhost' is invalid for '--listen <host:port>'"
      ])
  }

  @Test(
    "a connection cap or recovery interval below 1 is one line and a non-zero exit",
    arguments: [
      (["--max-connections", "0"], "till-server: the connection cap must be at least 1, not 0"),
      (["--payment-recovery-seconds", "0"], "till-server: the payment recovery interval must be positive"),
    ])
  func badLimits(flags: [String], message: String) async throws {
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--staff-token", Self.staffToken] + flags)
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    #expect(server.log.split(separator: "\n").map(String.init) == [message])
  }

  @Test(
    "a token shorter than 24 characters is one line naming it by place, never by text, and a non-zero exit",
    arguments: [
      (["--staff-token", "s3cr3t"], [:], "staff token 2 has 6"),
      ([], ["TILL_ADMIN_TOKEN": "adm1n-s3cr3t"], "the admin token has 12"),
    ])
  func shortToken(flags: [String], environment: [String: String], which: String) async throws {
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--staff-token", Self.staffToken] + flags,
      environment: environment)
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    #expect(
      server.log.split(separator: "\n").map(String.init) == [
        "till-server: a token must be at least 24 characters (\(which)); generate one with: openssl rand -hex 16"
      ])
    #expect(!server.log.contains("s3cr3t"))
  }

  @Test("serves the demo catalogue with tokens from the environment; SIGTERM stops it cleanly")
  func servesAndStops() async throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(
      arguments: [
        "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("db/till.sqlite").path,
      ],
      environment: [
        "TILL_STAFF_TOKENS": "env-staff-1-4c2e9a7f0b3d8e61, env-staff-2-9b1f6d3a0e7c2b85",
        "TILL_ADMIN_TOKEN": "env-admin-5e8a2c7f1d0b9e43a6",
      ])
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let base = "http://127.0.0.1:\(port)"
    let health = try await APITestClient(baseURL: base, token: nil).get("/v1/health")
    #expect(health.status == 200)
    let staff = APITestClient(baseURL: base, token: "env-staff-2-9b1f6d3a0e7c2b85")
    let products = try await staff.get("/v1/products?limit=500").decoded(Page<Product>.self)
    #expect(products.items.count >= 150)
    let categories = try await staff.get("/v1/categories").decoded(CategoryList.self)
    #expect(categories.items.count >= 6)
    let adjust = try await APITestClient(baseURL: base, token: "env-admin-5e8a2c7f1d0b9e43a6").post(
      "/v1/products/\(products.items[0].sku)/stock-adjustments",
      json: StockAdjustmentRequest(delta: 1, reason: "count"))
    #expect(adjust.status == 200)

    server.signal(SIGTERM)
    #expect(try await server.exitStatus() == 0)
    for token in [
      "env-staff-1-4c2e9a7f0b3d8e61", "env-staff-2-9b1f6d3a0e7c2b85", "env-admin-5e8a2c7f1d0b9e43a6",
    ] { #expect(!server.log.contains(token)) }
    #expect(server.log.contains("GET /v1/products 200"))
  }

  @Test("--seed loads the given catalogue into an empty database; SIGINT stops it")
  func seedFile() async throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let seed = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode([Fixtures.product("SEED-1", stock: 4), Fixtures.product("SEED-2", stock: 9)])
      .write(to: seed)
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
      "--seed", seed.path, "--staff-token", Self.staffToken,
    ])
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let staff = APITestClient(baseURL: "http://127.0.0.1:\(port)", token: Self.staffToken)
    let products = try await staff.get("/v1/products").decoded(Page<Product>.self)
    #expect(products.items.map(\.sku) == ["SEED-1", "SEED-2"])
    server.signal(SIGINT)
    #expect(try await server.exitStatus() == 0)
  }
}
