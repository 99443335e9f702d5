import Foundation
import PostgresNIO
import TillCore

/// The trading day's reads on PostgreSQL: sessions, the facts a report is made of, cash moves, Z reports.
extension PostgresStore {
  static let registerSessionColumns = ColumnSet([
    "s.id", "s.terminal", "s.status", "s.opening_float", "s.currency", "s.opened_by", "s.closed_by",
  ]).adding(
    .init(name: "opened_at") { _ in PostgresRows.timestamp("s.opened_at") },
    .init(name: "closed_at") { _ in PostgresRows.timestamp("s.closed_at") },
    .init(name: "z_report_id") { _ in "(SELECT z.id FROM z_reports z WHERE z.session_id = s.id)" })

  static func session(_ row: PostgresRandomAccessRow) throws -> RegisterSession {
    RegisterSession(
      id: try row.decode("id"), terminal: try row.decode("terminal"),
      status: try StoredValue.sessionStatus(try row.decode("status")),
      openingFloat: Money(amount: try row.decode("opening_float"), currency: try row.decode("currency")),
      openedAt: try row.decode("opened_at"), openedBy: try row.decode("opened_by"),
      closedAt: try row.decode("closed_at"), closedBy: try row.decode("closed_by"),
      zReportId: try row.decode("z_report_id"))
  }

  func openSession(owner: String, on connection: PostgresConnection) async throws -> RegisterSession? {
    try await connection.query(
      """
      SELECT \(unescaped: Self.registerSessionColumns.list) FROM register_sessions s
      WHERE s.owner = \(owner) AND s.status = 'open'
      """, logger: logger
    ).collect().first.map { try Self.session($0.makeRandomAccess()) }
  }

  /// How a session row is read: an order statement and a cash move share it, a close takes it alone.
  enum SessionLock: String {
    case unlocked = ""
    case keyShare = "FOR KEY SHARE"
    case update = "FOR UPDATE"
  }

  /// The owner's session `id`, read with `lock`.
  func session(id: String, owner: String, lock: SessionLock, on connection: PostgresConnection) async throws
    -> RegisterSession?
  {
    try await connection.query(
      """
      SELECT \(unescaped: Self.registerSessionColumns.list) FROM register_sessions s
      WHERE s.id = \(id) AND s.owner = \(owner) \(unescaped: lock.rawValue)
      """, logger: logger
    ).collect().first.map { try Self.session($0.makeRandomAccess()) }
  }

