import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Several real `till-server` processes on one PostgreSQL database, started and always stopped.
///
/// The instances share nothing but the database, so whatever they guarantee together comes from the
/// database's locks and unique constraints: servers scale out because they hold no state of their own.
struct ServerInstances {
  let processes: [ServerProcess]
  let baseURLs: [String]
  /// The demo cashier's session on each till, by the till's token; a session lives in the database, so
  /// every instance knows it.
  var sessions: [String: String] = [:]

  /// A client of instance `index % count`: the load is split round-robin. A till's token is replaced by
  /// the cashier's session on that till (carts and orders need one); other tokens are sent as given.
  func client(_ index: Int, token: String? = ServerHarness.staffToken) -> APITestClient {
    APITestClient(baseURL: baseURLs[index % baseURLs.count], token: token.map { sessions[$0] ?? $0 })
  }

  /// SIGTERM, a short wait for a clean exit, then SIGKILL for anything still running.
  static func stop(_ processes: [ServerProcess]) async {
    for process in processes where process.isRunning { process.signal(SIGTERM) }
    for process in processes {
      if (try? await process.exitStatus(within: .seconds(10))) ?? nil == nil { process.terminate() }
    }
  }
}

/// Starts `count` till-server processes at once on `database` (they race to migrate and seed it with
/// `products`), runs `body`, and stops every process afterwards, also when anything throws.
func withInstances<Result>(
  _ count: Int = 2, database: String, products: [Product], arguments extra: [String] = [],
  environment: [String: String] = [:], _ body: (ServerInstances) async throws -> Result
) async throws -> Result {
  let directory = try TemporaryDirectory.make("till-multi")
  defer { try? FileManager.default.removeItem(at: directory) }
  let seed = directory.appendingPathComponent("seed.json")
  try JSONEncoder().encode(products).write(to: seed)
  let arguments =
    [
      "--listen", "127.0.0.1:0", "--database", database, "--seed", seed.path,
      "--staff-token", ServerHarness.staffToken, "--staff-token", ServerHarness.otherStaffToken,
      "--admin-token", ServerHarness.adminToken,
    ] + StaffSignIn.demoStaffArguments + extra
  var processes: [ServerProcess] = []
  do {
    for _ in 0..<count {
      processes.append(try ServerProcess(arguments: arguments, environment: environment))
    }
    var baseURLs: [String] = []
    for process in processes {
      let port = try #require(
        try await process.port(within: .seconds(30)), "no listening line in: \(process.log)")
      baseURLs.append("http://127.0.0.1:\(port)")
    }
    let sessions = try await StaffSignIn.sessions(
      baseURL: baseURLs[0], terminalTokens: [ServerHarness.staffToken, ServerHarness.otherStaffToken])
    let instances = ServerInstances(processes: processes, baseURLs: baseURLs, sessions: sessions)
    let result = try await body(instances)
    await ServerInstances.stop(processes)
    return result
  } catch {
    await ServerInstances.stop(processes)
    throw error
  }
}

/// A fresh database on the test cluster, for one test's instances.
func freshPostgresDatabase() async throws -> String {
  try await PostgresCluster.shared().makeDatabase()
}

