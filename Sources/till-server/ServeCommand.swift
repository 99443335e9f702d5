import ArgumentParser
import Foundation
import Logging
import TillCommandLine
import TillCore
import TillServer
import TillStore

/// `till-server [serve]`: the Till back end alone — catalogue, carts, orders and payments over HTTP on
/// SQLite or PostgreSQL. Serving is what `till-server` does when no other command is named.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the Till point-of-sale API (catalogue, carts, orders, payments) on SQLite or Postgres.",
    discussion: """
      Every /v1 route but /v1/health needs `Authorization: Bearer <token>`. A terminal's token (one per \
      till) reads the catalogue and lets a person sign in; the admin token adjusts stock, manages staff \
      and reads the audit trail. Tokens come from the flags, from files (--staff-token-file, \
      --admin-token-file) or from the environment: TILL_TERMINALS, TILL_STAFF_TOKENS (comma-separated) \
      and TILL_ADMIN_TOKEN. The server refuses to start without a terminal. An empty database is filled \
      with the demo catalogue, or with --seed FILE.

      Card payments go to a YooKassa-v3-shaped provider (till-payments-sandbox included) given by \
      --payment-provider URL with --payment-shop-id and --payment-secret-key, or TILL_PAYMENT_PROVIDER, \
      TILL_PAYMENT_SHOP_ID and TILL_PAYMENT_SECRET_KEY (prefer the environment for the secret: it keeps it \
      out of the process list; it is never logged). Without a provider, card payments answer 503 and cash \
      works. Pending card payments are settled at start and every 30 seconds.

      GET /metrics answers Prometheus's text format to this machine only, or to anyone sending \
      `Authorization: Bearer <token>` with the token of --metrics-token-file or TILL_METRICS_TOKEN.

      Receipts print --shop-name, --shop-address (repeatable) and --vat-id at their top. Catalogue prices \
      include tax unless --prices-exclude-tax; every back end on one database must use the same setting. \
      A cashier may give discounts up to --cashier-discount-limit percent (default 10) without a manager.

      On an address other machines reach, it serves HTTPS with --tls-certificate and --tls-key (make \
      them with `till-server certificate create`) and refuses plain HTTP unless --allow-plain-http.

      With --database postgres://USER@HOST:PORT/DB any number of till-server processes can share one \
      PostgreSQL database: every lock and uniqueness lives in the database. SQLite stays the default.

      People sign in at a till with a staff code and PIN (POST /v1/sign-in with the terminal's token); \
      carts, orders and payments need that staff session, which ends after --session-idle unused. Name the tills with --terminal NAME=TOKEN (or \
      TILL_TERMINALS=name=token,…; plain staff tokens are till-1, till-2, …). Create the first manager \
      with `till-server staff add --code 1001 --name "Ana" --role manager` on the same --database; \
      --demo-staff adds the demo cashier 1001 (PIN 1234) and manager 2001 (PIN 4321), for trying it out.

      SIGINT or SIGTERM stops it gracefully. Every refusal, a bad flag included, is one line on standard \
      error and a non-zero exit status.
      """)

  @Option(name: .long, help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
  var listen = ListenAddress(host: "127.0.0.1", port: 8080)

  @OptionGroup(title: "TLS") var tls: TLSServeFlags

  @Option(name: .long, help: StoreLocation.help)
  var database: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A JSON array of products loaded into an empty database (default: the demo catalogue).",
      valueName: "file"))
  var seed: String?

  @Option(name: .long, help: ArgumentHelp("A staff token (repeatable).", valueName: "token"))
  var staffToken: [String] = []

  @Option(name: .long, help: ArgumentHelp("The admin token (may also adjust stock).", valueName: "token"))
  var adminToken: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A named till: its name (1-32 of letters, digits, space, _ and -) and its token (repeatable; env"
        + " TILL_TERMINALS=name=token,…).", valueName: "name=token"))
  var terminal: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp("How long a staff session lives unused: 90s, 30m, 12h, 1d.", valueName: "duration"))
  var sessionIdle = IdleDuration(hours: 12)

  @OptionGroup var cost: PINCostOption

  @OptionGroup(title: "Shop") var shop: ShopFlags

  @Flag(name: .long, help: "Add the demo cashier 1001 (PIN 1234) and manager 2001 (PIN 4321) if missing.")
  var demoStaff = false

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A file of staff tokens, one a line ('#' starts a comment), so no token shows in the process list"
        + " (repeatable).", valueName: "file"))
  var staffTokenFile: [String] = []

  @Option(name: .long, help: ArgumentHelp("A file holding the admin token.", valueName: "file"))
  var adminTokenFile: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A file holding the token a Prometheus scraper sends for /metrics (env TILL_METRICS_TOKEN); without"
        + " one, /metrics answers this machine only.", valueName: "file"))
  var metricsTokenFile: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Base URL of the card provider, e.g. http://127.0.0.1:8090 (env TILL_PAYMENT_PROVIDER).",
      valueName: "url"))
  var paymentProvider: String?

  @Option(
    name: .long,
    help: ArgumentHelp("Shop id at the card provider (env TILL_PAYMENT_SHOP_ID).", valueName: "id"))
  var paymentShopId: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Secret key at the card provider (env TILL_PAYMENT_SECRET_KEY, preferred).", valueName: "key"))
  var paymentSecretKey: String?

  @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = LogLevel.info

  @Option(
    name: .long,
    help: ArgumentHelp(
      "text: a readable line; json: one JSON object a line, with each request's id (also X-Request-Id).",
      valueName: "text|json"))
  var logFormat = LogFormat.text

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Most client connections open at once; one more is answered 503 too-many-connections.",
      valueName: "n"))
  var maxConnections = ServerConfiguration.defaultMaxConnections

  @Option(
    name: .long,
    help: ArgumentHelp(
      "How often pending card payments are settled with the provider (also at every start).",
      valueName: "seconds"))
  var paymentRecoverySeconds = 30

  func validate() throws {
    guard maxConnections >= 1 else {
      throw ValidationError("the connection cap must be at least 1, not \(maxConnections)")
    }
    guard paymentRecoverySeconds >= 1 else {
      throw ValidationError("the payment recovery interval must be positive")
    }
  }

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let settings: StartupSettings
    do {
      var resolved = try StartupSettings(
        listen: listen, database: database, seed: seed,
        staffTokens: staffToken + (try TokenFile.tokens(in: staffTokenFile, kind: "staff")),
        terminals: terminal,
        adminToken: try adminToken
          ?? adminTokenFile.map { path in try TokenFile.single(in: path, kind: "admin") },
        logLevel: logLevel.level,
        payment: PaymentFlags(provider: paymentProvider, shopId: paymentShopId, secretKey: paymentSecretKey),
        shop: try shop.resolved(environment: environment), transport: tls, environment: environment)
      resolved.configuration.metricsToken =
        try metricsTokenFile.map { path in try TokenFile.single(in: path, kind: "metrics") }
        ?? environment["TILL_METRICS_TOKEN"]
      resolved.configuration.pinHashCost = cost.pinCost
      resolved.configuration.sessionIdle = sessionIdle.duration
      resolved.configuration.maxConnections = maxConnections
      resolved.configuration.paymentRecoveryInterval = .seconds(paymentRecoverySeconds)
      resolved.configuration = try resolved.configuration.validated()
      settings = resolved
    } catch {
      throw Self.refusal(error)
    }
    LoggingSystem.bootstrap(logFormat.handler(level: settings.logLevel))
    let logger = Logger(label: "till.server")
    let location: StoreLocation
    let store: any Store & PaymentStore
    var servingLock: ServingLock?
    defer { servingLock?.release() }
    do {
      location = try StoreLocation(settings.databasePath, environment: environment)
      // Held until the process ends: a restore refuses to replace the file under a running server.
      if case .sqlite(let path) = location { servingLock = try ServingLock.serving(path) }
      store = try await location.open(
        seedPath: settings.seedPath, taxBasis: settings.taxBasis, logger: logger)
    } catch {
      throw Self.refusal(error)
    }
    if demoStaff {
      do {
        guard let staff = store as? any StaffStore else {
          throw StartupError("the \(store.engine) store cannot keep staff")
        }
        try await DemoStaff.seed(into: staff, hasher: PINHasher(cost: settings.configuration.pinHashCost))
        logger.notice("demo staff: cashier 1001 and manager 2001 (not for a real shop)")
      } catch {
        await store.close()
        throw Self.refusal(error)
      }
    }
    do {
      logger.info("serving \(location) on \(settings.configuration.host):\(settings.configuration.port)")
      if let provider = settings.configuration.paymentProvider {
        logger.info("card payments via \(Redaction.url(provider.baseURL)) as shop \(provider.shopId)")
      } else {
        logger.info("card payments are not configured (no --payment-provider); cash only")
      }
      try await RunningServer.run(store: store, configuration: settings.configuration, logger: logger)
      await store.close()
    } catch {
      await store.close()
      throw Self.refusal(error)
    }
  }

  /// Prints one clear line on standard error and answers the exit status to throw: what an operator
  /// needs when start-up fails.
  static func refusal(_ error: any Error) -> ExitCode {
    let message =
      switch error {
      case let error as StoreError: StartupError.describe(error)
      default: String(describing: error)
      }
    TillServerCommand.printError(message)
    return ExitCode(1)
  }
}
