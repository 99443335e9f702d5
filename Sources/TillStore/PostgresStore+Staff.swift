import Foundation
import PostgresNIO
import TillCore

/// Staff on PostgreSQL. Each change is one transaction that locks the person's row first, so a change
/// and a sign-in or an approval checked against that row (which share-lock it) queue instead of
/// interleaving, on any number of servers.
extension PostgresStore: StaffStore {
  public func addStaff(code: String, name: String, role: StaffRole, pinHash: String, by actor: AuditActor)
    async throws(StoreError) -> StaffMember
  {
    try StaffChange.checkNew(code: code, name: name, taken: false)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, pinHash)
    return try await transaction { connection in
      // The primary key decides between two servers adding one code at once: one row goes in.
      let inserted = try await connection.query(
        """
        INSERT INTO staff (code, name, role, pin_hash, enabled)
        VALUES (\(code), \(name), \(role.rawValue), \(pinHash), true)
        ON CONFLICT (code) DO NOTHING RETURNING code
        """, logger: logger
      ).collect()
      try StaffChange.checkNew(code: code, name: name, taken: inserted.isEmpty)
      try await insert(.staffChange(.staffAdd, code: code, by: actor), at: Date(), on: connection)
      return StaffMember(code: code, name: name, role: role, enabled: true)
    }
  }

  public func staff() async throws(StoreError) -> [StaffMember] {
    try await withConnection { connection in
      try await connection.query(
        "SELECT \(unescaped: Self.staffColumns.list) FROM staff ORDER BY code", logger: logger
      ).collect().map { try Self.credentials($0.makeRandomAccess()).member }
    }
  }

  public func staffCredentials(code: String) async throws(StoreError) -> StaffCredentials? {
    guard StoreIdentifiers.canName(code) else { return nil }
    return try await withConnection { connection in
      try await credentials(code: code, lock: .none, on: connection)
    }
  }

  public func disableStaff(code: String, by actor: AuditActor) async throws(StoreError) -> StaffMember {
    try StoreIdentifiers.requireNamed("staff", code)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    return try await transaction { connection in
      let current = try await credentials(code: code, lock: .update, on: connection)
      let decision = try StaffChange.disable(current?.member)
      guard decision.changes else { return decision.member }
      try await connection.query(
        """
        WITH disabled AS (UPDATE staff SET enabled = false WHERE code = \(code))
        DELETE FROM staff_sessions WHERE staff_code = \(code)
        """, logger: logger)
      try await insert(.staffChange(.staffDisable, code: code, by: actor), at: Date(), on: connection)
      return decision.member
    }
  }

  public func resetPIN(code: String, pinHash: String, by actor: AuditActor) async throws(StoreError)
    -> StaffMember
  {
    try StoreIdentifiers.requireNamed("staff", code)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, pinHash)
    return try await transaction { connection in
      let current = try await credentials(code: code, lock: .update, on: connection)
      let member = try StaffChange.checkReset(current?.member)
      try await connection.query(
        """
        WITH reset AS (UPDATE staff SET pin_hash = \(pinHash) WHERE code = \(code))
        DELETE FROM staff_sessions WHERE staff_code = \(code)
        """, logger: logger)
      try await insert(.staffChange(.staffPINReset, code: code, by: actor), at: Date(), on: connection)
      return member
    }
  }

  static let staffColumns = ColumnSet(["code", "name", "role", "enabled", "pin_hash"])

  /// How a person's row is read: plainly, share-locked (an approval or a sign-in checked against it), or
  /// locked for a change.
  enum RowLock: String {
    case none = ""
    case share = "FOR SHARE"
    case update = "FOR UPDATE"
  }

  /// The person with `code`, its row locked as `lock` says until the transaction ends.
  func credentials(code: String, lock: RowLock, on connection: PostgresConnection) async throws
    -> StaffCredentials?
  {
    var binds = PostgresBindings()
    binds.append(code)
    let sql = "SELECT \(Self.staffColumns.list) FROM staff WHERE code = $1 \(lock.rawValue)"
    return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
      .collect().first.map { try Self.credentials($0.makeRandomAccess()) }
  }

  /// Decodes `staffColumns`.
  static func credentials(_ row: PostgresRandomAccessRow) throws -> StaffCredentials {
    StaffCredentials(
      member: StaffMember(
        code: try row.decode("code"), name: try row.decode("name"),
        role: try StoredValue.staffRole(try row.decode("role")), enabled: try row.decode("enabled")),
      pinHash: try row.decode("pin_hash"))
  }
}
