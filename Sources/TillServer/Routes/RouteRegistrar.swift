import Hummingbird

/// Registers routes on the router and records them in the route table (for 405 answers).
///
/// Each resource group has its own file with a `register(on:)` that adds its routes here; a new group
/// (payments, cancel) is one more file and one more line in `TillApplication.makeRouter`.
struct RouteRegistrar {
  typealias Handler = @Sendable (Request, TillRequestContext) async throws -> Response

  let router: Router<TillRequestContext>
  let table: RouteTable

  func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
  func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }

  func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
    table.add(method, path)
    router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
  }
}
