import Hummingbird
import Logging
import TillCore
import TillStore

/// Turns everything a route throws into an `application/problem+json` answer, so no error leaves the
/// server in another shape. Errors the client caused map to 4xx; anything unexpected is logged and
/// answered with a generic 500 that reveals nothing.
struct ProblemMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let routes: RouteTable

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch {
      return answer(for: error, request: request, context: context)
    }
  }

  private func answer(for error: any Error, request: Request, context: Context) -> Response {
    switch error {
    case let problem as Problem:
      var headers: HTTPFields = [:]
      if problem.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
      return JSONResponse.problem(problem, headers: headers)
    case let storeError as StoreError:
      if case .engine(let message) = storeError {
        context.logger.error("store failure", metadata: ["error": .string(message)])
      }
      var headers: HTTPFields = [:]
      if storeError == .requestInFlight { headers[.retryAfter] = "1" }
      return JSONResponse.problem(Problem(storeError), headers: headers)
    case let httpError as HTTPError:
      return answer(for: httpError, request: request)
    case let decodingError as DecodingError:
      return JSONResponse.problem(RequestBodyReader.problem(for: decodingError))
    default:
      context.logger.error(
        "unhandled error", metadata: ["error": .string(String(describing: type(of: error)))])
      return JSONResponse.problem(.internalError)
    }
  }

  /// Hummingbird's own errors: the router's "no route" and anything its helpers throw.
  private func answer(for error: HTTPError, request: Request) -> Response {
    switch error.status {
    case .notFound:
      let allowed = routes.methods(matching: request.uri.path)
      guard allowed.isEmpty else {
        var headers: HTTPFields = [:]
        headers[.allow] = allowed.joined(separator: ", ")
        let problem = Problem(
          .methodNotAllowed, status: 405,
          detail: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: " or ")).")
        return JSONResponse.problem(problem, headers: headers)
      }
      return JSONResponse.problem(Problem(.notFound, status: 404, detail: "There is no such route."))
    case .contentTooLarge:
      return JSONResponse.problem(
        Problem(
          .payloadTooLarge, status: 413, detail: "Request bodies may be at most \(Limits.maxBodyBytes) bytes."
        ))
    case let status where (400..<500).contains(status.code):
      return JSONResponse.problem(
        Problem(.malformedRequest, status: status.code, detail: status.reasonPhrase))
    default:
      return JSONResponse.problem(.internalError)
    }
  }
}
