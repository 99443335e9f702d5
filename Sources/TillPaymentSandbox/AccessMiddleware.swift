import Hummingbird
import Logging

/// Runs in front of every route: checks Basic credentials, turns every error into a YooKassa-shaped
/// JSON answer, and writes one log line per request (method, path, status, duration).
///
/// Headers are never logged: they carry the shop's secret key.
struct AccessMiddleware: RouterMiddleware {
  typealias Context = SandboxRequestContext

  let credentials: Credentials
  let logger: Logger

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    do {
      guard credentials.accept(authorization: request.headers[.authorization]) else {
        throw SandboxError.invalidCredentials
      }
      let response = try await next(request, context)
      log(request, status: String(response.status.code), since: started)
      return response
    } catch is ConnectionDropped {
      log(request, status: "dropped", since: started)
      throw ConnectionDropped()
    } catch {
      let response = Self.response(for: error, request: request, context: context)
      log(request, status: String(response.status.code), since: started)
      return response
    }
  }

  /// The YooKassa-shaped answer for any error a route or Hummingbird can throw.
  private static func response(for error: any Error, request: Request, context: Context) -> Response {
    let sandboxError: SandboxError
    switch error {
    case let error as SandboxError:
      sandboxError = error
    case let error as any HTTPResponseError:
      let code =
        switch error.status {
        case .notFound: "not_found"
        case .methodNotAllowed, .contentTooLarge, .badRequest: "invalid_request"
        default: error.status.code >= 500 ? "internal_server_error" : "invalid_request"
        }
      sandboxError = SandboxError(error.status, code: code, description: error.status.reasonPhrase)
    default:
      sandboxError = .internalError
    }
    return (try? sandboxError.response(from: request, context: context))
      ?? Response(status: .internalServerError)
  }

  private func log(_ request: Request, status: String, since started: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - started
    let milliseconds =
      Double(elapsed.components.attoseconds / 10_000_000_000_000) / 100
      + Double(elapsed.components.seconds * 1000)
    logger.info("\(request.method) \(request.uri.path) \(status) \(milliseconds)ms")
  }
}
