import Foundation
import Hummingbird
import Logging
import Synchronization

/// A sandbox card provider shaped like the YooKassa v3 API subset a shop uses, with fault switches.
///
/// Start one in-process with ``start(host:port:databasePath:shopId:secretKey:logger:)`` (tests, the
/// front end's embedded back end), or run one until SIGINT/SIGTERM with
/// ``run(host:port:databasePath:shopId:secretKey:logger:)`` (the `till-payments-sandbox` executable).
public final class PaymentSandbox: Sendable {
  /// The port the server is bound to (the ephemeral one when started with port 0).
  public let port: Int
  /// The address the server is bound to.
  public let host: String
  /// `http://host:port`, the base URL a client sends `/v3/payments` to.
  public var baseURL: String { "http://\(host):\(port)" }

  let store: SandboxStore
  private let server: Task<Void, Never>
  private let stopped = Mutex(false)

  private init(host: String, port: Int, store: SandboxStore, server: Task<Void, Never>) {
    self.host = host
    self.port = port
    self.store = store
    self.server = server
  }

  /// Opens (or creates) the ledger at `databasePath` and starts serving; returns once the port is bound.
  /// The fault switches (`/sandbox/faults`) exist only with `enableFaults`: anyone who can reach them can
  /// make every card fail.
  public static func start(
    host: String = "127.0.0.1", port: Int = 0, databasePath: String, shopId: String, secretKey: String,
    enableFaults: Bool = false, logger: Logger
  ) async throws -> PaymentSandbox {
    try await start(
      host: host, port: port, databasePath: databasePath, shopId: shopId, secretKey: secretKey,
      enableFaults: enableFaults, clock: { Date() }, logger: logger)
  }

  /// As the public `start`, with the clock that stamps payments and keys, so tests can let 24 hours pass.
  static func start(
    host: String, port: Int, databasePath: String, shopId: String, secretKey: String, enableFaults: Bool,
    clock: @escaping @Sendable () -> Date, logger: Logger
  ) async throws -> PaymentSandbox {
    let store = try SandboxStore(path: databasePath)
    let (bound, boundContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
    let application = makeApplication(
      host: host, port: port, store: store, credentials: Credentials(shopId: shopId, secretKey: secretKey),
      enableFaults: enableFaults, clock: clock, logger: logger, bound: boundContinuation)
    let server = Task {
      do {
        try await application.run()
        boundContinuation.finish(throwing: SandboxStartError.stoppedBeforeListening)
      } catch {
        boundContinuation.finish(throwing: error)
      }
    }
    do {
      for try await boundPort in bound {
        return PaymentSandbox(host: host, port: boundPort, store: store, server: server)
      }
      throw SandboxStartError.stoppedBeforeListening
    } catch {
      server.cancel()
      await server.value
      store.close()
      throw error
    }
  }

  /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and closes the ledger.
  public static func run(
    host: String = "127.0.0.1", port: Int, databasePath: String, shopId: String, secretKey: String,
    enableFaults: Bool = false, logger: Logger
  ) async throws {
    let store = try SandboxStore(path: databasePath)
    defer { store.close() }
    let application = makeApplication(
      host: host, port: port, store: store, credentials: Credentials(shopId: shopId, secretKey: secretKey),
      enableFaults: enableFaults, clock: { Date() }, logger: logger, bound: nil)
    try await application.runService()
  }

  /// Stops serving (requests in flight are cancelled) and closes the ledger. Safe to call twice.
  public func stop() async {
    let alreadyStopped = stopped.withLock { stopped in
      defer { stopped = true }
      return stopped
    }
    guard !alreadyStopped else { return }
    server.cancel()
    await server.value
    store.close()
  }

  private static func makeApplication(
    host: String, port: Int, store: SandboxStore, credentials: Credentials, enableFaults: Bool,
    clock: @escaping @Sendable () -> Date, logger: Logger,
    bound: AsyncThrowingStream<Int, any Error>.Continuation?
  ) -> some ApplicationProtocol {
    let router = Router(context: SandboxRequestContext.self)
    router.add(middleware: AccessMiddleware(credentials: credentials, logger: logger))
    SandboxRoutes(store: store, faults: enableFaults ? FaultQueue() : nil, clock: clock).register(on: router)
    return Application(
      router: router, configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { channel in
        // The channel tells the real port when 0 (ephemeral) was asked for.
        bound?.yield(channel.localAddress?.port ?? port)
        bound?.finish()
      }, logger: logger)
  }
}

/// Why ``PaymentSandbox/start(host:port:databasePath:shopId:secretKey:logger:)`` failed.
public enum SandboxStartError: Error, Sendable {
  /// The server ended before it bound its port.
  case stoppedBeforeListening
}
