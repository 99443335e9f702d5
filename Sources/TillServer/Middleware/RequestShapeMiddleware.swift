import Hummingbird
import NIOCore
import TillCore

/// What every request must be before any route sees it:
/// - a `Host` header (required by HTTP/1.1, RFC 9112 §3.2; also asked of the rare HTTP/1.0 client): without
///   one, 400;
/// - a body is at most `Limits.maxBodyBytes`, on every route, also on those that ignore their body
///   (a 10 MB cancel is refused, not read and dropped): 413. The body is read here, up to the limit, and
///   handed on as it was.
struct RequestShapeMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard request.head.authority?.isEmpty == false else {
      throw Problem(.malformedRequest, detail: "HTTP/1.1 requests need a Host header.")
    }
    guard request.headers[.contentLength] != nil || request.headers[.transferEncoding] != nil else {
      return try await next(request, context)
    }
    var request = request
    let body = try await BodyLimit.collect(request)
    request.body = RequestBody(buffer: ByteBuffer(bytes: body))
    return try await next(request, context)
  }
}
