import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// The throwaway cluster and what `PostgresStore` promises beyond the shared conformance suite:
/// connecting, migrations, durability settings, and one clear line when the server is unreachable.
@Suite("PostgreSQL cluster and store setup")
struct PostgresClusterTests {
  @Test("the cluster starts and a store connects, migrates and answers")
  func clusterStarts() async throws {
    let cluster = try await PostgresCluster.shared()
    #expect(FileManager.default.fileExists(atPath: cluster.directory + "/data/PG_VERSION"))
    let store = try await PostgresStore.connect(url: try await cluster.makeDatabase())
    defer { Task { await store.close() } }
    #expect(store.engine == "postgres")
    let seeded = try await store.seedIfEmpty(with: Self.products)
    #expect(seeded == 2)
    let again = try await store.seedIfEmpty(with: Self.products)
    #expect(again == 0)
    let product = try await store.product(sku: "A-1")
    #expect(product.name == "Café crème")
    await store.close()
  }

  @Test("every pooled connection commits with synchronous_commit on, on a server with fsync on")
  func durability() async throws {
    let cluster = try await PostgresCluster.shared()
    let store = try await PostgresStore.connect(url: try await cluster.makeDatabase(), maximumConnections: 4)
    // Several at once, so more than one pooled connection answers.
    let settings = try await withThrowingTaskGroup(of: PostgresSettings.self) { group in
      for _ in 0..<8 { group.addTask { try await store.settings() } }
      return try await group.reduce(into: [PostgresSettings]()) { $0.append($1) }
    }
    await store.close()
    #expect(settings.count == 8)
    #expect(settings.allSatisfy { $0.synchronousCommit == "on" && $0.fsync == "on" })
  }

  @Test("synchronous_commit is on even when the database default says off")
  func durabilityOverridesDatabaseDefault() async throws {
    let cluster = try await PostgresCluster.shared()
    let url = try await cluster.makeDatabase()
    let name = String(url.split(separator: "/").last ?? "")
    // The database's own default is weakened; the store must still commit synchronously.
    try await cluster.psql("ALTER DATABASE \(name) SET synchronous_commit = off", database: "postgres")
    let plain = try await cluster.psql("SHOW synchronous_commit", database: name)
    #expect(plain.trimmingCharacters(in: .whitespacesAndNewlines) == "off")
    let store = try await PostgresStore.connect(url: url, maximumConnections: 2)
    let settings = try await store.settings()
    await store.close()
    #expect(settings.synchronousCommit == "on")
  }

