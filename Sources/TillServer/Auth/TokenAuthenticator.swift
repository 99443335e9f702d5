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
  /// The stable opaque id the store records as the owner of carts and orders: a digest of the token,
  /// never the token itself, so neither the database nor the logs ever hold a usable secret.
  public var owner: String
  public var role: Role
}

/// Recognises the configured staff and admin tokens.
///
/// Tokens are kept only as SHA-256 digests. A presented token is hashed once and compared against every
/// configured digest, byte by byte without early exit, so the time taken says nothing about how much of a
/// token was right or which token matched.
struct TokenAuthenticator: Sendable {
  private struct Entry: Sendable {
    var digest: [UInt8]
    var role: Role
  }

  private let entries: [Entry]

  init(staffTokens: [String], adminToken: String?) {
    var entries = staffTokens.map { Entry(digest: Self.digest(of: $0), role: .staff) }
    if let adminToken { entries.append(Entry(digest: Self.digest(of: adminToken), role: .admin)) }
    self.entries = entries
  }

  /// The principal for `token`, or nil when no configured token matches.
  func principal(for token: String) -> Principal? {
    let presented = Self.digest(of: token)
    var matched: Role?
    for entry in entries {
      var difference: UInt8 = 0
      for index in 0..<SHA256.byteCount { difference |= entry.digest[index] ^ presented[index] }
      if difference == 0 { matched = max(matched ?? entry.role, entry.role) }
    }
    guard let matched else { return nil }
    return Principal(owner: Self.ownerID(forDigest: presented), role: matched)
  }

  /// The owner id recorded for a token (exposed for tests and tools that need to predict it).
  static func ownerID(for token: String) -> String { ownerID(forDigest: digest(of: token)) }

  /// `o-` and the digest in lowercase hex: the form every database written so far holds.
  private static func ownerID(forDigest digest: [UInt8]) -> String {
    "o-" + digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
  }

  /// Domain-separated so the digest of a token here never equals a digest of the same text elsewhere.
  static func digest(of token: String) -> [UInt8] {
    Array(SHA256.hash(data: Array("till.bearer-token.v1:".utf8) + Array(token.utf8)))
  }
}
