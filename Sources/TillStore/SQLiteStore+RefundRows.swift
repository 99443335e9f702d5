import GRDB
import TillCore

/// Reading and writing refund rows on SQLite.
extension SQLiteStore {
  static let refundColumns = ColumnSet([
    "id", "order_id", "sequence", "method", "status", "amount", "currency", "receipt_number", "payment_id",
    "idempotence_key", "failure_reason", "staff_code", "approved_by", "session_id", "created_at",
  ])

  /// The refund `id` with its lines (by SKU).
  static func refund(id: String, in db: Database) throws -> Refund {
    guard let row = try db.fetchRow("SELECT \(refundColumns.list) FROM refunds WHERE id = ?", [id]) else {
      throw StoreError.notFound(what: "refund")
    }
    let currency: String = try row.decode(forColumn: "currency")
    let money = { (amount: Int) in Money(amount: amount, currency: currency) }
    let lines = try db.fetchRows(
      "SELECT sku, name, quantity, restock, amount, tax, tax_rate FROM refund_lines WHERE refund_id = ? ORDER BY sku",
      [id]
    ).map { line in
      let amount: Int = try line.decode(forColumn: "amount")
      let tax: Int = try line.decode(forColumn: "tax")
      return Refund.Line(
        sku: try line.decode(forColumn: "sku"), name: try line.decode(forColumn: "name"),
        quantity: try line.decode(forColumn: "quantity"), restock: try line.decode(forColumn: "restock"),
        amount: money(amount), net: money(amount - tax), tax: money(tax),
        taxRate: try line.decode(forColumn: "tax_rate"))
    }
    return Refund(
      id: id, orderId: try row.decode(forColumn: "order_id"), sequence: try row.decode(forColumn: "sequence"),
      method: try StoredValue.paymentMethod(try row.decode(forColumn: "method")),
      status: try StoredValue.refundStatus(try row.decode(forColumn: "status")),
      amount: money(try row.decode(forColumn: "amount")), lines: lines,
      receiptNumber: try row.decode(forColumn: "receipt_number"),
      paymentId: try row.decode(forColumn: "payment_id"),
      idempotenceKey: try row.decode(forColumn: "idempotence_key"),
      failureReason: try row.decode(forColumn: "failure_reason"),
      staff: try row.decode(forColumn: "staff_code"),
      approvedBy: try row.decode(forColumn: "approved_by"),
      sessionId: try row.decode(forColumn: "session_id"),
      createdAt: try row.decode(forColumn: "created_at"))
  }

  static func insert(_ refund: Refund, owner: String, key: String, fingerprint: String, in db: Database)
    throws
  {
    try db.run(
      """
      INSERT INTO refunds (id, order_id, owner, sequence, request_key, fingerprint, method, status, amount,
        currency, receipt_number, payment_id, idempotence_key, staff_code, approved_by, session_id, created_at,
        settled_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        refund.id, refund.orderId, owner, refund.sequence, key, fingerprint, refund.method.rawValue,
        refund.status.rawValue, refund.amount.amount, refund.amount.currency, refund.receiptNumber,
        refund.paymentId, refund.idempotenceKey, refund.staff, refund.approvedBy, refund.sessionId,
        refund.createdAt, refund.status == .succeeded ? refund.createdAt : nil,
      ])
    for line in refund.lines {
      try db.run(
        """
        INSERT INTO refund_lines (refund_id, sku, name, quantity, restock, amount, tax, tax_rate)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          refund.id, line.sku, line.name, line.quantity, line.restock, line.amount.amount, line.tax.amount,
          line.taxRate,
        ])
    }
  }
}