  @Test("migrations run once, also when several stores start on one database at the same moment")
  func migrationsAreIdempotentAndConcurrent() async throws {
    let cluster = try await PostgresCluster.shared()
    let url = try await cluster.makeDatabase()
    let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
      for _ in 0..<6 { group.addTask { try await PostgresStore.connect(url: url, maximumConnections: 2) } }
      return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
    }
    #expect(stores.count == 6)
    let again = try await PostgresStore.connect(url: url, maximumConnections: 2)
    let name = String(url.split(separator: "/").last ?? "")
    let versions = try await cluster.psql(
      "SELECT version FROM till_migrations ORDER BY version", database: name)
    #expect(
      versions.split(separator: "\n") == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
      "each migration recorded exactly once")
    // Concurrent seeding too: exactly one store loads the catalogue.
    let seeded = try await withThrowingTaskGroup(of: Int.self) { group in
      for store in stores { group.addTask { try await store.seedIfEmpty(with: Self.products) } }
      return try await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(seeded.sorted() == [0, 0, 0, 0, 0, 2])
    for store in stores { await store.close() }
    await again.close()
  }

  @Test("a closed port is one clear StoreError line naming host and port")
  func connectionRefused() async throws {
    let port = try LoopbackSocket.unusedPort()
    let started = ContinuousClock.now
    let error = await #expect(throws: StoreError.self) {
      _ = try await PostgresStore.connect(url: "postgres://till@127.0.0.1:\(port)/till")
    }
    #expect(ContinuousClock.now - started < .seconds(10))
    guard case .engine(let message) = error else {
      Issue.record("expected StoreError.engine, got \(String(describing: error))")
      return
    }
    #expect(message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:\(port): "))
    #expect(message.localizedCaseInsensitiveContains("refused"))
    #expect(!message.contains("\n"))
    #expect(message.count < 120)
  }

  @Test("an unknown database is one clear line with the server's reason")
  func unknownDatabase() async throws {
    let cluster = try await PostgresCluster.shared()
    let error = await #expect(throws: StoreError.self) {
      _ = try await PostgresStore.connect(url: cluster.url(database: "no_such_database"))
    }
    guard case .engine(let message) = error else {
      Issue.record("expected StoreError.engine, got \(String(describing: error))")
      return
    }
    #expect(
      message == "cannot connect to PostgreSQL at 127.0.0.1:\(cluster.port): "
        + "database \"no_such_database\" does not exist")
  }

  @Test("two stores on one database (as two servers would be) split the load and keep every guarantee")
  func twoInstancesShareTheGuarantees() async throws {
    let cluster = try await PostgresCluster.shared()
    let url = try await cluster.makeDatabase()
    let first = try await PostgresStore.connect(url: url, maximumConnections: 8)
    let second = try await PostgresStore.connect(url: url, maximumConnections: 8)
    _ = try await first.seedIfEmpty(with: Self.products)
    let instances = [first, second]
    let owner = "staff-alpha"
    // Oversell: stock 5, 30 carts of one each, checkouts alternate between the instances.
    var carts: [Cart] = []
    for index in 0..<30 {
      let store = instances[index % 2]
      let cart = try await store.createCart(owner: owner, staff: Fixture.staff)
      carts.append(
        try await store.applyIncrement(
          IncrementRequest(sku: "A-1", delta: 1, opId: "add"), cartId: cart.id, owner: owner))
    }
    let placed = await withTaskGroup(of: Bool.self) { group in
      for (index, cart) in carts.enumerated() {
        group.addTask {
          let placement = try? await instances[index % 2].placeOrder(
            cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: "k-\(index)")
          return placement != nil
        }
      }
      return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(placed == 5)
    #expect(try await second.product(sku: "A-1").stock == 0)
    // Lost update and exactly-once across instances: 100 distinct +1 and one opId sent 20 times.
    let cart = try await first.createCart(owner: owner, staff: Fixture.staff)
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<100 {
        group.addTask {
          _ = try? await instances[index % 2].applyIncrement(
            IncrementRequest(sku: "B-2", delta: 1, opId: "plus-\(index)"), cartId: cart.id, owner: owner)
        }
      }
      for index in 0..<20 {
        group.addTask {
          _ = try? await instances[index % 2].applyIncrement(
            IncrementRequest(sku: "A-1", delta: 7, opId: "the-one"), cartId: cart.id, owner: owner)
        }
      }
    }
    let final = try await first.cart(id: cart.id, owner: owner)
    #expect(final.lines.map(\.quantity) == [7, 100])
    // One key sent to both instances at once: one order, the rest replays.
    let keyed = try await first.createCart(owner: owner, staff: Fixture.staff)
    _ = try await first.applyIncrement(
      IncrementRequest(sku: "B-2", delta: 2, opId: "add"), cartId: keyed.id, owner: owner)
    let placements = await withTaskGroup(of: OrderPlacement?.self) { group in
      for index in 0..<10 {
        group.addTask {
          try? await instances[index % 2].placeOrder(
            cartId: keyed.id, owner: owner, staff: Fixture.staff, idempotencyKey: "once")
        }
      }
      return await group.reduce(into: [OrderPlacement?]()) { $0.append($1) }
    }
    #expect(placements.compactMap { $0 }.count == 10)
    #expect(Set(placements.compactMap { $0?.order.id }).count == 1)
    #expect(placements.compactMap { $0 }.filter { !$0.replayed }.count == 1)
    #expect(try await second.product(sku: "B-2").stock == 7)
    await first.close()
    await second.close()
  }

  @Test("URLs: user, password, PGPASSWORD, port default, bad input")
  func urlParsing() throws {
    let full = try PostgresURL.parse("postgres://till:s%40cret@db.example:6543/shop", environment: [:])
    #expect(
      full == PostgresURL(user: "till", password: "s@cret", host: "db.example", port: 6543, database: "shop"))
    let fromEnvironment = try PostgresURL.parse(
      "postgresql://till@localhost/shop?sslmode=disable", environment: ["PGPASSWORD": "pw"])
    #expect(fromEnvironment.password == "pw")
    #expect(fromEnvironment.port == 5432)
    #expect(fromEnvironment.tlsMode == .disable)
    for bad in [
      "sqlite:/tmp/x", "postgres://localhost/shop", "postgres://till@localhost", "postgres://till@/x",
    ] {
      #expect(throws: StoreError.self) { _ = try PostgresURL.parse(bad, environment: [:]) }
    }
  }

  static let products = [
    Product(
      sku: "A-1", name: "Café crème", category: "Coffee", price: Money(amount: 350, currency: "EUR"),
      stock: 5,
      barcode: "2000000000015"),
    Product(
      sku: "B-2", name: "Brötchen", category: "Bakery", price: Money(amount: 80, currency: "EUR"), stock: 9,
      barcode: "2000000000022"),
  ]
}
