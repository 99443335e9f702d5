import Foundation
import Hummingbird
import TillCore

/// Requires `Authorization: Bearer <token>` with a configured token on every route of the `/v1` group it
/// is added to, and records the caller in the context. The token itself goes nowhere else. Routes then
/// check the role they need (`requirePrincipal`, `requireAdmin`).
///
/// A group's middleware runs only for a request the router matched to one of the group's routes: an
/// unknown path, or a known one with another method, is answered 404 or 405 whoever asks, and the
/// public routes (health, the OpenAPI description) are registered outside the group.
///
/// Wrong tokens are budgeted per client address (`FailedAuthLimiter`): past the budget, every request
/// from that address is answered 429 with `Retry-After` before its token is looked at.
struct AuthMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let authenticator: TokenAuthenticator
  let failures: FailedAuthLimiter

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let address = context.remoteAddress?.ipAddress ?? "unknown"
    let values = request.headers[values: .authorization]
    guard values.count == 1, let token = Self.bearerToken(values[0]) else {
      if let wait = failures.wait(for: address) { return Self.tooManyFailures(wait) }
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <token>.")
    }
    let principal: Principal
    switch failures.authenticate(from: address, { authenticator.principal(for: token) }) {
    case .wait(let wait): return Self.tooManyFailures(wait)
    case .refused: throw Problem(.unauthorized, detail: "The token is not recognised.")
    case .accepted(let accepted): principal = accepted
    }
    var context = context
    context.principal = principal
    return try await next(request, context)
  }

  /// 429 with the wait in whole seconds, rounded up so a client that honours it is not refused again.
  static func tooManyFailures(_ wait: Duration) -> Response {
    let seconds = max(1, Int((wait / .seconds(1)).rounded(.up)))
    var headers: HTTPFields = [:]
    headers[.retryAfter] = String(seconds)
    return Problem(
      .tooManyFailedAuthentications,
      detail: "Too many failed authentications from this address; retry in \(seconds) s."
    ).response(headers: headers)
  }

  /// The token of a `Bearer` credential (scheme case-insensitive, RFC 9110 §11.1), or nil.
  static func bearerToken(_ value: String) -> String? {
    let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    return token.isEmpty ? nil : token
  }
}
