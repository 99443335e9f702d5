import Foundation
import Logging
import TillCommandLine
import TillCore
import TillPaymentSandbox
import TillServer
import TillStore

/// The whole back end inside the `till` process: the SQLite store, the sandbox card provider (its own
/// ledger file beside the database, a random shop secret), the API server on an ephemeral loopback port,
/// the till's token (random on the first run, then kept beside the database: `tokenPath`), one per demo
/// terminal derived from it, and a fresh random admin token for demo restocks). The demo cashier and manager (`DemoStaff`) are seeded, so someone can sign in at once.
/// The front end reaches it over real HTTP like any remote till would.
struct EmbeddedBackend: Sendable {
  let store: SQLiteStore
  /// Held while this till serves the database, so `till-server restore` cannot replace it meanwhile.
  let servingLock: ServingLock
  let sandbox: PaymentSandbox
  let server: RunningServer
  /// The token of the till on this screen.
  let staffToken: String
  /// One token per simulated terminal of `--demo`, so their carts and orders are their own.
  let demoTokens: [String]
  let adminToken: String
  var baseURL: String { server.baseURL }

  /// What to start with.
  struct Options: Sendable {
    var databasePath: String
    /// Seed an empty database with this many generated products instead of the demo catalogue.
    var catalogueSize: Int?
    /// This till's token; nil makes a fresh random one.
    var staffToken: String?
    /// The name of the till on this screen, as the server knows it (1–32 letters, digits, spaces, `_`, `-`).
    var terminalName: String
    var demoTerminals: Int
    /// The shop's receipt header, discount limit and tax basis (`ShopFlags` with the environment).
    var shop = ShopSettingsValues()
  }

  /// Where the till's token is kept: beside the database, named after it.
  static func tokenPath(_ databasePath: String) -> String { databasePath + ".terminal-token" }

  /// Opens (creating and seeding on first run) the database, and starts serving.
  static func start(_ options: Options, logger: Logger) async throws -> EmbeddedBackend {
    let directory = URL(fileURLWithPath: options.databasePath).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let servingLock = try ServingLock.serving(options.databasePath)
    let store: SQLiteStore
    do {
      store = try await SQLiteStore.open(
        path: options.databasePath, taxBasis: options.shop.pricesExcludeTax ? .exclusive : .inclusive)
    } catch {
      servingLock.release()
      throw error
    }
    var sandbox: PaymentSandbox?
    do {
      try await seed(store, options: options, logger: logger)
      let shopId = "till-embedded"
      let secretKey = Secrets.token("sandbox")
      let cards = try await PaymentSandbox.start(
        databasePath: directory.appendingPathComponent("till-sandbox.sqlite").path, shopId: shopId,
        secretKey: secretKey, enableFaults: true, logger: logger)
      sandbox = cards
      let staffToken =
        try options.staffToken ?? Secrets.storedToken(at: tokenPath(options.databasePath), prefix: "till")
      // The demo tills' tokens follow the till's, so they too find their registers again.
      let demoTokens = (0..<options.demoTerminals).map { "\(staffToken)-demo-\($0 + 1)" }
      let adminToken = Secrets.token("admin")
      let terminals =
        [ServerConfiguration.Terminal(name: options.terminalName, token: staffToken)]
        + demoTokens.enumerated().map { ServerConfiguration.Terminal(name: "demo-\($0 + 1)", token: $1) }
      var configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, staffTokens: [], adminToken: adminToken,
        paymentProvider: PaymentProviderConfiguration(
          baseURL: cards.baseURL, shopId: shopId, secretKey: secretKey),
        terminals: terminals)
      configuration.applyShop(
        name: options.shop.shopName, addressLines: options.shop.addressLines, vatId: options.shop.vatId,
        cashierDiscountLimit: options.shop.cashierDiscountLimit,
        showExpectedCash: options.shop.showExpectedCash,
        requireRegisterSession: options.shop.requireRegisterSession)
      try await DemoStaff.seed(into: store, hasher: PINHasher(cost: configuration.pinHashCost))
      let server = try await RunningServer.start(store: store, configuration: configuration, logger: logger)
      logger.notice("embedded back end serving \(options.databasePath) at \(server.baseURL)")
      return EmbeddedBackend(
        store: store, servingLock: servingLock, sandbox: cards, server: server, staffToken: staffToken,
        demoTokens: demoTokens,
        adminToken: adminToken)
    } catch {
      await sandbox?.stop()
      await store.close()
      servingLock.release()
      throw error
    }
  }

  /// Stops serving and closes the database and the card ledger.
  func stop() async {
    await server.stop()
    await sandbox.stop()
    await store.close()
    servingLock.release()
  }

  private static func seed(_ store: SQLiteStore, options: Options, logger: Logger) async throws {
    let products =
      if let count = options.catalogueSize {
        DemoCatalogue.synthetic(count: count, currency: store.currency)
      } else {
        try DemoCatalogue.load()
      }
    let inserted = try await store.seedIfEmpty(with: products)
    if inserted > 0 {
      logger.notice("seeded \(inserted) products into \(options.databasePath)")
    } else if options.catalogueSize != nil {
      throw TillCommandError(
        "--catalogue-size fills only a new database, and \(options.databasePath) already has products; "
          + "pass --database with a path that does not exist yet")
    }
  }
}
