import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TillStore

/// A back end running in this process: for the `till` executable's embedded mode, tests and benchmarks.
///
/// ```swift
/// let configuration = ServerConfiguration(port: 0, staffTokens: ["3f9c0e2a7b1d4c6e8a5f0b2d9e7c1a43"])
/// let server = try await RunningServer.start(store: store, configuration: configuration)
/// defer { Task { await server.stop() } }
/// print(server.baseURL)  // http://127.0.0.1:54321
/// ```
public final class RunningServer: Sendable {
  /// The port actually bound (the ephemeral one when the configuration asked for 0).
  public let port: Int
  public let host: String
  /// Whether it serves HTTPS.
  public let tls: Bool
  private let group: ServiceGroup
  private let task: Task<Void, any Error>

  public var baseURL: String { (tls ? "https" : "http") + "://\(host):\(port)" }

  private init(port: Int, host: String, tls: Bool, group: ServiceGroup, task: Task<Void, any Error>) {
    self.port = port
    self.host = host
    self.tls = tls
    self.group = group
    self.task = task
  }

  /// Binds and starts serving; returns once the socket is listening. Throws a
  /// `ServerConfigurationError` for a bad configuration, a `StoreError` when the database's owner secret
  /// cannot be read or its owners renamed, and the bind error when the port is taken.
  /// The store stays the caller's: `stop()` does not close it. Pending card payments are recovered in
  /// the background right after the server is listening, then every `paymentRecoveryInterval`.
  public static func start(
    store: any Store & PaymentStore, configuration: ServerConfiguration,
    logger: Logger = Logger(label: "till.server")
  ) async throws -> RunningServer {
    let configuration = try configuration.validated()
    let store = try serverStore(store)
    let authenticator = try await prepareOwners(store: store, configuration: configuration, logger: logger)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = try TillApplication.make(
      store: store, configuration: configuration, authenticator: authenticator, logger: logger
    ) { channel in
      continuation.yield(channel.localAddress?.port ?? 0)
      continuation.finish()
    }
    let group = ServiceGroup(
      configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
    let task = Task {
      defer { continuation.finish() }
      try await group.run()
    }
    for await port in ports {
      return RunningServer(
        port: port, host: configuration.host, tls: configuration.tls != nil, group: group, task: task)
    }
    // The stream ended without a port: the service group stopped before listening (e.g. port in use).
    try await task.value
    throw ServerStartError.stoppedBeforeListening
  }

  /// Stops accepting, lets requests in flight finish, and returns when the server is down.
  public func stop() async {
    await group.triggerGracefulShutdown()
    _ = await task.result
  }

  /// Serves until SIGINT or SIGTERM, then shuts down gracefully: the `till-server` main loop.
  public static func run(
    store: any Store & PaymentStore, configuration: ServerConfiguration,
    logger: Logger = Logger(label: "till.server")
  ) async throws {
    let configuration = try configuration.validated()
    let store = try serverStore(store)
    let authenticator = try await prepareOwners(store: store, configuration: configuration, logger: logger)
    let application = try TillApplication.make(
      store: store, configuration: configuration, authenticator: authenticator, logger: logger)
    try await application.runService()
  }

  /// The authenticator for the configured tokens under the database's owner secret, after every
  /// configured token's rows have moved from its legacy owner id to its current one (once; a later
  /// start finds nothing to move). Neither the secret nor a token is logged.
  static func prepareOwners(
    store: any Store & PaymentStore, configuration: ServerConfiguration, logger: Logger
  ) async throws(StoreError) -> TokenAuthenticator {
    let authenticator = TokenAuthenticator(
      terminals: configuration.allTerminals, adminToken: configuration.adminToken,
      secret: try await store.ownerSecret())
    let tokens = configuration.allTerminals.map(\.token) + [configuration.adminToken].compactMap { $0 }
    let moved = try await store.renameOwners(OwnerIDs.renames(tokens: tokens, authenticator: authenticator))
    if moved > 0 {
      logger.notice("moved rows from legacy owner ids to keyed ones", metadata: ["rows": "\(moved)"])
    }
    return authenticator
  }

  /// The store as the server needs it: every engine keeps staff too; one that does not cannot serve.
  static func serverStore(_ store: any Store & PaymentStore) throws(ServerStartError) -> any ServerStore {
    guard let store = store as? any ServerStore else { throw .storeWithoutStaff(engine: store.engine) }
    return store
  }
}

/// Why the server did not start, apart from its configuration and its store's errors.
public enum ServerStartError: Error, Sendable {
  /// The server stopped before it was listening, without saying why.
  case stoppedBeforeListening
  /// The store cannot keep staff, sessions and the audit trail.
  case storeWithoutStaff(engine: String)
}
