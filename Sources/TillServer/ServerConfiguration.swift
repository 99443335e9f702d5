/// How the back end listens and whom it lets in.
public struct ServerConfiguration: Sendable {
  /// Address to bind. Loopback by default: exposing the till to a network is a deliberate choice.
  public var host: String
  /// TCP port; 0 picks a free ephemeral port (see `RunningServer.port`).
  public var port: Int
  /// Tokens of the terminals (staff). At least one is required.
  public var staffTokens: [String]
  /// The token that may also adjust stock.
  public var adminToken: String?

  public init(host: String = "127.0.0.1", port: Int = 8080, staffTokens: [String], adminToken: String? = nil)
  {
    self.host = host
    self.port = port
    self.staffTokens = staffTokens
    self.adminToken = adminToken
  }

  /// Checks what can be checked before binding; the message is one line for the operator.
  public func validated() throws(ServerConfigurationError) -> ServerConfiguration {
    var copy = self
    copy.staffTokens = staffTokens.filter { !$0.isEmpty }
    if copy.adminToken?.isEmpty == true { copy.adminToken = nil }
    guard !copy.staffTokens.isEmpty else { throw ServerConfigurationError.noStaffToken }
    for token in copy.staffTokens + [copy.adminToken].compactMap({ $0 }) {
      guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
        throw ServerConfigurationError.invalidToken
      }
    }
    guard (0...65535).contains(port) else { throw ServerConfigurationError.invalidPort(port) }
    return copy
  }
}

/// Why the server refuses to start.
public enum ServerConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  case noStaffToken
  case invalidToken
  case invalidPort(Int)

  public var description: String {
    switch self {
    case .noStaffToken:
      "no staff token: pass --staff-token TOKEN (repeatable) or set TILL_STAFF_TOKENS=token1,token2"
    case .invalidToken:
      "tokens may contain only visible ASCII characters (no spaces or control characters)"
    case .invalidPort(let port): "port \(port) is out of range 0-65535"
    }
  }
}
