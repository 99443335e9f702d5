import Foundation
import PostgresNIO
import TillCore

/// The shared engine: one PostgreSQL database that any number of `till-server` processes use at once.
///
/// Every guarantee lives in the database, not in this process: row locks (`SELECT … FOR UPDATE` in SKU
/// order) keep orders from overselling, unique constraints make an opId and an idempotency key count
/// once, and each operation is one transaction. Connections come from postgres-nio's pool, which runs
/// in a task this store owns until `close()`. Every connection commits with `synchronous_commit = on`.
public final class PostgresStore: Store {
  public let engine = "postgres"
  /// The currency of an empty cart's total (carts with lines take their products' currency).
  public let currency: String
  /// Whether catalogue prices include tax; every back end on one database must use the same setting.
  public let taxBasis: TaxBasis
  /// Both settings, as the pricing rules take them.
  var pricing: ShopPricing { ShopPricing(currency: currency, basis: taxBasis) }
  /// Where the database is, as given to `connect` (so a restarted store can connect again).
  public let url: PostgresURL
  /// `HOST:PORT`, for messages.
  public var location: String { "\(url.host):\(url.port)" }

  let client: PostgresClient
  let logger: Logger
  private let runTask: Task<Void, Never>
  let counterBox = StoreCounterBox()
  /// Every lease of a pooled connection goes through it, so a wait for one is counted.
  let leases: LeaseCounter
  public var counters: StoreCounters { counterBox.value }

  private init(
    client: PostgresClient, url: PostgresURL, currency: String, taxBasis: TaxBasis, maximumConnections: Int,
    logger: Logger
  ) {
    self.leases = LeaseCounter(capacity: maximumConnections, counters: counterBox)
    self.client = client
    self.url = url
    self.currency = currency
    self.taxBasis = taxBasis
    self.logger = logger
    self.runTask = Task { await client.run() }
  }

  /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, password also from
  /// `PGPASSWORD`), migrates it, and starts the connection pool.
  ///
  /// A database that cannot be reached is one line: `cannot connect to PostgreSQL at HOST:PORT: reason`.
  public static func connect(
    url: String, currency: String = "EUR", taxBasis: TaxBasis = .inclusive, maximumConnections: Int = 20,
    logger: Logger = Logger(label: "till.postgres")
  ) async throws(StoreError) -> PostgresStore {
    let target = try PostgresURL.parse(url)
    return try await connect(
      to: target, currency: currency, taxBasis: taxBasis, maximumConnections: maximumConnections,
      logger: logger)
  }

  public static func connect(
    to target: PostgresURL, currency: String = "EUR", taxBasis: TaxBasis = .inclusive,
    maximumConnections: Int = 20,
    logger: Logger = Logger(label: "till.postgres")
  ) async throws(StoreError) -> PostgresStore {
    let tls: PostgresClient.Configuration.TLS
    switch target.tlsMode {
    case .disable: tls = .disable
    case .prefer: tls = .prefer(.makeClientConfiguration())
    case .require: tls = .require(.makeClientConfiguration())
    }
    // One plain connection first: it turns an unreachable server into one clear error now (the pool
    // would keep retrying quietly), and it runs the migrations before any request is served.
    try await migrate(target, logger: logger)

    var configuration = PostgresClient.Configuration(
      host: target.host, port: target.port, username: target.user, password: target.password,
      database: target.database, tls: tls)
    configuration.options.maximumConnections = max(1, maximumConnections)
    configuration.options.connectTimeout = .seconds(5)
    configuration.options.additionalStartupParameters = durabilityParameters
    // The pool warns when the first lease races the start of `run()` (harmless: the lease waits);
    // real failures reach the caller as errors of the operation that needed the connection.
    var backgroundLogger = logger
    backgroundLogger.logLevel = max(logger.logLevel, .error)
    let client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
    return PostgresStore(
      client: client, url: target, currency: currency, taxBasis: taxBasis,
      maximumConnections: configuration.options.maximumConnections, logger: logger)
  }

