import Crypto
import TillStore

/// The owner ids a token has had, and the renames that carry a database from the old to the current.
///
/// Until the owner secret existed, a token's owner was `o-` and the unkeyed SHA-256 of the token, which
/// a copy of the database alone let anyone test guesses against at hash speed, or look up in a table.
/// Now it is `h-` and an HMAC-SHA-256 keyed with the database's own secret (`TokenAuthenticator`). The
/// prefixes differ, so an old id can never be mistaken for a new one.
enum OwnerIDs {
  /// `h-` and the keyed digest in lowercase hex.
  static func current(digest: [UInt8]) -> String { "h-" + hex(digest) }

  /// The id databases written before the owner secret hold for `token`: `o-` and the SHA-256 of the
  /// domain-separated token in lowercase hex.
  static func legacy(for token: String) -> String {
    "o-" + hex(Array(SHA256.hash(data: Array("till.bearer-token.v1:".utf8) + Array(token.utf8))))
  }

  /// For every token, its legacy id renamed to its current one under `authenticator`'s secret.
  static func renames(tokens: [String], authenticator: TokenAuthenticator) -> [OwnerRename] {
    tokens.map { OwnerRename(old: legacy(for: $0), new: authenticator.ownerID(for: $0)) }
  }

  private static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
  }
}
