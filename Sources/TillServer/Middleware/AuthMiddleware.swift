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
struct AuthMiddleware: RouterMiddleware {
  typealias Context = TillRequestContext

  let authenticator: TokenAuthenticator

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let values = request.headers[values: .authorization]
    guard values.count == 1, let token = Self.bearerToken(values[0]) else {
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <token>.")
    }
    guard let principal = authenticator.principal(for: token) else {
      throw Problem(.unauthorized, detail: "The token is not recognised.")
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
