import Foundation
import GRDB
import Testing
import TillCore
import TillHTTP
import TillLocalServices
import TillStore
import TillTestSupport

/// What the back end does with amounts past the bounds: a seed holding one is refused at start in one
/// line; data that got into the database anyway (an older version, a hand edit) is answered 500 and
/// logged, never a trap, and never a total that adds two currencies.
@Suite("Amounts past the bounds")
struct OutOfBoundsDataTests {
  /// Runs `sql` on the harness's database behind the store's back.
  static func execute(_ sql: String, on harness: ServerHarness) async throws {
    if let sqlite = harness.store as? SQLiteStore {
      let queue = try DatabaseQueue(path: sqlite.path)
      try await queue.write { try $0.execute(sql: sql) }
      try queue.close()
    } else {
      let postgres = try #require(harness.store as? PostgresStore)
      try await PostgresCluster.shared().psql(sql, database: postgres.url.database)
    }
  }

  static func isInternalError(_ response: HTTPResponse) -> Bool {
    response.status == 500 && response.problem?.kind == .internalError
  }

  @Test(
    "an overflowing price or a second currency in the database is a 500, not a crash or a sum",
    arguments: StoreEngine.allCases)
  func storedAmountsPastTheBounds(engine: StoreEngine) async throws {
    let products = [
      Fixtures.product("EUR-3", stock: 5, price: 300), Fixtures.product("USD-5", stock: 5, price: 500),
      Fixtures.product("BIG", stock: 5, price: 1_000_000_000),
    ]
    try await withServer(engine, products: products) { harness in
      let staff = harness.client()
      let mixed = try await staff.createCart()
      _ = try await staff.increment(cart: mixed.id, sku: "EUR-3", delta: 1).decoded(Cart.self)
      _ = try await staff.increment(cart: mixed.id, sku: "USD-5", delta: 1).decoded(Cart.self)
      try await Self.execute("UPDATE products SET price_amount = \(Int.max) WHERE sku = 'BIG'", on: harness)
      try await Self.execute("UPDATE products SET currency = 'USD' WHERE sku = 'USD-5'", on: harness)

      // 2 × Int64.max does not fit: refused, and the line stays at 1.
      let big = try await staff.createCart()
      let one = try await staff.increment(cart: big.id, sku: "BIG", delta: 1).decoded(Cart.self)
      #expect(one.total == Money(amount: Int.max, currency: "EUR"))
      #expect(Self.isInternalError(try await staff.increment(cart: big.id, sku: "BIG", delta: 1)))
      #expect(try await staff.get("/v1/health").status == 200)

      // 3 EUR and 5 USD are never answered as one total, nor ordered.
      #expect(Self.isInternalError(try await staff.get("/v1/carts/\(mixed.id)")))
      #expect(Self.isInternalError(try await staff.placeOrder(cart: mixed.id)))
      let fresh = try await staff.createCart()
      _ = try await staff.increment(cart: fresh.id, sku: "EUR-3", delta: 1).decoded(Cart.self)
      #expect(Self.isInternalError(try await staff.increment(cart: fresh.id, sku: "USD-5", delta: 1)))
      #expect(try await staff.get("/v1/carts/\(fresh.id)").decoded(Cart.self).lines.map(\.sku) == ["EUR-3"])
      let stock = try await Fixtures.stock(staff)
      #expect(stock["EUR-3"] == 5 && stock["USD-5"] == 5)
      #expect(try await Fixtures.orders(staff).isEmpty)
      #expect(try await staff.get("/v1/health").status == 200)
    }
  }

  @Test("till-server refuses a bad --seed in one line", arguments: BadSeed.all)
  func badSeedIsOneLine(seed: BadSeed) async throws {
    let directory = try ExecutableTests.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("seed.json")
    try JSONEncoder().encode(seed.products).write(to: file)
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
      "--seed", file.path, "--staff-token", ExecutableTests.staffToken,
    ])
    let status = try await server.exitStatus()
    if status == nil { server.terminate() }
    #expect(status == 1)
    #expect(server.log.split(separator: "\n").map(String.init) == [seed.line])
  }
}

/// A seed file with one bad product, and the line `till-server` refuses it with.
struct BadSeed: Sendable, CustomTestStringConvertible {
  var testDescription: String
  var products: [Product]
  var line: String

  static let all = [
    BadSeed(
      testDescription: "price Int64.max",
      products: [Fixtures.product("OK", stock: 1), Fixtures.product("MAX", stock: 1, price: Int.max)],
      line: #"till-server: the catalogue cannot be loaded: product 2 (SKU "MAX"): price 9223372036854775807 "#
        + "is outside 0 to 1000000000 minor units"),
    BadSeed(
      testDescription: "a duplicate barcode",
      products: [
        Fixtures.product("A", stock: 1),
        Product(
          sku: "B", name: "B", category: "Test", price: Money(amount: 1, currency: "EUR"), stock: 1,
          barcode: "BC-A"),
      ],
      line: #"till-server: the catalogue cannot be loaded: product 2 (SKU "B"): barcode "BC-A" is also the "#
        + #"barcode of "A""#),
  ]
}