  /// The stored figures of the session's orders, payments, taxes and cash moves.
  func sessionFacts(_ session: RegisterSession, on connection: PostgresConnection) async throws
    -> SessionFacts
  {
    let id = session.id
    let orders = try await connection.query(
      "SELECT status, total_amount, discount_total, currency, staff_code FROM orders WHERE session_id = \(id)",
      logger: logger
    ).collect().map { row in
      let row = row.makeRandomAccess()
      let currency: String = try row.decode("currency")
      return SessionFacts.OrderFact(
        status: try StoredValue.orderStatus(try row.decode("status")),
        total: Money(amount: try row.decode("total_amount"), currency: currency),
        discountTotal: Money(amount: try row.decode("discount_total"), currency: currency),
        staff: try row.decode("staff_code"))
    }
    let payments = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns.select(from: "p"))
      FROM payments p JOIN orders o ON o.id = p.order_id
      WHERE o.session_id = \(id) AND p.status = 'succeeded'
      """, logger: logger
    ).collect().compactMap { try PostgresRows.payment($0) }.map(SessionFacts.PaymentFact.init)
    let taxes = try await connection.query(
      """
      SELECT t.rate, t.net_amount, t.tax_amount, t.gross_amount, o.currency
      FROM order_taxes t JOIN orders o ON o.id = t.order_id WHERE o.session_id = \(id) AND o.status = 'paid'
      """, logger: logger
    ).collect().map { row in
      let row = row.makeRandomAccess()
      let currency: String = try row.decode("currency")
      return TaxTotal(
        rate: try row.decode("rate"), net: Money(amount: try row.decode("net_amount"), currency: currency),
        tax: Money(amount: try row.decode("tax_amount"), currency: currency),
        gross: Money(amount: try row.decode("gross_amount"), currency: currency))
    }
    let moves = try await connection.query(
      """
      SELECT \(unescaped: Self.cashMoveColumns.list) FROM cash_moves WHERE session_id = \(id)
      ORDER BY created_at, id
      """, logger: logger
    ).collect().map { try Self.cashMove($0.makeRandomAccess()) }
    let refunds = try await connection.query(
      "SELECT method, amount, currency FROM refunds WHERE session_id = \(id) AND status = 'succeeded'",
      logger: logger
    ).collect().map { row in
      let row = row.makeRandomAccess()
      return SessionFacts.RefundFact(
        method: try StoredValue.paymentMethod(try row.decode("method")),
        amount: Money(amount: try row.decode("amount"), currency: try row.decode("currency")))
    }
    return SessionFacts(
      session: session, orders: orders, payments: payments, taxes: taxes, moves: moves, refunds: refunds)
  }

  /// The session's orders not yet paid or canceled, and the orders with a card refund of the session
  /// still pending (its Z could not count it), by number, each saying whether a card payment or refund
  /// is pending for it.
  func openOrders(sessionId: String, on connection: PostgresConnection) async throws -> [OpenOrder] {
    try await connection.query(
      """
      SELECT o.id, o.number,
        EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'pending') AS pending
      FROM orders o WHERE o.session_id = \(sessionId) AND o.status = 'placed'
      UNION
      SELECT o.id, o.number, true AS pending FROM refunds r JOIN orders o ON o.id = r.order_id
      WHERE r.session_id = \(sessionId) AND r.status = 'pending'
      ORDER BY 2
      """, logger: logger
    ).collect().map { row in
      let row = row.makeRandomAccess()
      return OpenOrder(
        id: try row.decode("id"), number: try row.decode("number"), paymentPending: try row.decode("pending"))
    }
  }

  static let cashMoveColumns = ColumnSet([
    "id", "session_id", "kind", "amount", "currency", "reason", "staff_code", "approved_by",
  ]).adding(.init(name: "created_at") { PostgresRows.timestamp($0 + "created_at") })

  static func cashMove(_ row: PostgresRandomAccessRow) throws -> CashMove {
    CashMove(
      id: try row.decode("id"), sessionId: try row.decode("session_id"),
      kind: try StoredValue.cashMoveKind(try row.decode("kind")),
      amount: Money(amount: try row.decode("amount"), currency: try row.decode("currency")),
      reason: try row.decode("reason"), staff: try row.decode("staff_code"),
      approvedBy: try row.decode("approved_by"), createdAt: try row.decode("created_at"))
  }

  static let zReportColumns = ColumnSet([
    "id", "number", "terminal", "closed_by", "report", "counted_amount", "variance_amount", "currency",
  ]).adding(.init(name: "closed_at") { PostgresRows.timestamp($0 + "closed_at") })

  static func zReport(_ row: PostgresRandomAccessRow) throws -> ZReport {
    let currency: String = try row.decode("currency")
    return try StoredReport.zReport(
      id: try row.decode("id"), number: try row.decode("number"), terminal: try row.decode("terminal"),
      closedAt: try row.decode("closed_at"), closedBy: try row.decode("closed_by"),
      report: try row.decode("report"),
      countedCash: Money(amount: try row.decode("counted_amount"), currency: currency),
      variance: Money(amount: try row.decode("variance_amount"), currency: currency))
  }

  func zReport(id: String, on connection: PostgresConnection) async throws -> ZReport {
    let rows = try await connection.query(
      "SELECT \(unescaped: Self.zReportColumns.list) FROM z_reports WHERE id = \(id)", logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.notFound(what: "Z report") }
    return try Self.zReport(row.makeRandomAccess())
  }

  /// `date` without its fraction of a second: the times the trading day stores read back as the same
  /// RFC 3339 text they were answered with.
  static func wholeSeconds(_ date: Date) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
  }

  /// An RFC 3339 time as `wholeSeconds` stored it; nil when it is not one.
  static func parseTimestamp(_ text: String) -> Date? {
    try? Date(text, strategy: .iso8601)
  }
}
