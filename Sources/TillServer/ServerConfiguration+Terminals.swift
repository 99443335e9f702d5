extension ServerConfiguration {
  /// A till: its name, shown in its title bar and written in the audit trail, and the bearer token it
  /// authenticates with. Carts and orders belong to the terminal; the people on it sign in on top.
  public struct Terminal: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var token: String

    public init(name: String, token: String) {
      self.name = name
      self.token = token
    }

    /// The name only: the token never reaches a log or an error message.
    public var description: String { "Terminal(\(name))" }
  }

  /// Every terminal: the unnamed staff tokens as `till-1`, `till-2`, … by their place among the
  /// non-empty ones, then the named terminals.
  public var allTerminals: [Terminal] {
    let unnamed = staffTokens.filter { !$0.isEmpty }.enumerated().map { index, token in
      Terminal(name: "till-\(index + 1)", token: token)
    }
    return unnamed + terminals
  }

  /// Terminal names are 1 to 32 ASCII letters, digits, spaces, `_` and `-`.
  public static func isValidTerminalName(_ name: String) -> Bool {
    (1...32).contains(name.utf8.count)
      && name.utf8.allSatisfy { byte in
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
          || byte == 0x20 || byte == 0x5F || byte == 0x2D
      }
  }

  /// Names well-formed and unique; no token shared between terminals and the admin, and none in the
  /// shape of a staff session token (which the server would otherwise look up in the database).
  func checkTerminals() throws(ServerConfigurationError) {
    for (index, terminal) in terminals.enumerated() where !Self.isValidTerminalName(terminal.name) {
      throw .invalidTerminalName(place: index + 1)
    }
    var names = Set<String>()
    var tokens = Set<String>()
    for terminal in allTerminals {
      guard names.insert(terminal.name).inserted else { throw .duplicateTerminalName(terminal.name) }
      guard tokens.insert(terminal.token).inserted else { throw .sharedTerminalToken(terminal.name) }
      if let adminToken, terminal.token == adminToken { throw .sharedAdminToken }
      if terminal.token.hasPrefix(SessionTokens.prefix) {
        throw .reservedTokenPrefix(name: "the token of terminal \(terminal.name)")
      }
    }
    if let adminToken, adminToken.hasPrefix(SessionTokens.prefix) {
      throw .reservedTokenPrefix(name: "the admin token")
    }
  }
}
