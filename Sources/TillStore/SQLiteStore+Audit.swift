import Foundation
import GRDB
import TillCore

/// The audit trail on SQLite: rows are written inside the transaction of the action they record, so
/// an action and its row commit together or not at all.
extension SQLiteStore {
  public func audit(limit: Int, after: String?) async throws(StoreError) -> Page<AuditEntry> {
    guard let paging = KeysetPaging(limit: limit) else { return KeysetPaging.empty() }
    var sql = "SELECT \(Self.auditColumns.list) FROM audit_events"
    var arguments: StatementArguments = []
    if let after {
      guard let seq = KeysetPaging.sequence(after: after) else { return KeysetPaging.empty() }
      sql += " WHERE seq < ?"
      arguments += [seq]
    }
    sql += " ORDER BY seq DESC LIMIT ?"
    arguments += [paging.fetchLimit]
    let entries = try await read { [sql, arguments] db in
      try db.fetchRows(sql, arguments).map(Self.auditEntry)
    }
    return paging.page(entries, cursor: \.id)
  }

  static let auditColumns = ColumnSet([
    "seq", "at", "action", "staff_code", "terminal", "approved_by", "subject", "detail",
  ])

  static func auditEntry(_ row: Row) throws -> AuditEntry {
    let seq: Int = try row.decode(forColumn: "seq")
    return AuditEntry(
      id: String(seq), at: try row.decode(forColumn: "at"), action: try row.decode(forColumn: "action"),
      staff: try row.decode(forColumn: "staff_code"), terminal: try row.decode(forColumn: "terminal"),
      approvedBy: try row.decode(forColumn: "approved_by"), subject: try row.decode(forColumn: "subject"),
      detail: try row.decode(forColumn: "detail"))
  }

  /// Appends `record` at `at`, in the caller's transaction.
  static func insert(_ record: AuditRecord, at: Date, in db: Database) throws {
    try db.run(
      """
      INSERT INTO audit_events (at, action, staff_code, terminal, approved_by, subject, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      """,
      [
        SQLiteRows.timestamp(at), record.action.rawValue, record.staff, record.terminal, record.approvedBy,
        record.subject.map(StoreIdentifiers.storable), record.detail.map(StoreIdentifiers.storable),
      ])
  }

  /// The approver to record for a cancel of `orderId` by `actor` (nil when none was needed), decided by
  /// `CancelPermission` on the order's person and, when an approval came, its approver as stored now.
  static func cancelApprover(
    orderId: String, actor: StaffActor, approval: VerifiedApproval?, in db: Database
  ) throws -> String? {
    guard
      let orderStaff: String = try db.fetchRow("SELECT staff_code FROM orders WHERE id = ?", [orderId])?
        .decode(forColumn: "staff_code")
    else { throw StoreError.notFound(what: "order") }
    var approver: StaffFacts?
    if let approval, CancelPermission.needsApproval(orderStaff: orderStaff, actor: actor) {
      approver = try credentials(code: approval.code, in: db)?.facts
    }
    return try CancelPermission.decide(
      orderStaff: orderStaff, actor: actor, approval: approval, approver: approver)
  }
}
