import Crypto
import Foundation
import TillStore

/// Recognises the configured terminal and admin tokens, and turns staff session tokens into the digests
/// the store keeps them under.
///
/// Tokens are kept only as HMAC-SHA-256 digests keyed with the database's owner secret. A presented
/// token is digested once and compared against every configured digest, byte by byte without early
/// exit, so the time taken says nothing about how much of a token was right or which token matched.
/// The same digest, in hex, is the owner id recorded for a terminal's token.
struct TokenAuthenticator: Sendable {
  private enum Holder: Sendable, Hashable {
    case terminal(name: String)
    case admin
  }

  private struct Entry: Sendable {
    var digest: [UInt8]
    var holder: Holder
  }

  private let key: SymmetricKey
  private let entries: [Entry]
  private let terminalOwners: Set<String>

  /// `secret` is the store's `ownerSecret()`: the same tokens give the same owners on one database.
  init(terminals: [ServerConfiguration.Terminal], adminToken: String?, secret: [UInt8]) {
    let key = SymmetricKey(data: secret)
    self.key = key
    var entries = terminals.map {
      Entry(digest: Self.digest(of: $0.token, key: key), holder: .terminal(name: $0.name))
    }
    if let adminToken { entries.append(Entry(digest: Self.digest(of: adminToken, key: key), holder: .admin)) }
    self.entries = entries
    terminalOwners = Set(entries.filter { $0.holder != .admin }.map { OwnerIDs.current(digest: $0.digest) })
  }

  /// Terminals without names of their own, named as the configuration names them (`till-1`, …).
  init(staffTokens: [String], adminToken: String?, secret: [UInt8]) {
    self.init(
      terminals: ServerConfiguration(staffTokens: staffTokens).allTerminals, adminToken: adminToken,
      secret: secret)
  }

  /// The principal for a terminal or admin `token`, or nil when no configured token matches.
  func principal(for token: String) -> Principal? {
    let presented = digest(of: token)
    var matched: Holder?
    for entry in entries {
      var difference: UInt8 = 0
      for index in 0..<SHA256.byteCount { difference |= entry.digest[index] ^ presented[index] }
      // The admin outranks a terminal, so a later admin entry wins over an earlier terminal one.
      if difference == 0, matched != .admin { matched = entry.holder }
    }
    switch matched {
    case .none: return nil
    case .admin: return .admin
    case .terminal(let name):
      return .terminal(TerminalIdentity(owner: OwnerIDs.current(digest: presented), name: name))
    }
  }

  /// Whether `owner` is one of the configured terminals: a session whose terminal was removed from the
  /// configuration is not honoured.
  func isTerminal(owner: String) -> Bool { terminalOwners.contains(owner) }

  /// The owner id recorded for `token` under this authenticator's secret.
  func ownerID(for token: String) -> String { OwnerIDs.current(digest: digest(of: token)) }

  /// The keyed digest of `token`: always `SHA256.byteCount` bytes, whatever the token's length.
  func digest(of token: String) -> [UInt8] { Self.digest(of: token, key: key) }

  /// What the store keeps for a staff session token: the hex HMAC-SHA-256 of the domain-separated
  /// token under the owner secret, so a copy of the sessions table signs nobody in.
  func sessionDigest(of token: String) -> String {
    let code = HMAC<SHA256>.authenticationCode(
      for: Array("till.staff-session.v1:".utf8) + Array(token.utf8), using: key)
    return code.map { String(format: "%02x", $0) }.joined()
  }

  /// Domain-separated so the digest of a token here never equals a digest of the same text elsewhere.
  private static func digest(of token: String, key: SymmetricKey) -> [UInt8] {
    Array(
      HMAC<SHA256>.authenticationCode(
        for: Array("till.bearer-token.v2:".utf8) + Array(token.utf8), using: key))
  }
}

/// Staff session tokens: `st-` and 32 random bytes in base64url without padding (256 bits: not
/// guessable, so a wrong one is only ever a stale or mistyped one).
enum SessionTokens {
  static let prefix = "st-"

  static func make() -> String {
    let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    let base64 = Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    return prefix + base64
  }

  static func isSessionToken(_ token: String) -> Bool { token.hasPrefix(prefix) }
}
