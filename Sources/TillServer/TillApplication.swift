import Hummingbird
import Logging
import NIOCore
import TillStore

/// Assembles the HTTP application: middleware order, then one registration per resource group.
enum TillApplication {
  /// The router with every route. Middleware order matters: the log sees the final status, the problem
  /// middleware sees every error (including auth's and the router's "no route"), every request is checked
  /// for its Host and body size before any route, and auth runs for every route registered after it (all
  /// but health).
  static func makeRouter(
    store: any Store & PaymentStore, configuration: ServerConfiguration, payments: PaymentCoordinator
  ) -> Router<TillRequestContext> {
    let router = Router(context: TillRequestContext.self)
    let table = RouteTable()
    let routes = RouteRegistrar(router: router, table: table)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware(routes: table))
    router.add(middleware: RequestShapeMiddleware())
    HealthRoutes(store: store).register(on: routes)
    OpenAPIRoute().register(on: routes)
    router.add(
      middleware: AuthMiddleware(
        authenticator: TokenAuthenticator(
          staffTokens: configuration.staffTokens, adminToken: configuration.adminToken),
        publicPaths: [HealthRoutes.path]))
    CatalogueRoutes(store: store).register(on: routes)
    CartRoutes(store: store).register(on: routes)
    OrderRoutes(store: store).register(on: routes)
    PaymentRoutes(store: store, payments: payments).register(on: routes)
    return router
  }

  /// The application with its payment recovery service, which starts once the server is listening
  /// (start-up never waits for the provider) and stops with the application.
  static func make(
    store: any Store & PaymentStore, configuration: ServerConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let payments = PaymentCoordinator(
      store: store, provider: configuration.paymentProvider.map { YooKassaProvider($0) },
      policy: configuration.paymentRetryPolicy, logger: logger)
    let (listening, listeningContinuation) = AsyncStream<Void>.makeStream()
    let recovery = PaymentRecoveryService(
      payments: payments, interval: configuration.paymentRecoveryInterval, listening: listening)
    return Application(
      router: makeRouter(store: store, configuration: configuration, payments: payments),
      server: .till(maxConnections: configuration.maxConnections, readDeadlines: configuration.readDeadlines),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      services: [recovery],
      onServerRunning: { channel in
        await onServerRunning(channel)
        listeningContinuation.yield()
        listeningContinuation.finish()
      },
      logger: logger)
  }
}
