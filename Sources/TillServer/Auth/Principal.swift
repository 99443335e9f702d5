import TillStore

/// A configured till as the server knows it once its token is recognised.
public struct TerminalIdentity: Sendable, Hashable {
  /// The stable opaque id the store records as the owner of the terminal's carts and orders: a keyed
  /// digest of the token, never the token itself.
  public var owner: String
  /// The terminal's configured name.
  public var name: String

  public init(owner: String, name: String) {
    self.owner = owner
    self.name = name
  }
}

/// The authenticated caller of one request.
public enum Principal: Sendable, Hashable {
  /// A terminal's own token: it may read the catalogue and sign a person in, nothing more.
  case terminal(TerminalIdentity)
  /// A person signed in on a terminal: sells on that terminal's carts and orders.
  case staff(StaffSession)
  /// The admin token: stock, staff and the audit trail; not a person, not a terminal.
  case admin
}

extension Principal {
  /// The owner id of the carts and orders this caller reaches: its terminal's; nil for the admin.
  public var owner: String? {
    switch self {
    case .terminal(let terminal): terminal.owner
    case .staff(let session): session.owner
    case .admin: nil
    }
  }
}
