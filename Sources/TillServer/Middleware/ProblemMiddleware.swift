import Foundation
import Hummingbird
import Logging
import TillCore
import TillStore

/// Turns everything a route throws into an `application/problem+json` answer, so no error leaves the
/// server in another shape. Errors the client caused map to 4xx; anything unexpected is logged with its
/// full description (for a PostgreSQL transaction, the error inside it too) and answered with a generic
/// 500 that reveals nothing.
struct ProblemMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let allowedMethods: AllowedMethods
  /// Every problem answered is counted by kind and status.
  let metrics: ServerMetrics

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch {
      let (problem, headers) = answer(for: error, request: request, context: context)
      metrics.problem(problem.kind, status: problem.status)
      return problem.response(headers: headers)
    }
  }

  private func answer(for error: any Error, request: Request, context: Context) -> (Problem, HTTPFields) {
    var headers: HTTPFields = [:]
    switch error {
    case let problem as Problem:
      if problem.kind == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
      return (problem, headers)
    case let storeError as StoreError:
      if case .engine(let message) = storeError {
        context.logger.error("store failure", metadata: ["error": .string(message)])
      }
      if storeError == .requestInFlight { headers[.retryAfter] = "1" }
      return (Problem(storeError), headers)
    case let locked as AttemptsLocked:
      let now = Date()
      headers[.retryAfter] = String(locked.retryAfter(now: now))
      return (locked.problem(now: now), headers)
    case let httpError as HTTPError:
      return answer(for: httpError, request: request)
    case let decodingError as DecodingError:
      return (DecodingProblem.problem(for: decodingError), headers)
    default:
      return (Self.unexpected(error, logger: context.logger), headers)
    }
  }

  /// The answer for an error nobody expected: logged with its full description — `String(reflecting:)`
  /// shows what a wrapper holds, such as the error inside a PostgreSQL transaction error — and answered
  /// with the generic 500, which says nothing of it.
  static func unexpected(_ error: any Error, logger: Logger) -> Problem {
    logger.error("unexpected error", metadata: ["error": .string(String(reflecting: error))])
    return Problem.internalError
  }

  /// Hummingbird's own errors: the router's "no route" and anything its helpers throw.
  private func answer(for error: HTTPError, request: Request) -> (Problem, HTTPFields) {
    switch error.status {
    case .notFound:
      let allowed = allowedMethods.methods(for: request.uri.path)
      guard allowed.isEmpty else {
        var headers: HTTPFields = [:]
        headers[.allow] = allowed.joined(separator: ", ")
        let problem = Problem(
          .methodNotAllowed,
          detail: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: " or ")).")
        return (problem, headers)
      }
      return (Problem(.notFound, detail: "There is no such route."), [:])
    case .contentTooLarge:
      return (BodyLimit.tooLarge, [:])
    case let status where (400..<500).contains(status.code):
      // A status Hummingbird chose; the kind says what it is about.
      return (Problem(.malformedRequest, status: status.code, detail: status.reasonPhrase), [:])
    default:
      return (Problem.internalError, [:])
    }
  }
}
