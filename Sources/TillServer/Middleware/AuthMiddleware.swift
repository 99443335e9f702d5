import Foundation
import Hummingbird
import TillCore

/// Requires `Authorization: Bearer <token>` with a configured token on every route it wraps (all but
/// `/v1/health`) and records the caller in the context. The token itself goes nowhere else.
/// Routes then check the role they need (`requirePrincipal`, `requireAdmin`).
struct AuthMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let authenticator: TokenAuthenticator
  /// Paths answered without a token.
  let publicPaths: Set<String>

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    // No matched route (the router sets the endpoint path only on a match): let it answer 404 or 405
    // whoever asks, so an unknown path reads the same with and without a token.
    guard context.endpointPath != nil, !publicPaths.contains(request.uri.path) else {
      return try await next(request, context)
    }
    let values = request.headers[values: .authorization]
    guard values.count == 1, let token = Self.bearerToken(values[0]) else {
      throw Problem(.unauthorized, status: 401, detail: "Send Authorization: Bearer <token>.")
    }
    guard let principal = authenticator.principal(for: token) else {
      throw Problem(.unauthorized, status: 401, detail: "The token is not recognised.")
    }
    var context = context
    context.principal = principal
    return try await next(request, context)
  }

  /// The token of a `Bearer` credential (scheme case-insensitive, RFC 9110 §11.1), or nil.
  static func bearerToken(_ value: String) -> String? {
    let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    return token.isEmpty ? nil : token
  }
}
