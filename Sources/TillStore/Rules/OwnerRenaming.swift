/// One owner id to be replaced by another in every table that records an owner from before keyed owner
/// ids (`OwnedTables`): how a database written under an earlier owner-id scheme keeps its carts, orders and
/// idempotency keys with the same tokens. The register's tables (sessions, cash moves, Z reports) came after
/// keyed owner ids and only ever held them, so no rename reaches them.
public struct OwnerRename: Sendable, Hashable {
  /// The id the rows hold now.
  public var old: String
  /// The id they hold afterwards.
  public var new: String

  public init(old: String, new: String) {
    self.old = old
    self.new = new
  }
}

/// The tables that record an owner, and which of their unique keys the owner is part of. Both engines
/// rename owners by this list (`Store.renameOwners`), each in its own SQL, in one transaction.
///
/// A rename is idempotent: once no row holds an old id, it changes nothing. A row is left under its old
/// id when a row with the new id and the same unique key exists already: renaming it would break the
/// key, and the newer row is the one answered. The server renames before it serves a request, so no
/// new-id row should precede the rename; the check keeps a start from failing if one does.
enum OwnedTables {
  struct Table: Sendable {
    var name: String
    /// nil: the owner is in no unique key. Otherwise the columns that, with the owner, are unique.
    var uniqueWithOwner: [String]?
  }

  /// The tables both engines have.
  static let common: [Table] = [
    Table(name: "carts", uniqueWithOwner: nil),
    // An order's number is unique per owner: an order whose number the new owner holds stays behind.
    Table(name: "orders", uniqueWithOwner: ["number"]),
    Table(name: "idempotency_keys", uniqueWithOwner: ["key"]),
    // A staff session acts on its terminal's carts and orders.
    Table(name: "staff_sessions", uniqueWithOwner: nil),
  ]

  /// PostgreSQL also keeps each owner's last order number in a row of its own (`OrderNumbering`);
  /// SQLite reads the owner's highest number instead.
  static let postgres: [Table] = common + [Table(name: "order_counters", uniqueWithOwner: [])]

  /// `renames` without repeats and without pairs that change nothing or cannot name a stored row (a
  /// token configured twice gives the same pair twice).
  static func distinct(_ renames: [OwnerRename]) -> [OwnerRename] {
    var seen = Set<OwnerRename>()
    return renames.filter { rename in
      rename.old != rename.new && StoreIdentifiers.canName(rename.old) && StoreIdentifiers.canName(rename.new)
        && seen.insert(rename).inserted
    }
  }

  /// The condition, for `table` aliased `owned` and the rename source aliased `renames`, that keeps a
  /// row under its old id when the new id already holds the same unique key (empty: no such key).
  static func keepsUniqueKey(_ table: Table) -> String {
    guard let columns = table.uniqueWithOwner else { return "" }
    let sameKey = columns.map { " AND taken.\($0) = owned.\($0)" }.joined()
    return " AND NOT EXISTS (SELECT 1 FROM \(table.name) AS taken WHERE taken.owner = renames.new\(sameKey))"
  }
}

/// The per-database secret that owner ids are derived from (an HMAC key): made once, kept in the
/// database itself (table `till_secrets`), the same for every server on that database.
public enum OwnerSecret {
  /// The row's name in `till_secrets`.
  static let name = "owner-ids"
  /// 256 bits: SHA-256's output length, the key length RFC 2104 recommends for HMAC-SHA-256.
  public static let byteCount = 32

  /// A fresh secret from the system's cryptographic random source.
  static func generate() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }

  /// The stored secret, or an engine error (that never shows its bytes) when it is missing or malformed.
  static func checked(_ stored: [UInt8]?) throws(StoreError) -> [UInt8] {
    guard let stored, stored.count == byteCount else {
      throw .engine("the owner-id secret in till_secrets is missing or not \(byteCount) bytes")
    }
    return stored
  }
}
