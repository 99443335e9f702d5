import Foundation
import Hummingbird
import TillCore
import TillStore

/// Requires `Authorization: Bearer <token>` on every route of the `/v1` group it is added to, and
/// records the caller in the context: a terminal or the admin (configured tokens, recognised in
/// memory) or a signed-in person (an `st-` session token, looked up in the store by its keyed digest).
/// The token itself goes nowhere else. Routes then check the caller they need (`requireStaff`,
/// `requireAdmin`, …).
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
  let sessions: any StaffStore
  let sessionIdle: Duration

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let address = context.remoteAddress?.ipAddress ?? "unknown"
    let values = request.headers[values: .authorization]
    guard values.count == 1, let token = Self.bearerToken(values[0]) else {
      if let wait = failures.wait(for: address) { return Self.tooManyFailures(wait) }
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <token>.")
    }
    var context = context
    if SessionTokens.isSessionToken(token) {
      if let wait = failures.wait(for: address) { return Self.tooManyFailures(wait) }
      let digest = authenticator.sessionDigest(of: token)
      guard let session = try await sessions.session(tokenDigest: digest, now: Date(), idle: sessionIdle),
        authenticator.isTerminal(owner: session.owner)
      else {
        failures.recordFailure(from: address)
        throw Problem(.unauthorized, detail: "The session has ended; sign in again.")
      }
      context.principal = .staff(session)
      context.sessionDigest = digest
      return try await next(request, context)
    }
    switch failures.authenticate(from: address, { authenticator.principal(for: token) }) {
    case .wait(let wait): return Self.tooManyFailures(wait)
    case .refused: throw Problem(.unauthorized, detail: "The token is not recognised.")
    case .accepted(let principal): context.principal = principal
    }
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
