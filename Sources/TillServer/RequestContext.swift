import Hummingbird
import NIOCore
import TillCore

/// The per-request context: Hummingbird's core storage, the client's address and the authenticated
/// caller.
public struct TillRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer of the connection; failed authentications are budgeted per address.
  public let remoteAddress: SocketAddress?
  /// Set by `AuthMiddleware` on every route of the `/v1` group; nil on the public routes.
  public var principal: Principal?

  public init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    self.remoteAddress = source.channel.remoteAddress
    self.principal = nil
  }

  /// The body limit of `request.decode` (and of `RequestShapeMiddleware`, for routes that read no body).
  public var maxUploadSize: Int { Limits.maxBodyBytes }
  /// Every answer's JSON (`ResponseEncodable` values returned by routes).
  public var responseEncoder: TillResponseEncoder { TillResponseEncoder() }
  /// Every body's JSON (`request.decode(as:context:)`).
  public var requestDecoder: TillRequestDecoder { TillRequestDecoder() }

  /// The caller, for routes behind `AuthMiddleware`.
  func requirePrincipal() throws(Problem) -> Principal {
    guard let principal else {
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <token>.")
    }
    return principal
  }

  /// The caller, who must hold the admin token.
  func requireAdmin() throws(Problem) -> Principal {
    let principal = try requirePrincipal()
    guard principal.role >= .admin else {
      throw Problem(.forbidden, detail: "This needs the admin token.")
    }
    return principal
  }
}
