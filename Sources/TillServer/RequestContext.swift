import Hummingbird
import NIOCore
import TillCore
import TillStore

/// The per-request context: Hummingbird's core storage, the client's address and the authenticated
/// caller.
public struct TillRequestContext: RequestContext, RemoteAddressRequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer of the connection; failed authentications are budgeted per address.
  public let remoteAddress: SocketAddress?
  /// Set by `AuthMiddleware` on every route of the `/v1` group; nil on the public routes.
  public var principal: Principal?
  /// The stored digest of the caller's staff session token, for sign-out; nil for other callers.
  var sessionDigest: String?

  public init(source: ApplicationRequestContextSource) {
    self.coreContext = .init(source: source)
    self.remoteAddress = source.channel.remoteAddress
    self.principal = nil
    self.sessionDigest = nil
  }

  /// The body limit of `request.decode` (and of `RequestShapeMiddleware`, for routes that read no body).
  public var maxUploadSize: Int { Limits.maxBodyBytes }
  /// Every answer's JSON (`ResponseEncodable` values returned by routes).
  public var responseEncoder: TillResponseEncoder { TillResponseEncoder() }
  /// Every body's JSON (`request.decode(as:context:)`).
  public var requestDecoder: TillRequestDecoder { TillRequestDecoder() }

  /// The caller, for routes behind `AuthMiddleware`: anyone with a valid token (the catalogue).
  func requirePrincipal() throws(Problem) -> Principal {
    guard let principal else {
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <token>.")
    }
    return principal
  }

  /// A terminal's own token (sign-in). A session or the admin token is refused.
  func requireTerminal() throws(Problem) -> TerminalIdentity {
    guard case .terminal(let terminal) = try requirePrincipal() else {
      throw Problem(.forbidden, detail: "Sign in with the terminal's token.")
    }
    return terminal
  }

  /// A signed-in person: selling needs a staff session on the terminal.
  func requireStaff() throws(Problem) -> StaffSession {
    guard case .staff(let session) = try requirePrincipal() else {
      throw Problem(.signInRequired, detail: "Sign in with a staff code and PIN first.")
    }
    return session
  }

  /// The signed-in person as the store records an actor on the terminal's carts and orders.
  func requireActor() throws(Problem) -> StaffActor {
    let session = try requireStaff()
    return StaffActor(
      owner: session.owner, terminal: session.terminal, staff: session.staff.code, role: session.staff.role)
  }

  /// The caller, who must hold the admin token.
  func requireAdmin() throws(Problem) {
    guard case .admin = try requirePrincipal() else {
      throw Problem(.forbidden, detail: "This needs the admin token.")
    }
  }

  /// A manager's session or the admin token (the audit trail).
  func requireManagerOrAdmin() throws(Problem) {
    switch try requirePrincipal() {
    case .admin: return
    case .staff(let session) where session.staff.role == .manager: return
    default: throw Problem(.forbidden, detail: "This needs a manager or the admin token.")
    }
  }
}
