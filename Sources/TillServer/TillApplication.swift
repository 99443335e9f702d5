import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import TillStore

/// What the back end keeps its data in: the catalogue, carts and orders, payments, staff and the
/// trading day.
typealias ServerStore = Store & PaymentStore & StaffStore & RegisterStore & RefundStore

/// Assembles the HTTP application: the router's middleware, the public routes, then the `/v1` group
/// with its auth middleware and one registration per resource.
enum TillApplication {
  /// The router with every route. Middleware order matters: the log sees the final status, the problem
  /// middleware sees every error (including auth's and the router's "no route"), and every request is
  /// checked for its Host and body size before any route. Health and the OpenAPI description are on the
  /// router itself, and so are the metrics (behind their own token or loopback); every other route is
  /// on the `/v1` group, whose auth middleware runs for its routes
  /// only, with `authenticator` (made from the configured tokens and the store's owner secret).
  static func makeRouter(
    store: any ServerStore, configuration: ServerConfiguration, authenticator: TokenAuthenticator,
    payments: PaymentCoordinator, refunds: RefundCoordinator? = nil, metrics: ServerMetrics
  ) -> Router<TillRequestContext> {
    let router = Router(context: TillRequestContext.self, options: .autoGenerateHeadEndpoints)
    let allowedMethods = AllowedMethods()
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: ProblemMiddleware(allowedMethods: allowedMethods, metrics: metrics))
    router.add(middleware: RequestShapeMiddleware())
    HealthRoutes(store: store).register(on: router)
    MetricsRoute(store: store, metrics: metrics, access: MetricsAccess(token: configuration.metricsToken))
      .register(on: router)
    ReadinessRoutes(store: store, timeout: configuration.readinessTimeout).register(on: router)
    OpenAPIRoute().register(on: router)
    let v1 = router.group("v1").add(
      middleware: AuthMiddleware(
        authenticator: authenticator,
        failures: FailedAuthLimiter(settings: configuration.failedAuthentications), sessions: store,
        sessionIdle: configuration.sessionIdle))
    let hasher = PINHasher(cost: configuration.pinHashCost, standInFollowing: store)
    let pins = PINCheck(
      store: store, hasher: hasher, policy: configuration.attemptPolicy, metrics: metrics)
    CatalogueRoutes(store: store).register(on: v1)
    TaxRateRoutes(store: store).register(on: v1)
    SignInRoutes(
      store: store, registerRequired: configuration.requireRegisterSession, authenticator: authenticator,
      pins: pins, sessionIdle: configuration.sessionIdle
    )
    .register(on: v1)
    StaffRoutes(store: store, hasher: hasher).register(on: v1)
    CartRoutes(store: store).register(on: v1)
    DiscountRoute(store: store, pins: pins, cashierLimit: configuration.cashierDiscountLimit).register(on: v1)
    OrderRoutes(store: store, requireSession: configuration.requireRegisterSession, metrics: metrics)
      .register(on: v1)
    ReceiptRoute(store: store, shop: configuration.shop).register(on: v1)
    RefundReceiptRoute(store: store, shop: configuration.shop).register(on: v1)
    PaymentRoutes(store: store, payments: payments, pins: pins, metrics: metrics).register(on: v1)
    RefundRoutes(
      store: store, refunds: refunds ?? refundCoordinator(store: store, configuration: configuration),
      pins: pins, requireSession: configuration.requireRegisterSession, metrics: metrics
    ).register(on: v1)
    RegisterRoutes(
      store: store, pins: pins, showExpectedCash: configuration.showExpectedCash
    ).register(on: v1)
    ZReportRoutes(store: store, shop: configuration.shop).register(on: v1)
    allowedMethods.load(from: router)
    return router
  }

  /// The application with its payment recovery service, which starts once the server is listening
  /// (start-up never waits for the provider) and stops with the application.
  static func make(
    store: any ServerStore, configuration: ServerConfiguration, authenticator: TokenAuthenticator,
    logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
  ) throws -> some ApplicationProtocol {
    let payments = PaymentCoordinator(
      store: store, provider: configuration.paymentProvider.map { YooKassaProvider($0) },
      policy: configuration.paymentRetryPolicy, logger: logger)
    let refunds = refundCoordinator(store: store, configuration: configuration, logger: logger)
    let (listening, listeningContinuation) = AsyncStream<Void>.makeStream()
    let recovery = PaymentRecoveryService(
      payments: payments, refunds: refunds, interval: configuration.paymentRecoveryInterval,
      listening: listening)
    return Application(
      router: makeRouter(
        store: store, configuration: configuration, authenticator: authenticator, payments: payments,
        refunds: refunds, metrics: ServerMetrics()),
      server: try server(configuration, logger: logger),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      services: [recovery],
      onServerRunning: { channel in
        await onServerRunning(channel)
        listeningContinuation.yield()
        listeningContinuation.finish()
      },
      logger: logger)
  }

  /// HTTP/1.1 with the connection cap and read deadlines, inside TLS when a certificate is configured;
  /// plain HTTP on a network address (allowed explicitly) is warned about at every start.
  static func server(_ configuration: ServerConfiguration, logger: Logger) throws -> HTTPServerBuilder {
    let http = HTTPServerBuilder.till(
      maxConnections: configuration.maxConnections, readDeadlines: configuration.readDeadlines)
    guard let tls = configuration.tls else {
      if !configuration.listensOnLoopback {
        logger.warning(
          "serving plain HTTP on the network (--allow-plain-http): tokens and PINs cross it readable",
          metadata: ["host": .string(configuration.host)])
      }
      return http
    }
    return try .tls(http, tlsConfiguration: try tls.configuration())
  }

  /// The card refunds' driver, with the provider card payments use.
  static func refundCoordinator(
    store: any RefundStore, configuration: ServerConfiguration,
    logger: Logger = Logger(label: "till.refunds")
  ) -> RefundCoordinator {
    RefundCoordinator(
      store: store, provider: configuration.paymentProvider.map { YooKassaProvider($0) },
      policy: configuration.paymentRetryPolicy, logger: logger)
  }
}
