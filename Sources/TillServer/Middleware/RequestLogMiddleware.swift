import HTTPTypes
import Hummingbird
import Logging

/// One log line and one metric per request: method, path (without the query), status and duration,
/// logged under the request's id, which the answer carries as `X-Request-Id` so a client's report finds
/// its line; counted by route pattern, method and status. Headers are never logged, so neither is the
/// Authorization token.
struct RequestLogMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let metrics: ServerMetrics

  static let requestIdField = HTTPField.Name("X-Request-Id")!
  /// Where Hummingbird keeps a request's id in its logger's metadata.
  static let idKey = "hb.request.id"

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    // Hummingbird names each request in its logger's metadata; a log handler that keeps no metadata
    // (a silent one) loses that name, so one is made here then rather than trusted to be there.
    var context = context
    let id: String
    if let named = context.logger[metadataKey: Self.idKey] {
      id = named.description
    } else {
      id = RequestID().description
      context.logger[metadataKey: Self.idKey] = .string(id)
    }
    do {
      var response = try await next(request, context)
      response.headers[Self.requestIdField] = id
      log(request, status: response.status.code, since: start, context: context)
      return response
    } catch {
      // Only reached if an error escaped ProblemMiddleware; Hummingbird then answers 500.
      log(request, status: 500, since: start, context: context)
      throw error
    }
  }

  private func log(_ request: Request, status: Int, since start: ContinuousClock.Instant, context: Context) {
    let elapsed = ContinuousClock.now - start
    // The matched route's pattern, set by the router on the way in; a path matching none is one
    // series, not one per path.
    metrics.request(
      route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status,
      duration: elapsed)
    let logger = context.logger
    let milliseconds =
      Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
    let rounded = (milliseconds * 100).rounded() / 100
    logger.info("\(request.method.rawValue) \(request.uri.path) \(status) \(rounded)ms")
  }
}
