import Foundation
import Logging
import TillCore
import TillHTTP
import TillServer
import TillStore

/// A real back end for tests: the HTTP application on 127.0.0.1 with an ephemeral port, on a fresh store
/// from `makeTestStore` (for SQLite a real file in its own temporary directory), with two terminals
/// (`till-1`, `till-2`), the admin token and three people (PIN hash cost 4), already signed in, and both
/// terminals' registers open with `openingFloat` (the shop's default: an order needs an open register).
///
/// ```swift
/// let harness = try await ServerHarness.start(products: [...])
/// let cashier = harness.client()              // cashier 1001 signed in on terminal till-1
/// let manager = harness.client(as: .manager)  // manager 2001 on till-1
/// let response = try await cashier.get("/v1/products")
/// await harness.stop()
/// ```
public final class ServerHarness: Sendable {
  /// The token of terminal `till-1`.
  public static let staffToken = "test-staff-token-alpha-5e1f"
  /// The token of terminal `till-2`.
  public static let otherStaffToken = "test-staff-token-bravo-93c0"
  public static let adminToken = "test-admin-token-charlie-77ab"

  /// A person the harness seeds: code and PIN.
  public struct Person: Sendable, Hashable {
    public var code: String
    public var pin: String

    public init(code: String, pin: String) {
      self.code = code
      self.pin = pin
    }
  }

  public static let cashier = Person(code: "1001", pin: "1234")
  public static let otherCashier = Person(code: "1002", pin: "2345")
  public static let manager = Person(code: "2001", pin: "4321")
  /// The PIN hash cost of the harness's server and people: bcrypt's least, to keep tests fast.
  public static let pinHashCost = 4
  /// The float each terminal's register opens with, in minor units of the catalogue's currency.
  public static let openingFloat = 10_000

  /// Who a test client speaks as.
  public enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
    /// No token at all.
    case nobody
    /// Terminal `till-1`'s own token: nobody signed in.
    case terminal
    /// Cashier 1001 signed in on `till-1`.
    case cashier
    /// Cashier 1002 signed in on `till-1` (same terminal, another person).
    case otherCashier
    /// Manager 2001 signed in on `till-1`.
    case manager
    /// Cashier 1002 signed in on `till-2`.
    case otherTerminal
    case admin

