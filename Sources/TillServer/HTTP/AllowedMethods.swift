import Hummingbird
import Synchronization

/// The methods the router has for a path, read from the router's own route list (`Router.routes`) once
/// every route is registered, so an unmatched request can be told apart: a known path asked with another
/// method is 405 (with `Allow`), anything else 404. Hummingbird's router answers 404 for both.
///
/// The middleware that asks is added to the router before the routes (middleware only wraps routes added
/// after it), hence a list filled in afterwards rather than passed in.
final class AllowedMethods: Sendable {
  private struct Route: Sendable {
    var method: HTTPRequest.Method
    var path: RouterPath
  }

  private let routes = Mutex<[Route]>([])

  /// Takes the router's route list; call after the last route is registered.
  func load(from router: Router<TillRequestContext>) {
    let list = router.routes.map { Route(method: $0.method, path: $0.path) }
    routes.withLock { $0 = list }
  }

  /// The methods routed for `path`, sorted; empty when no route matches it. A GET route answers HEAD too
  /// (the router is built with `autoGenerateHeadEndpoints`), so HEAD is listed beside it.
  func methods(for path: String) -> [String] {
    let segments = path.split(separator: "/")
    let matching = routes.withLock { routes in
      routes.filter { route in
        route.path.components.count == segments.count
          && zip(route.path.components, segments).allSatisfy { component, segment in component ~= segment }
      }
    }
    var methods = Set(matching.map(\.method))
    if methods.contains(.get) { methods.insert(.head) }
    return methods.map(\.rawValue).sorted()
  }
}
