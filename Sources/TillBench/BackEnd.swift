import Foundation
import Logging
import TillCore
import TillLocalServices
import TillPaymentSandbox
import TillServer
import TillStore

/// What the scenarios drive: a server's URL and tokens, and — when the bench started the back end
/// itself — the store (for `store-order-hot`), the sandbox card provider and the PostgreSQL database.
struct BackEnd: Sendable {
  var engine: String
  var baseURL: String
  /// One terminal token per till. Bench clients are tills: client `i` sells through the session
  /// `sessionToken(forClient: i)` opened on its till. With `--server URL --token T` there is the one
  /// token given, so every client is the same till (whose orders are numbered one after another on that
  /// till's counter).
  var staffTokens: [String]
  var adminToken: String?
  /// Who signs in on every till.
  var cashier: BenchCashier
  /// The cashier's staff session on each till, in the order of `staffTokens` (`signedIn()`).
  var sessionTokens: [String] = []
  /// The store under the server: only when this process started it.
  var store: (any Store)?
  /// The card provider the server charges: only when this process started it.
  var sandboxURL: String?
  /// `Basic …` credentials of that sandbox, for listing its charges.
  var sandboxAuthorization: String?
  /// The database URL and the cluster, for `--compare-pgbench`: only for a PostgreSQL back end started here.
  var postgres: (cluster: PostgresCluster, database: String)?
  /// Stops everything that was started here.
  var stop: @Sendable () async -> Void

  /// The staff session client `index` sells with: the one on its till.
  func sessionToken(forClient index: Int) -> String {
    sessionTokens.isEmpty ? "" : sessionTokens[index % sessionTokens.count]
  }
}

/// Starts a back end in this process: a fresh store (a temp SQLite file, or a new database on a throwaway
/// PostgreSQL cluster), the sandbox card provider, and the server on 127.0.0.1 on a free port.
enum LocalBackEnd {
  /// A staff token of its own for each of `count` tills, as a shop's tills have.
  static func staffTokens(count: Int) -> [String] {
    (0..<max(1, count)).map { "bench-till-\($0)-" + UUID().uuidString.lowercased() }
  }
  static let adminToken = "bench-admin-" + UUID().uuidString.lowercased()
  static let shopId = "bench-shop"
  static let secretKey = "bench-secret-" + UUID().uuidString.lowercased()

  /// `tills`: how many staff tokens the server accepts, one per client of the largest run.
  static func start(engine: BenchEngine, products: [Product], tills: Int) async throws -> BackEnd {
    let staffTokens = staffTokens(count: tills)
    let silent = Logger(label: "till.bench", factory: { _ in SwiftLogNoOpLogHandler() })
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-bench-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let removeDirectory: @Sendable () -> Void = { try? FileManager.default.removeItem(at: directory) }

    let store: any Store & PaymentStore
    var postgres: (cluster: PostgresCluster, database: String)?
    switch engine {
    case .sqlite:
      store = try await SQLiteStore.open(path: directory.appendingPathComponent("till.sqlite").path)
    case .postgres:
      // On disk, not in /dev/shm as in the tests: a commit's fsync must cost what it costs in a shop.
      setenv(PostgresCluster.parentVariable, FileManager.default.temporaryDirectory.path, 0)
      let cluster = try await PostgresCluster.shared()
      let url = try await cluster.makeDatabase()
      // Enough connections for 64 clients plus the in-process store-order-hot workers.
      store = try await PostgresStore.connect(url: url, maximumConnections: 64, logger: silent)
      postgres = (cluster, String(url.split(separator: "/").last ?? ""))
    }
    _ = try await store.seedIfEmpty(with: products)
    let cashier = BenchCashier.local()
    guard let staff = store as? any StaffStore else {
      await store.close()
      removeDirectory()
      throw BenchError("the \(engine.rawValue) store cannot keep staff")
    }
    // The least bcrypt cost: signing in on 64 tills at the start of a run is not what is measured.
    let hasher = PINHasher(cost: PINHasher.allowedCosts.lowerBound)
    _ = try await staff.addStaff(
      code: cashier.code, name: "Bench Cashier", role: .cashier, pinHash: await hasher.hash(cashier.pin),
      by: .admin)

    let sandbox = try await PaymentSandbox.start(
      databasePath: directory.appendingPathComponent("sandbox.sqlite").path, shopId: shopId,
      secretKey: secretKey, logger: silent)
    let configuration = ServerConfiguration(
      host: "127.0.0.1", port: 0, staffTokens: staffTokens, adminToken: adminToken,
      paymentProvider: PaymentProviderConfiguration(
        baseURL: sandbox.baseURL, shopId: shopId, secretKey: secretKey))
    let server = try await RunningServer.start(store: store, configuration: configuration, logger: silent)
    return BackEnd(
      engine: engine.rawValue, baseURL: server.baseURL, staffTokens: staffTokens, adminToken: adminToken,
      cashier: cashier, store: store,
      sandboxURL: sandbox.baseURL,
      sandboxAuthorization: "Basic " + Data("\(shopId):\(secretKey)".utf8).base64EncodedString(),
      postgres: postgres,
      stop: {
        await server.stop()
        await sandbox.stop()
        await store.close()
        removeDirectory()
      })
  }

  /// The catalogue the bench seeds: `count` generated products, every one with stock enough that no
  /// scenario runs out (hot orders take 1 of each hot product per order).
  static func catalogue(count: Int) -> [Product] {
    DemoCatalogue.synthetic(count: count).map { product in
      var product = product
      product.stock = 1_000_000
      return product
    }
  }
}

/// A failure of the bench itself, one line for the operator.
struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
