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
  public let store: any Store & PaymentStore

  public var baseURL: String { server.baseURL }

  private init(server: RunningServer, store: any Store & PaymentStore) {
    self.server = server
    self.store = store
  }

  /// Starts a server whose catalogue is exactly `products`. `logger` receives the server's log (silent by
  /// default, so test output stays readable). Card payments go to `paymentProvider` (none by default:
  /// card answers 503); `recoveryInterval` and `retryPolicy` tune the payment flow for tests;
  /// `failedAuthentications` is the budget of wrong tokens per client address.
  public static func start(
    _ engine: StoreEngine = .sqlite, products: [Product],
    paymentProvider: PaymentProviderConfiguration? = nil, recoveryInterval: Duration = .seconds(30),
    retryPolicy: PaymentCoordinator.RetryPolicy = .init(),
    failedAuthentications: FailedAuthBudget.Settings = .standard,
    logger: Logger = Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() })
  ) async throws -> ServerHarness {
    let anyStore = try await makeTestStore(engine, products: products)
    guard let store = anyStore as? any Store & PaymentStore else {
      await disposeTestStore(anyStore)
      throw StoreError.engine("the \(engine) store does not implement PaymentStore yet")
    }
    do {
      let configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, staffTokens: [staffToken, otherStaffToken], adminToken: adminToken,
        paymentProvider: paymentProvider, paymentRecoveryInterval: recoveryInterval,
        paymentRetryPolicy: retryPolicy, failedAuthentications: failedAuthentications)
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

  /// A provider configuration pointing at `sandbox` with its credentials.
  public static func provider(
    _ sandbox: SandboxHarness, requestTimeout: Duration = .seconds(5)
  ) -> PaymentProviderConfiguration {
    PaymentProviderConfiguration(
      baseURL: sandbox.baseURL, shopId: SandboxHarness.shopId, secretKey: SandboxHarness.secretKey,
      timeouts: HTTPConfiguration(connectTimeout: .seconds(2), requestTimeout: requestTimeout))
  }

  /// Stops the server, closes the store and removes its files.
  public func stop() async {
    await server.stop()
    await disposeTestStore(store)
  }
}