  /// Runs the migrations `target`'s database lacks, up to and including `lastVersion`, on a connection
  /// of its own. A database that cannot be reached is one line naming host and port.
  static func migrate(
    _ target: PostgresURL, through lastVersion: Int = .max, logger: Logger = Logger(label: "till.postgres")
  )
    async throws(StoreError)
  {
    let location = "\(target.host):\(target.port)"
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(
        configuration: connectionConfiguration(target), id: 0, logger: logger)
    } catch {
      throw StoreError.engine("cannot connect to PostgreSQL at \(location): \(connectionReason(error))")
    }
    do {
      try await PostgresMigrations.migrate(on: connection, through: lastVersion, logger: logger)
      try await connection.close()
    } catch {
      try? await connection.close()
      throw StoreError.engine(
        "cannot prepare the PostgreSQL database at \(location): \(describe(unwrapTransaction(error)))")
    }
  }

  /// Set on every connection at startup, whatever the server's default: a commit returns only once
  /// its WAL record is flushed to disk, so an acknowledged order survives a crash or power cut.
  static let durabilityParameters = [("synchronous_commit", "on")]

  private static func connectionConfiguration(_ target: PostgresURL) throws
    -> PostgresConnection.Configuration
  {
    let connectionTLS: PostgresConnection.Configuration.TLS
    switch target.tlsMode {
    case .disable: connectionTLS = .disable
    case .prefer: connectionTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
    case .require: connectionTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
    }
    var configuration = PostgresConnection.Configuration(
      host: target.host, port: target.port, username: target.user, password: target.password,
      database: target.database, tls: connectionTLS)
    configuration.options.connectTimeout = .seconds(5)
    configuration.options.additionalStartupParameters = durabilityParameters
    return configuration
  }

  public func close() async {
    runTask.cancel()
    await runTask.value
  }

  /// The durability settings one pooled connection reports, for tests and health checks.
  public func settings() async throws(StoreError) -> PostgresSettings {
    try await withConnection { connection in
      let rows = try await connection.query(
        """
        SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync,
          version() AS version
        """, logger: self.logger
      ).collect()
      guard let row = rows.first?.makeRandomAccess() else { throw StoreError.engine("SHOW answered no row") }
      return PostgresSettings(
        synchronousCommit: try row.decode("synchronous_commit"), fsync: try row.decode("fsync"),
        serverVersion: try row.decode("version"))
    }
  }

  public func schemaStatus() async throws(StoreError) -> SchemaStatus {
    let applied = try await withConnection { connection in
      try await connection.query("SELECT version FROM till_migrations", logger: self.logger).collect()
        .map { row in String(try row.decode(Int.self)) }
    }
    return SchemaStatus.compare(
      known: PostgresMigrations.all.map { String($0.version) }, applied: Set(applied))
  }

  // MARK: - Database access with typed errors

  /// How often a transaction that lost a serialization or deadlock race is tried again.
  static let maxAttempts = 5

  /// Runs `body` in one transaction (READ COMMITTED); any thrown error rolls it back. Our own
  /// `StoreError`s come back unwrapped; serialization failures and deadlocks are retried, bounded.
  func transaction<T: Sendable>(
    retryingAlso alsoRetryable: (any Error) -> Bool = { _ in false },
    _ body: (PostgresConnection) async throws -> T
  ) async throws(StoreError) -> T {
    var attempt = 1
    while true {
      do {
        return try await leases.lease {
          try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
      } catch {
        let cause = Self.unwrapTransaction(error)
        if Self.isRetryable(cause) || alsoRetryable(cause), attempt < Self.maxAttempts {
          attempt += 1
          // A short, growing, jittered pause so the racers do not collide again in lockstep.
          try? await Task.sleep(for: .milliseconds(Int.random(in: 1...5) * attempt))
          continue
        }
        throw Self.storeError(cause)
      }
    }
  }

  /// Runs `body` on one pooled connection outside an explicit transaction (each statement commits
  /// on its own), for reads.
  func withConnection<T: Sendable>(
    _ body: (PostgresConnection) async throws -> T
  ) async throws(StoreError) -> T {
    do {
      return try await leases.lease {
        try await client.withConnection { connection in try await body(connection) }
      }
    } catch {
      throw Self.storeError(error)
    }
  }

  /// The error a transaction closure threw, rather than postgres-nio's wrapper around it.
  static func unwrapTransaction(_ error: any Error) -> any Error {
    guard let wrapper = error as? PostgresTransactionError else { return error }
    return wrapper.closureError ?? wrapper.commitError ?? wrapper.beginError ?? error
  }

  static func isRetryable(_ error: any Error) -> Bool {
    guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
    return state == "40001" || state == "40P01"
  }

  /// The stock constraint (`stock >= 0`) stopped a statement. The order statement checks every line's
  /// stock under the product locks before it decrements, so this is not expected; when it happens the
  /// whole statement was rolled back, and running it again re-reads every fact.
  static func isStockCheckViolation(_ error: any Error) -> Bool {
    guard let error = error as? PSQLError else { return false }
    return error.serverInfo?[.sqlState] == "23514"
      && error.serverInfo?[.constraintName] == "products_stock_check"
  }

  /// Our own refusals pass through; anything else is the engine's fault, described in one line.
  static func storeError(_ error: any Error) -> StoreError {
    if let storeError = error as? StoreError { return storeError }
    return .engine("PostgreSQL: " + describe(error))
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
      if let info = error.serverInfo, let message = info[.message] {
        return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
      }
      return connectionReason(error)
    }
    if error is CancellationError { return "cancelled" }
    return String(describing: error)
  }

  /// A short reason for a failed connection, without NIO's nested error dump.
  static func connectionReason(_ error: any Error) -> String {
    if let error = error as? PSQLError {
      if let message = error.serverInfo?[.message] { return message }
      if let underlying = error.underlying { return connectionReason(underlying) }
      switch error.code {
      case .serverClosedConnection: return "the server closed the connection"
      case .clientClosedConnection, .poolClosed: return "the connection was closed"
      case .sslUnsupported: return "the server does not support TLS"
      default: return error.code.description
      }
    }
    if let error = error as? NIOConnectionError {
      if let failure = error.connectionErrors.first { return connectionReason(failure.error) }
      if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
      return "no address to connect to"
    }
    if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
    if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
    return String(describing: error)
  }
}

/// What a pooled connection reports about durability.
public struct PostgresSettings: Hashable, Sendable {
  /// `synchronous_commit`; "on" means a commit waits for its WAL flush.
  public var synchronousCommit: String
  /// `fsync`; "on" means the server really flushes (off would make synchronous_commit meaningless).
  public var fsync: String
  public var serverVersion: String
}
