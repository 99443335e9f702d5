import Foundation
import Logging
import TillCore
import TillHTTP
import TillServer
import TillStore

/// A real back end for tests: the HTTP application on 127.0.0.1 with an ephemeral port, on a fresh store
/// from `makeTestStore` (for SQLite a real file in its own temporary directory), with three known tokens.
///
/// ```swift
/// let harness = try await ServerHarness.start(products: [...])
/// let staff = harness.client()            // staff token A
/// let response = try await staff.get("/v1/products")
/// await harness.stop()
/// ```
public final class ServerHarness: Sendable {
  public static let staffToken = "test-staff-token-alpha-5e1f"
  public static let otherStaffToken = "test-staff-token-bravo-93c0"
  public static let adminToken = "test-admin-token-charlie-77ab"

  public let server: RunningServer
  public let store: any Store

  public var baseURL: String { server.baseURL }

  private init(server: RunningServer, store: any Store) {
    self.server = server
    self.store = store
  }

  /// Starts a server whose catalogue is exactly `products`. `logger` receives the server's log (silent by
  /// default, so test output stays readable).
  public static func start(
    _ engine: StoreEngine = .sqlite, products: [Product],
    logger: Logger = Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() })
  ) async throws -> ServerHarness {
    let store = try await makeTestStore(engine, products: products)
    do {
      let configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, staffTokens: [staffToken, otherStaffToken], adminToken: adminToken)
      let server = try await RunningServer.start(store: store, configuration: configuration, logger: logger)
      return ServerHarness(server: server, store: store)
    } catch {
      await disposeTestStore(store)
      throw error
    }
  }

  /// A new client with its own connection (one per simulated terminal), sending `token` (nil: none).
  public func client(token: String? = ServerHarness.staffToken) -> APITestClient {
    APITestClient(baseURL: baseURL, token: token)
  }

  /// Stops the server, closes the store and removes its files.
  public func stop() async {
    await server.stop()
    await disposeTestStore(store)
  }
}