/// The concurrency scenarios (oversell, lost update, replay, double pay) with the load split between two
/// till-server processes on one PostgreSQL database: the same counted results as on one instance.
@Suite("Two till-server processes on one PostgreSQL database")
struct MultiInstanceTests {
  @Test("Oversell: 50 buyers on two instances against stock 5 → exactly 5 orders")
  func oversell() async throws {
    let database = try await freshPostgresDatabase()
    try await withInstances(database: database, products: [Fixtures.product("LOW", stock: 5)]) { instances in
      // Each cart is filled through one instance and ordered through the other: nothing lives in a process.
      var carts: [String] = []
      for index in 0..<50 {
        let client = instances.client(index)
        let cart = try await client.createCart()
        _ = try await client.increment(cart: cart.id, sku: "LOW", delta: 1).decoded(Cart.self)
        carts.append(cart.id)
      }
      let answers = try await withThrowingTaskGroup(of: (Int, Problem?).self) { group in
        for (index, cart) in carts.enumerated() {
          let client = instances.client(index + 1)
          group.addTask {
            let response = try await client.placeOrder(cart: cart)
            return (response.status, response.problem)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      // Named closure parameters on purpose: two `filter { $0.0 == N }` closures in this test body
      // once both answered the 201s (seen with Swift 6.3.1, debug build).
      let placed = answers.filter { status, _ in status == 201 }
      let refused = answers.filter { status, _ in status == 409 }
      #expect(placed.count == 5)
      #expect(refused.count == 45)
      #expect(refused.allSatisfy { $0.1?.shortages == [Shortage(sku: "LOW", requested: 1, available: 0)] })
      for index in 0..<2 {
        #expect(try await Fixtures.stock(instances.client(index))["LOW"] == 0)
        #expect(try await Fixtures.orders(instances.client(index)).count == 5)
      }
    }
  }

  @Test("Lost update and exactly once: 500 × +1 and one opId 20 times, split over two instances")
  func lostUpdate() async throws {
    let database = try await freshPostgresDatabase()
    let products = [Fixtures.product("HOT", stock: 10), Fixtures.product("ONE", stock: 10)]
    try await withInstances(database: database, products: products) { instances in
      let cart = try await instances.client(0).createCart()
      let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
        for index in 0..<16 {
          // 500 = 16 × 31 + 4: the first four clients send one more.
          let count = 31 + (index < 4 ? 1 : 0)
          let client = instances.client(index)
          group.addTask {
            var statuses: [Int] = []
            for _ in 0..<count {
              statuses.append(try await client.increment(cart: cart.id, sku: "HOT", delta: 1).status)
            }
            return statuses
          }
        }
        for index in 0..<20 {
          let client = instances.client(index)
          group.addTask {
            [try await client.increment(cart: cart.id, sku: "ONE", delta: 3, opId: "same-op").status]
          }
        }
        return try await group.reduce(into: []) { $0 += $1 }
      }
      #expect(statuses.count == 520)
      #expect(statuses.allSatisfy { $0 == 200 })
      for index in 0..<2 {
        let final = try await instances.client(index).get("/v1/carts/\(cart.id)").decoded(Cart.self)
        #expect(final.lines.map(\.sku) == ["HOT", "ONE"])
        #expect(final.lines.map(\.quantity) == [500, 3])
      }
    }
  }

  @Test("Order replay: one key sent 10 times at once to two instances → one order")
  func orderReplay() async throws {
    let database = try await freshPostgresDatabase()
    try await withInstances(database: database, products: [Fixtures.product("REP", stock: 10)]) { instances in
      let cart = try await instances.client(0).createCart()
      _ = try await instances.client(1).increment(cart: cart.id, sku: "REP", delta: 2).decoded(Cart.self)
      let answers = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
        for index in 0..<10 {
          let client = instances.client(index)
          group.addTask { try await client.placeOrder(cart: cart.id, key: "replay-key-1") }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let placed = answers.filter { $0.status == 201 }
      let inFlight = answers.filter { $0.status == 409 }
      #expect(placed.count + inFlight.count == 10)
      #expect(!placed.isEmpty)
      #expect(inFlight.allSatisfy { $0.problem?.kind == .requestInFlight })
      let orderIDs = Set(try placed.map { try $0.decoded(Order.self, expecting: 201).id })
      #expect(orderIDs.count == 1)
      #expect(placed.filter { $0.header("Idempotent-Replayed") == "true" }.count == placed.count - 1)
      for index in 0..<2 {
        let again = try await instances.client(index).placeOrder(cart: cart.id, key: "replay-key-1")
        #expect(again.status == 201 && again.header("Idempotent-Replayed") == "true")
        #expect(orderIDs == [try again.decoded(Order.self, expecting: 201).id])
        #expect(try await Fixtures.orders(instances.client(index)).count == 1)
        #expect(try await Fixtures.stock(instances.client(index))["REP"] == 8)
      }
    }
  }

  @Test("Double pay: 50 concurrent card payments through two instances → one charge at the provider")
  func doublePay() async throws {
    let database = try await freshPostgresDatabase()
    let sandbox = try await SandboxHarness.start()
    do {
      try await withInstances(
        database: database, products: PaymentFixtures.products,
        arguments: ["--payment-provider", sandbox.baseURL, "--payment-shop-id", SandboxHarness.shopId],
        // The secret travels in the environment, as an operator should pass it.
        environment: ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey]
      ) { instances in
        let order = try await instances.client(0).placedOrder()
        // Each provider call is held 200 ms after charging, so the requests of both instances pile up.
        try await sandbox.arm(Fault(mode: .delayAfterCharge, count: 50, delayMs: 200))
        let answers = try await withThrowingTaskGroup(of: (Int, Payment?).self) { group in
          for index in 0..<50 {
            let client = instances.client(index)
            group.addTask {
              let response = try await client.pay(order.id, .card)
              return (response.status, try? JSONDecoder().decode(Payment.self, from: Data(response.body)))
            }
          }
          return try await group.reduce(into: []) { $0.append($1) }
        }
        try await sandbox.clearFaults()
        #expect(answers.count == 50)
        #expect(answers.allSatisfy { $0.0 == 201 || $0.0 == 200 }, "\(answers.map(\.0))")
        let ids = Set(answers.compactMap { $0.1?.id })
        #expect(ids.count == 1)
        #expect(answers.allSatisfy { $0.1?.status == .succeeded && $0.1?.attempt == 1 })
        let charges = try await sandbox.payments()
        #expect(charges.count == 1)
        #expect(charges.first?.status == "succeeded")
        #expect(charges.first?.metadata["orderId"] == order.id)
        for index in 0..<2 {
          let paid = try await instances.client(index).order(order.id)
          #expect(paid.status == .paid && paid.payment?.id == ids.first)
          let again = try await instances.client(index).pay(order.id, .card)
          #expect(again.status == 200)
        }
        #expect(try await sandbox.payments().count == 1)
      }
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()
  }
}
