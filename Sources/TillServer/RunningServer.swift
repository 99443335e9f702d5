import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TillStore

/// A back end running in this process: for the `till` executable's embedded mode, tests and benchmarks.
///
/// ```swift
/// let server = try await RunningServer.start(store: store, configuration: .init(port: 0, staffTokens: ["t"]))
/// defer { Task { await server.stop() } }
/// print(server.baseURL)  // http://127.0.0.1:54321
/// ```
public final class RunningServer: Sendable {
  /// The port actually bound (the ephemeral one when the configuration asked for 0).
  public let port: Int
  public let host: String
  private let group: ServiceGroup
  private let task: Task<Void, any Error>

  public var baseURL: String { "http://\(host):\(port)" }

  private init(port: Int, host: String, group: ServiceGroup, task: Task<Void, any Error>) {
    self.port = port
    self.host = host
    self.group = group
    self.task = task
  }

  /// Binds and starts serving; returns once the socket is listening. Throws a
  /// `ServerConfigurationError` for a bad configuration and the bind error when the port is taken.
  /// The store stays the caller's: `stop()` does not close it. Pending card payments are recovered in
  /// the background right after the server is listening, then every `paymentRecoveryInterval`.
  public static func start(
    store: any Store & PaymentStore, configuration: ServerConfiguration,
    logger: Logger = Logger(label: "till.server")
  ) async throws -> RunningServer {
    let configuration = try configuration.validated()
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = TillApplication.make(store: store, configuration: configuration, logger: logger) {
      channel in
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
      return RunningServer(port: port, host: configuration.host, group: group, task: task)
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
    let application = TillApplication.make(store: store, configuration: configuration, logger: logger)
    try await application.runService()
  }
}

/// The server stopped before it was listening, without saying why.
public enum ServerStartError: Error, Sendable {
  case stoppedBeforeListening
}
