import Foundation
import GRDB
import TillCore

/// Staff on SQLite. Each change is one write on the writer queue, so the person read and the change
/// (with its audit row and the sessions it ends) cannot interleave with another write.
extension SQLiteStore: StaffStore {
  public func addStaff(code: String, name: String, role: StaffRole, pinHash: String, by actor: AuditActor)
    async throws(StoreError) -> StaffMember
  {
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, pinHash)
    return try await write { db in
      try StaffChange.checkNew(code: code, name: name, taken: try Self.credentials(code: code, in: db) != nil)
      try db.run(
        "INSERT INTO staff (code, name, role, pin_hash, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)",
        [code, name, role.rawValue, pinHash, SQLiteRows.timestamp()])
      try Self.insert(.staffChange(.staffAdd, code: code, by: actor), at: Date(), in: db)
      return StaffMember(code: code, name: name, role: role, enabled: true)
    }
  }

  public func staff() async throws(StoreError) -> [StaffMember] {
    try await read { db in
      try db.fetchRows("SELECT \(Self.staffColumns.list) FROM staff ORDER BY code").map {
        try Self.credentials($0).member
      }
    }
  }

  public func staffCredentials(code: String) async throws(StoreError) -> StaffCredentials? {
    guard StoreIdentifiers.canName(code) else { return nil }
    return try await read { db in try Self.credentials(code: code, in: db) }
  }

  public func disableStaff(code: String, by actor: AuditActor) async throws(StoreError) -> StaffMember {
    try StoreIdentifiers.requireNamed("staff", code)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    return try await write { db in
      let decision = try StaffChange.disable(try Self.credentials(code: code, in: db)?.member)
      guard decision.changes else { return decision.member }
      try db.run("UPDATE staff SET enabled = 0 WHERE code = ?", [code])
      try db.run("DELETE FROM staff_sessions WHERE staff_code = ?", [code])
      try Self.insert(.staffChange(.staffDisable, code: code, by: actor), at: Date(), in: db)
      return decision.member
    }
  }

  public func resetPIN(code: String, pinHash: String, by actor: AuditActor) async throws(StoreError)
    -> StaffMember
  {
    try StoreIdentifiers.requireNamed("staff", code)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, pinHash)
    return try await write { db in
      let member = try StaffChange.checkReset(try Self.credentials(code: code, in: db)?.member)
      try db.run("UPDATE staff SET pin_hash = ? WHERE code = ?", [pinHash, code])
      try db.run("DELETE FROM staff_sessions WHERE staff_code = ?", [code])
      try Self.insert(.staffChange(.staffPINReset, code: code, by: actor), at: Date(), in: db)
      return member
    }
  }

  static let staffColumns = ColumnSet(["code", "name", "role", "enabled", "pin_hash"])

  static func credentials(code: String, in db: Database) throws -> StaffCredentials? {
    try db.fetchRow("SELECT \(staffColumns.list) FROM staff WHERE code = ?", [code]).map(credentials)
  }

  /// Decodes `staffColumns`.
  static func credentials(_ row: Row) throws -> StaffCredentials {
    StaffCredentials(
      member: StaffMember(
        code: try row.decode(forColumn: "code"), name: try row.decode(forColumn: "name"),
        role: try StoredValue.staffRole(try row.decode(forColumn: "role")),
        enabled: try row.decode(forColumn: "enabled")),
      pinHash: try row.decode(forColumn: "pin_hash"))
  }
}
