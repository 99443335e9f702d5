import Crypto

/// What a request may do, decided by the bearer token it carries.
public enum Role: Int, Comparable, Sendable {
  case staff = 1
  /// The admin may also do everything staff can.
  case admin = 2

  public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The authenticated caller of one request.
public struct Principal: Sendable, Hashable {
  /// The stable opaque id the store records as the owner of carts and orders: a keyed digest of the
  /// token, never the token itself, so neither the database nor the logs ever hold a usable secret.
  public var owner: String
  public var role: Role
}

/// Recognises the configured staff and admin tokens.
///
/// Tokens are kept only as HMAC-SHA-256 digests keyed with the database's owner secret. A presented
/// token is digested once and compared against every configured digest, byte by byte without early
/// exit, so the time taken says nothing about how much of a token was right or which token matched.
/// The same digest, in hex, is the owner id recorded for the token.
struct TokenAuthenticator: Sendable {
  private struct Entry: Sendable {
    var digest: [UInt8]
    var role: Role
  }

  private let key: SymmetricKey
  private let entries: [Entry]

  /// `secret` is the store's `ownerSecret()`: the same tokens give the same owners on one database.
  init(staffTokens: [String], adminToken: String?, secret: [UInt8]) {
    let key = SymmetricKey(data: secret)
    self.key = key
    var entries = staffTokens.map { Entry(digest: Self.digest(of: $0, key: key), role: .staff) }
    if let adminToken { entries.append(Entry(digest: Self.digest(of: adminToken, key: key), role: .admin)) }
    self.entries = entries
  }

  /// The principal for `token`, or nil when no configured token matches.
  func principal(for token: String) -> Principal? {
    let presented = digest(of: token)
    var matched: Role?
    for entry in entries {
      var difference: UInt8 = 0
      for index in 0..<SHA256.byteCount { difference |= entry.digest[index] ^ presented[index] }
      if difference == 0 { matched = max(matched ?? entry.role, entry.role) }
    }
    guard let matched else { return nil }
    return Principal(owner: OwnerIDs.current(digest: presented), role: matched)
  }

  /// The owner id recorded for `token` under this authenticator's secret.
  func ownerID(for token: String) -> String { OwnerIDs.current(digest: digest(of: token)) }

  /// The keyed digest of `token`: always `SHA256.byteCount` bytes, whatever the token's length.
  func digest(of token: String) -> [UInt8] { Self.digest(of: token, key: key) }

  /// Domain-separated so the digest of a token here never equals a digest of the same text elsewhere.
  private static func digest(of token: String, key: SymmetricKey) -> [UInt8] {
    Array(
      HMAC<SHA256>.authenticationCode(
        for: Array("till.bearer-token.v2:".utf8) + Array(token.utf8), using: key))
  }
}
