import Hummingbird
import Logging
import NIOCore
import TillStore

/// Assembles the HTTP application: middleware order, then one registration per resource group.
enum TillApplication {
  /// The router with every route. Middleware order matters: the log sees the final status, the problem
  /// middleware sees every error (including auth's and the router's "no route"), and auth runs for every
  /// route registered after it (all but health).
  static func makeRouter(store: any Store, configuration: ServerConfiguration) -> Router<TillRequestContext> {
    let router = Router(context: TillRequestContext.self)
    let table = RouteTable()
    let routes = RouteRegistrar(router: router, table: table)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware(routes: table))
    HealthRoutes(store: store).register(on: routes)
    router.add(
      middleware: AuthMiddleware(
        authenticator: TokenAuthenticator(
          staffTokens: configuration.staffTokens, adminToken: configuration.adminToken),
        publicPaths: [HealthRoutes.path]))
    CatalogueRoutes(store: store).register(on: routes)
    CartRoutes(store: store).register(on: routes)
    OrderRoutes(store: store).register(on: routes)
    return router
  }

  static func make(
    store: any Store, configuration: ServerConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    Application(
      router: makeRouter(store: store, configuration: configuration),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: onServerRunning,
      logger: logger)
  }
}
