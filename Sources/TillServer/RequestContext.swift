import Hummingbird
import TillCore

/// The per-request context: Hummingbird's core storage plus the authenticated caller.
public struct TillRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Set by `AuthMiddleware` on every authenticated route; nil only on public routes.
  public var principal: Principal?

  public init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    self.principal = nil
  }

  /// Hummingbird's own decoding helpers honour this; our body reader enforces the same limit itself.
  public var maxUploadSize: Int { Limits.maxBodyBytes }

  /// The caller, for routes behind `AuthMiddleware`.
  func requirePrincipal() throws(Problem) -> Principal {
    guard let principal else {
      throw Problem(.unauthorized, status: 401, detail: "Send Authorization: Bearer <token>.")
    }
    return principal
  }

  /// The caller, who must hold the admin token.
  func requireAdmin() throws(Problem) -> Principal {
    let principal = try requirePrincipal()
    guard principal.role >= .admin else {
      throw Problem(.forbidden, status: 403, detail: "This needs the admin token.")
    }
    return principal
  }
}
