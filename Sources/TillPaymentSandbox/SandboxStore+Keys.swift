import Foundation
import GRDB

/// A table of idempotence keys: each key names the object it made, with the fingerprint of its request
/// and when it was first seen.
struct KeyTable: Sendable {
  var name: String
  var objectColumn: String

  static let payments = KeyTable(name: "idempotence_key", objectColumn: "payment_id")
  static let refunds = KeyTable(name: "refund_key", objectColumn: "refund_id")
}

/// What a key names when a request arrives with it.
enum KeyLookup: Hashable, Sendable {
  /// Unknown, or known longer ago than the idempotence window (then forgotten): act on the request.
  case fresh
  /// Seen inside the window with the same request: answer the object it made.
  case same(objectId: String)
  /// Seen inside the window with another request.
  case conflict
}

/// The milliseconds a key check works in: now, and the window a key is remembered for.
struct KeyClock: Sendable {
  var nowMs: Int64
  var windowMs: Int64

  init(now: Date, window: Duration) {
    nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
    windowMs = window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000
  }
}

/// Idempotence keys as YooKassa keeps them: a key and its request are remembered for the window (24 h),
/// then forgotten (the object made stays listed), so the same key may start anew.
extension SandboxStore {
  /// What `key` names in `table`, read in the caller's immediate transaction; an expired key is deleted.
  static func lookUp(
    _ key: String, fingerprint: String, in table: KeyTable, clock: KeyClock, db: Database
  ) throws -> KeyLookup {
    guard
      let known = try Row.fetchOne(
        db, sql: "SELECT fingerprint, \(table.objectColumn), created_ms FROM \(table.name) WHERE key = ?",
        arguments: [key])
    else { return .fresh }
    let createdMs: Int64 = known["created_ms"]
    guard createdMs > clock.nowMs - clock.windowMs else {
      try db.execute(sql: "DELETE FROM \(table.name) WHERE key = ?", arguments: [key])
      return .fresh
    }
    let knownFingerprint: String = known["fingerprint"]
    return knownFingerprint == fingerprint ? .same(objectId: known[table.objectColumn]) : .conflict
  }

  /// Remembers that `key` with `fingerprint` made object `id`, in the caller's transaction.
  static func remember(
    _ key: String, fingerprint: String, made id: String, in table: KeyTable, clock: KeyClock, db: Database
  ) throws {
    try db.execute(
      sql:
        "INSERT INTO \(table.name) (key, fingerprint, \(table.objectColumn), created_ms) VALUES (?, ?, ?, ?)",
      arguments: [key, fingerprint, id, clock.nowMs])
  }
}
