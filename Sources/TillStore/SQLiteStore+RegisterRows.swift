import GRDB
import TillCore

/// The trading day's reads on SQLite: sessions, the facts a report is made of, cash moves, Z reports.
extension SQLiteStore {
  static let registerSessionColumns = ColumnSet([
    "s.id", "s.terminal", "s.status", "s.opening_float", "s.currency", "s.opened_at", "s.opened_by",
    "s.closed_at", "s.closed_by",
  ]).adding(.init(name: "z_report_id") { _ in "(SELECT z.id FROM z_reports z WHERE z.session_id = s.id)" })

  static func session(_ row: Row) throws -> RegisterSession {
    RegisterSession(
      id: try row.decode(forColumn: "id"), terminal: try row.decode(forColumn: "terminal"),
      status: try StoredValue.sessionStatus(try row.decode(forColumn: "status")),
      openingFloat: Money(
        amount: try row.decode(forColumn: "opening_float"), currency: try row.decode(forColumn: "currency")),
      openedAt: try row.decode(forColumn: "opened_at"), openedBy: try row.decode(forColumn: "opened_by"),
      closedAt: try row.decode(forColumn: "closed_at"), closedBy: try row.decode(forColumn: "closed_by"),
      zReportId: try row.decode(forColumn: "z_report_id"))
  }

  static func openSession(owner: String, in db: Database) throws -> RegisterSession? {
    try db.fetchRow(
      "SELECT \(registerSessionColumns.list) FROM register_sessions s WHERE s.owner = ? AND s.status = 'open'",
      [owner]
    ).map(session)
  }

  static func session(id: String, owner: String, in db: Database) throws -> RegisterSession? {
    try db.fetchRow(
      "SELECT \(registerSessionColumns.list) FROM register_sessions s WHERE s.id = ? AND s.owner = ?",
      [id, owner]
    ).map(session)
  }

  /// The stored figures of the session's orders, payments, taxes and cash moves.
  static func sessionFacts(_ session: RegisterSession, in db: Database) throws -> SessionFacts {
    let id = session.id
    let orders = try db.fetchRows(
      "SELECT status, total_amount, discount_total, currency, staff_code FROM orders WHERE session_id = ?",
      [id]
    ).map { row in
      let currency: String = try row.decode(forColumn: "currency")
      return SessionFacts.OrderFact(
        status: try StoredValue.orderStatus(try row.decode(forColumn: "status")),
        total: Money(amount: try row.decode(forColumn: "total_amount"), currency: currency),
        discountTotal: Money(amount: try row.decode(forColumn: "discount_total"), currency: currency),
        staff: try row.decode(forColumn: "staff_code"))
    }
    let payments = try db.fetchRows(
      """
      SELECT \(SQLiteRows.paymentColumns.select(from: "p")) FROM payments p JOIN orders o ON o.id = p.order_id
      WHERE o.session_id = ? AND p.status = 'succeeded'
      """, [id]
    ).compactMap { try SQLiteRows.payment($0) }.map(SessionFacts.PaymentFact.init)
    let taxes = try db.fetchRows(
      """
      SELECT t.rate, t.net_amount, t.tax_amount, t.gross_amount, o.currency
      FROM order_taxes t JOIN orders o ON o.id = t.order_id WHERE o.session_id = ? AND o.status = 'paid'
      """, [id]
    ).map { row in
      let currency: String = try row.decode(forColumn: "currency")
      return TaxTotal(
        rate: try row.decode(forColumn: "rate"),
        net: Money(amount: try row.decode(forColumn: "net_amount"), currency: currency),
        tax: Money(amount: try row.decode(forColumn: "tax_amount"), currency: currency),
        gross: Money(amount: try row.decode(forColumn: "gross_amount"), currency: currency))
    }
    let moves = try db.fetchRows(
      "SELECT \(cashMoveColumns.list) FROM cash_moves WHERE session_id = ? ORDER BY created_at, id", [id]
    ).map(cashMove)
    let refunds = try db.fetchRows(
      "SELECT method, amount, currency FROM refunds WHERE session_id = ? AND status = 'succeeded'", [id]
    ).map { row in
      SessionFacts.RefundFact(
        method: try StoredValue.paymentMethod(try row.decode(forColumn: "method")),
        amount: Money(
          amount: try row.decode(forColumn: "amount"), currency: try row.decode(forColumn: "currency")))
    }
    return SessionFacts(
      session: session, orders: orders, payments: payments, taxes: taxes, moves: moves, refunds: refunds)
  }

  /// The session's orders not yet paid or canceled, and the orders with a card refund of the session
  /// still pending (its Z could not count it), by number, each saying whether a card payment or refund
  /// is pending for it.
  static func openOrders(sessionId: String, in db: Database) throws -> [OpenOrder] {
    try db.fetchRows(
      """
      SELECT o.id, o.number,
        EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'pending') AS pending
      FROM orders o WHERE o.session_id = ?1 AND o.status = 'placed'
      UNION
      SELECT o.id, o.number, 1 AS pending FROM refunds r JOIN orders o ON o.id = r.order_id
      WHERE r.session_id = ?1 AND r.status = 'pending'
      ORDER BY 2
      """, [sessionId]
    ).map { row in
      OpenOrder(
        id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "number"),
        paymentPending: try row.decode(forColumn: "pending"))
    }
  }

  static let cashMoveColumns = ColumnSet([
    "id", "session_id", "kind", "amount", "currency", "reason", "staff_code", "approved_by", "created_at",
  ])

  static func cashMove(_ row: Row) throws -> CashMove {
    CashMove(
      id: try row.decode(forColumn: "id"), sessionId: try row.decode(forColumn: "session_id"),
      kind: try StoredValue.cashMoveKind(try row.decode(forColumn: "kind")),
      amount: Money(
        amount: try row.decode(forColumn: "amount"), currency: try row.decode(forColumn: "currency")),
      reason: try row.decode(forColumn: "reason"), staff: try row.decode(forColumn: "staff_code"),
      approvedBy: try row.decode(forColumn: "approved_by"), createdAt: try row.decode(forColumn: "created_at")
    )
  }

  static let zReportColumns = ColumnSet([
    "id", "number", "terminal", "closed_at", "closed_by", "report", "counted_amount", "variance_amount",
    "currency",
  ])

  static func zReport(_ row: Row) throws -> ZReport {
    let currency: String = try row.decode(forColumn: "currency")
    return try StoredReport.zReport(
      id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "number"),
      terminal: try row.decode(forColumn: "terminal"), closedAt: try row.decode(forColumn: "closed_at"),
      closedBy: try row.decode(forColumn: "closed_by"), report: try row.decode(forColumn: "report"),
      countedCash: Money(amount: try row.decode(forColumn: "counted_amount"), currency: currency),
      variance: Money(amount: try row.decode(forColumn: "variance_amount"), currency: currency))
  }

  static func zReport(id: String, in db: Database) throws -> ZReport {
    guard let row = try db.fetchRow("SELECT \(zReportColumns.list) FROM z_reports WHERE id = ?", [id]) else {
      throw StoreError.notFound(what: "Z report")
    }
    return try zReport(row)
  }
}
