import Foundation
import PostgresNIO
import TillCore

/// The audit trail on PostgreSQL: rows are written inside the transaction of the action they record,
/// so an action and its row commit together or not at all.
extension PostgresStore {
  public func audit(limit: Int, after: String?) async throws(StoreError) -> Page<AuditEntry> {
    guard let paging = KeysetPaging(limit: limit) else { return KeysetPaging.empty() }
    var binds = PostgresBindings()
    var filter = ""
    if let after {
      guard let seq = KeysetPaging.sequence(after: after) else { return KeysetPaging.empty() }
      binds.append(seq)
      filter = "WHERE seq < $1"
    }
    binds.append(paging.fetchLimit)
    let sql = """
      SELECT \(Self.auditColumns.list) FROM audit_events \(filter)
      ORDER BY seq DESC LIMIT $\(binds.count)
      """
    let entries = try await withConnection { [binds] connection in
      try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
        .map { try Self.auditEntry($0.makeRandomAccess()) }
    }
    return paging.page(entries, cursor: \.id)
  }

  static let auditColumns = ColumnSet([
    "seq", "action", "staff_code", "terminal", "approved_by", "subject", "detail",
  ]).adding(.init(name: "at", expression: { PostgresRows.timestamp($0 + "at") }))

  static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
    let seq: Int = try row.decode("seq")
    return AuditEntry(
      id: String(seq), at: try row.decode("at"), action: try row.decode("action"),
      staff: try row.decode("staff_code"), terminal: try row.decode("terminal"),
      approvedBy: try row.decode("approved_by"), subject: try row.decode("subject"),
      detail: try row.decode("detail"))
  }

  /// Appends `record` at `at`, in the caller's transaction.
  func insert(_ record: AuditRecord, at: Date, on connection: PostgresConnection) async throws {
    try await connection.query(
      """
      INSERT INTO audit_events (at, action, staff_code, terminal, approved_by, subject, detail)
      VALUES (\(at), \(record.action.rawValue), \(record.staff), \(record.terminal), \(record.approvedBy),
        \(record.subject.map(StoreIdentifiers.storable)), \(record.detail.map(StoreIdentifiers.storable)))
      """, logger: logger)
  }

  /// The approver to record for a cancel of `orderId` by `actor` (nil when none was needed), decided by
  /// `CancelPermission` on the order's person and, when an approval came, its approver as stored now:
  /// the approver's row is share-locked until commit, so a disable or PIN reset racing this cancel
  /// either commits first (and is seen here) or waits for it.
  func cancelApprover(
    orderId: String, actor: StaffActor, approval: VerifiedApproval?, on connection: PostgresConnection
  ) async throws -> String? {
    let orders = try await connection.query(
      "SELECT staff_code FROM orders WHERE id = \(orderId)", logger: logger
    ).collect()
    guard let orderStaff: String = try orders.first?.makeRandomAccess().decode("staff_code") else {
      throw StoreError.notFound(what: "order")
    }
    var approver: StaffFacts?
    if let approval, CancelPermission.needsApproval(orderStaff: orderStaff, actor: actor) {
      approver = try await credentials(code: approval.code, lock: .share, on: connection)?.facts
    }
    return try CancelPermission.decide(
      orderStaff: orderStaff, actor: actor, approval: approval, approver: approver)
  }
}