    public var description: String { rawValue }
  }

  public let server: RunningServer
  public let store: any Store & PaymentStore & StaffStore & RegisterStore & RefundStore
  public let configuration: ServerConfiguration
  /// How its clients connect: with the shop's CA when the server speaks HTTPS.
  public let clientConfiguration: HTTPConfiguration
  private let sessions: [Caller: String]

  public var baseURL: String { server.baseURL }

  private init(
    server: RunningServer, store: any Store & PaymentStore & StaffStore & RegisterStore & RefundStore,
    configuration: ServerConfiguration, clientConfiguration: HTTPConfiguration,
    sessions: [Caller: String]
  ) {
    self.server = server
    self.store = store
    self.configuration = configuration
    self.clientConfiguration = clientConfiguration
    self.sessions = sessions
  }

  /// Starts a server whose catalogue is exactly `products`. `logger` receives the server's log (silent by
  /// default, so test output stays readable). Card payments go to `paymentProvider` (none by default:
  /// card answers 503); `recoveryInterval` and `retryPolicy` tune the payment flow for tests;
  /// `failedAuthentications` is the budget of wrong tokens per client address; `attemptPolicy` counts
  /// wrong PINs; `shop` heads the receipts and `cashierDiscountLimit` bounds a cashier's discounts;
  /// `requireRegisterSession` sells only with the terminal's register open (the default, as in a shop);
  /// `opensRegisters` opens both terminals' registers, as cashier 1001 on till-1 and 1002 on till-2.
  public static func start(
    _ engine: StoreEngine = .sqlite, products: [Product],
    paymentProvider: PaymentProviderConfiguration? = nil, recoveryInterval: Duration = .seconds(30),
    retryPolicy: PaymentCoordinator.RetryPolicy = .init(),
    failedAuthentications: FailedAuthBudget.Settings = .standard, attemptPolicy: AttemptPolicy = .init(),
    sessionIdle: Duration = .seconds(12 * 3600),
    shop: ShopDetails = ShopDetails(name: ServerConfiguration.defaultShopName),
    cashierDiscountLimit: Int = Limits.defaultCashierDiscountLimit, requireRegisterSession: Bool = true,
    opensRegisters: Bool = true, metricsToken: String? = nil, tls: ShopCertificates.Files? = nil,
    logger: Logger = Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() })
  ) async throws -> ServerHarness {
    let anyStore = try await makeTestStore(engine, products: products)
    guard let store = anyStore as? any Store & PaymentStore & StaffStore & RegisterStore & RefundStore else {
      await disposeTestStore(anyStore)
      throw StoreError.engine("the \(engine) store does not implement PaymentStore and StaffStore yet")
    }
    do {
      try await seedPeople(into: store)
      var configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, staffTokens: [staffToken, otherStaffToken], adminToken: adminToken,
        paymentProvider: paymentProvider, paymentRecoveryInterval: recoveryInterval,
        paymentRetryPolicy: retryPolicy, failedAuthentications: failedAuthentications,
        pinHashCost: pinHashCost, sessionIdle: sessionIdle, attemptPolicy: attemptPolicy, shop: shop,
        cashierDiscountLimit: cashierDiscountLimit)
      configuration.requireRegisterSession = requireRegisterSession
      configuration.metricsToken = metricsToken
      configuration.tls = tls.map { ServerTLS(certificatePath: $0.serverCertificate, keyPath: $0.serverKey) }
      let clients = HTTPConfiguration(caCertificatePath: tls?.caCertificate)
      let server = try await RunningServer.start(store: store, configuration: configuration, logger: logger)
      do {
        let sessions = try await signInEveryone(at: server.baseURL, configuration: clients)
        if opensRegisters {
          let float = Money(amount: openingFloat, currency: products.first?.price.currency ?? "EUR")
          for caller in [Caller.cashier, .otherTerminal] {
            _ = try await APITestClient(
              baseURL: server.baseURL, token: sessions[caller], configuration: clients
            )
            .post("/v1/register-sessions", json: OpenSessionRequest(openingFloat: float))
            .decoded(RegisterSession.self, expecting: 201)
          }
        }
        return ServerHarness(
          server: server, store: store, configuration: configuration, clientConfiguration: clients,
          sessions: sessions)
      } catch {
        await server.stop()
        throw error
      }
    } catch {
      await disposeTestStore(store)
      throw error
    }
  }

  /// Cashier 1001 and 1002, manager 2001, audited as the admin.
  private static func seedPeople(into store: any StaffStore) async throws {
    let hasher = PINHasher(cost: pinHashCost)
    let people: [(Person, String, StaffRole)] = [
      (cashier, "Test Cashier", .cashier), (otherCashier, "Other Cashier", .cashier),
      (manager, "Test Manager", .manager),
    ]
    for (person, name, role) in people {
      _ = try await store.addStaff(
        code: person.code, name: name, role: role, pinHash: await hasher.hash(person.pin), by: .admin)
    }
  }

  private static func signInEveryone(at baseURL: String, configuration: HTTPConfiguration) async throws
    -> [Caller: String]
  {
    let plan: [(Caller, Person, String)] = [
      (.cashier, cashier, staffToken), (.otherCashier, otherCashier, staffToken),
      (.manager, manager, staffToken),
      (.otherTerminal, otherCashier, otherStaffToken),
    ]
    var sessions: [Caller: String] = [:]
    for (caller, person, terminalToken) in plan {
      sessions[caller] =
        try await signIn(person, terminalToken: terminalToken, at: baseURL, configuration: configuration)
        .token
    }
    return sessions
  }

  /// `POST /v1/sign-in` as `person` with `terminalToken`, failing unless it answers 200.
  public static func signIn(
    _ person: Person, terminalToken: String, at baseURL: String, configuration: HTTPConfiguration = .init()
  ) async throws -> SignInResponse {
    let client = APITestClient(baseURL: baseURL, token: terminalToken, configuration: configuration)
    return try await client.post("/v1/sign-in", json: SignInRequest(code: person.code, pin: person.pin))
      .decoded(SignInResponse.self)
  }

  /// Signs `person` in on `terminalToken`'s terminal (till-1 unless told), answering the new session.
  public func signIn(_ person: Person, terminalToken: String = ServerHarness.staffToken) async throws
    -> SignInResponse
  {
    try await Self.signIn(
      person, terminalToken: terminalToken, at: baseURL, configuration: clientConfiguration)
  }

  /// The bearer token `caller` sends (nil for nobody).
  public func token(for caller: Caller) -> String? {
    switch caller {
    case .nobody: nil
    case .terminal: Self.staffToken
    case .admin: Self.adminToken
    case .cashier, .otherCashier, .manager, .otherTerminal: sessions[caller]
    }
  }

  /// A new client with its own connection, as cashier 1001 signed in on terminal `till-1`.
  public func client() -> APITestClient { client(as: .cashier) }

  /// A new client with its own connection (one per simulated terminal), as `caller`.
  public func client(as caller: Caller) -> APITestClient { client(token: token(for: caller)) }

  /// A new client with its own connection sending `token` (nil: none).
  public func client(token: String?) -> APITestClient {
    APITestClient(baseURL: baseURL, token: token, configuration: clientConfiguration)
  }

  /// A second back end on the same PostgreSQL database, as another `till-server` process would be:
  /// its own connections, the same configuration. Stop it before the harness.
  public func secondBackEnd() async throws -> SecondBackEnd {
    guard let postgres = store as? PostgresStore else {
      throw StoreError.engine("a second back end shares a PostgreSQL database only")
    }
    let store = try await PostgresStore.connect(
      to: postgres.url, currency: postgres.currency, maximumConnections: 10)
    do {
      let server = try await RunningServer.start(
        store: store, configuration: configuration,
        logger: Logger(label: "till.test.second") { _ in SwiftLogNoOpLogHandler() })
      return SecondBackEnd(server: server, store: store)
    } catch {
      await store.close()
      throw error
    }
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

/// Another back end on a harness's database (`ServerHarness.secondBackEnd()`).
public struct SecondBackEnd: Sendable {
  public let server: RunningServer
  let store: PostgresStore

  public var baseURL: String { server.baseURL }

  /// Stops the server and closes its own connections; the database stays the harness's.
  public func stop() async {
    await server.stop()
    await store.close()
  }
}
