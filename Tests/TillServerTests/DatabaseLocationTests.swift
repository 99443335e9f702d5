import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// `till-server --database` with each accepted form, and the one-line refusals.
@Suite("till-server --database: PostgreSQL URLs and SQLite paths")
struct DatabaseLocationTests {
  static let pgStaff = "pg-staff-8e2c5a0f7d1b4e93"
  static let admin = "admin-token-3b7f0e1d9c2a6e58"

  @Test("a postgres:// URL: starts, migrates, seeds, serves; the password is never logged; SIGTERM exits 0")
  func servesFromPostgres() async throws {
    let cluster = try await PostgresCluster.shared()
    let database = try await cluster.makeDatabase()
    // The test cluster trusts loopback, so any password is accepted; it must still never be logged.
    let withPassword = database.replacingOccurrences(of: "postgres@", with: "postgres:hunter2-secret@")
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--database", withPassword, "--staff-token", Self.pgStaff]
        + StaffSignIn.demoStaffArguments)
    do {
      let port = try #require(try await server.port(), "no listening line in: \(server.log)")
      let base = "http://127.0.0.1:\(port)"
      let health = try await APITestClient(baseURL: base, token: nil).get("/v1/health")
      #expect(try health.decoded(Health.self) == Health(status: "ok", engine: "postgres"))
      let staff = try await StaffSignIn.client(baseURL: base, terminalToken: Self.pgStaff)
      let products = try await staff.get("/v1/products?limit=500").decoded(Page<Product>.self)
      #expect(products.items.count >= 150, "the demo catalogue")
      let cart = try await staff.createCart()
      _ = try await staff.increment(cart: cart.id, sku: products.items[0].sku, delta: 1).decoded(Cart.self)
      #expect(try await staff.placeOrder(cart: cart.id).status == 201)
      server.signal(SIGTERM)
      #expect(try await server.exitStatus() == 0)
      #expect(server.log.contains("serving PostgreSQL postgres://postgres@127.0.0.1:\(cluster.port)/"))
      #expect(!server.log.contains("hunter2"))
    } catch {
      await ServerInstances.stop([server])
      throw error
    }
    // The acknowledged order is in the database.
    let name = String(database.split(separator: "/").last ?? "")
    let orders = try await cluster.psql("SELECT count(*) FROM orders", database: name)
    #expect(orders.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
  }

  @Test("an unreachable PostgreSQL is one line naming host and port and a non-zero exit, quickly")
  func unreachable() async throws {
    let port = try LoopbackSocket.unusedPort()
    let started = ContinuousClock.now
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", "postgres://till:pw@127.0.0.1:\(port)/till", "--staff-token",
      ExecutableTests.staffToken,
    ])
    let status = try await server.exitStatus()
    if status == nil { await ServerInstances.stop([server]) }
    #expect(status != nil && status != 0)
    #expect(ContinuousClock.now - started < .seconds(15))
    let lines = server.log.split(separator: "\n").map(String.init)
    #expect(lines.count == 1, "\(server.log)")
    #expect(
      lines.first?.hasPrefix("till-server: cannot connect to PostgreSQL at 127.0.0.1:\(port): ") == true)
    #expect(!server.log.contains("pw@"))
  }

  @Test("an unknown database and a malformed URL are one line each and a non-zero exit")
  func refusedLocations() async throws {
    let cluster = try await PostgresCluster.shared()
    let cases: [(String, String)] = [
      (cluster.url(database: "no_such_db"), "does not exist"),
      ("postgres://127.0.0.1:\(cluster.port)/x", "has no user"),
      ("mysql://till@127.0.0.1/x", "unsupported database mysql://"),
      ("sqlite:", "needs a file path"),
    ]
    for (location, reason) in cases {
      let server = try ServerProcess(arguments: [
        "--listen", "127.0.0.1:0", "--database", location, "--staff-token", ExecutableTests.staffToken,
      ])
      let status = try await server.exitStatus()
      if status == nil { await ServerInstances.stop([server]) }
      #expect(status != nil && status != 0, "\(location)")
      let lines = server.log.split(separator: "\n")
      #expect(lines.count == 1, "\(location): \(server.log)")
      #expect(lines.first?.hasPrefix("till-server: ") == true && server.log.contains(reason), "\(server.log)")
    }
  }

  @Test("sqlite:PATH is the same SQLite file as the plain PATH")
  func sqliteScheme() async throws {
    let directory = try TemporaryDirectory.make("till-server-location")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("shop/till.sqlite").path
    var stockSeen: [Int] = []
    for location in ["sqlite:" + path, path] {
      let server = try ServerProcess(arguments: [
        "--listen", "127.0.0.1:0", "--database", location, "--staff-token", ExecutableTests.staffToken,
        "--admin-token", Self.admin,
      ])
      do {
        let port = try #require(try await server.port(), "no listening line in: \(server.log)")
        let health = try await APITestClient(baseURL: "http://127.0.0.1:\(port)", token: nil).get(
          "/v1/health")
        #expect(try health.decoded(Health.self).engine == "sqlite")
        // Each run restocks the first product by 1000: the second run must see the first one's.
        let admin = APITestClient(baseURL: "http://127.0.0.1:\(port)", token: Self.admin)
        let product = try await admin.get("/v1/products?limit=1").decoded(Page<Product>.self).items[0]
        stockSeen.append(product.stock)
        let adjusted = try await admin.post(
          "/v1/products/\(product.sku)/stock-adjustments",
          json: StockAdjustmentRequest(delta: 1000, reason: "mark"))
        #expect(try adjusted.decoded(Product.self).stock == product.stock + 1000)
        server.signal(SIGTERM)
        #expect(try await server.exitStatus() == 0)
        #expect(server.log.contains("serving SQLite \(path)"))
      } catch {
        await ServerInstances.stop([server])
        throw error
      }
    }
    #expect(stockSeen.count == 2 && stockSeen[1] == stockSeen[0] + 1000)
  }
}
