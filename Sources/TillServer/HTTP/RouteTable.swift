import Hummingbird
import Synchronization

/// The method and path pattern of every registered route, so an unmatched request can be told apart:
/// a known path with another method is 405 (with `Allow`), anything else 404. Hummingbird's router
/// answers 404 for both.
final class RouteTable: Sendable {
  private struct Route: Sendable {
    var method: HTTPRequest.Method
    var segments: [Substring]
  }

  private let routes = Mutex<[Route]>([])

  func add(_ method: HTTPRequest.Method, _ pattern: String) {
    let route = Route(method: method, segments: pattern.split(separator: "/"))
    routes.withLock { $0.append(route) }
  }

  /// The methods registered for paths matching `path`, sorted; empty when no route matches.
  func methods(matching path: String) -> [String] {
    let segments = path.split(separator: "/")
    let matching = routes.withLock { routes in
      routes.filter { route in
        route.segments.count == segments.count
          && zip(route.segments, segments).allSatisfy { pattern, segment in
            pattern.hasPrefix(":") || pattern == segment
          }
      }
    }
    return Set(matching.map(\.method.rawValue)).sorted()
  }
}
