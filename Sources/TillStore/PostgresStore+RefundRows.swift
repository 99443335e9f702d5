import Foundation
import PostgresNIO
import TillCore

/// Reading and writing refund rows on PostgreSQL, and the facts a refund is decided on.
extension PostgresStore {
  static let refundColumns = ColumnSet([
    "id", "order_id", "sequence", "method", "status", "amount", "currency", "receipt_number", "payment_id",
    "idempotence_key", "failure_reason", "staff_code", "approved_by", "session_id",
  ])
  .adding(.init(name: "created_at", expression: { PostgresRows.timestamp($0 + "created_at") }))

  /// Locks the owner's order row until the transaction ends, then reads (in later statements, whose
  /// snapshots include what the previous lock holder committed) its lines with the units refunded so
  /// far, its card payments with what went back to each, the cash left to give back, the refund under
  /// `key`, the next sequence,
  /// the open session (`FOR KEY SHARE`, so a close waits for this refund) and the approver.
  func lockedRefundFacts(
    orderId: String, owner: String, key: String, approval: VerifiedApproval?,
    on connection: PostgresConnection
  ) async throws -> RefundFacts {
    let order = try await lockOrder(id: orderId, owner: owner, on: connection)
    let lines = try await connection.query(
      """
      SELECT l.sku, l.name, l.quantity, l.line_total_amount, l.tax_amount, l.tax_rate,
        COALESCE((SELECT sum(rl.quantity) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
          WHERE r.order_id = l.order_id AND rl.sku = l.sku AND r.status <> 'failed'), 0)::bigint AS refunded
      FROM order_lines l WHERE l.order_id = \(orderId) ORDER BY l.sku
      """, logger: logger
    ).collect().map { line in
      let line = line.makeRandomAccess()
      return RefundableLine(
        sku: try line.decode("sku"), name: try line.decode("name"), quantity: try line.decode("quantity"),
        gross: try line.decode("line_total_amount"), tax: try line.decode("tax_amount"),
        taxRate: try line.decode("tax_rate"), refunded: try line.decode("refunded"))
    }
    let cards = try await connection.query(
      """
      SELECT p.id, p.amount, p.provider_payment_id,
        COALESCE((SELECT sum(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status <> 'failed'), 0)
          ::bigint AS refunded
      FROM payments p
      WHERE p.order_id = \(orderId) AND p.method = 'card' AND p.status = 'succeeded' ORDER BY p.attempt
      """, logger: logger
    ).collect().map { card in
      let card = card.makeRandomAccess()
      return RefundableCardPayment(
        paymentId: try card.decode("id"), amount: try card.decode("amount"),
        refunded: try card.decode("refunded"),
        providerPaymentId: try card.decode("provider_payment_id", as: String?.self) ?? "")
    }
    var keyed: KeyedRefund?
    let keyedRows = try await connection.query(
      "SELECT id, fingerprint FROM refunds WHERE order_id = \(orderId) AND request_key = \(key)",
      logger: logger
    ).collect()
    if let keyedRow = keyedRows.first?.makeRandomAccess() {
      keyed = KeyedRefund(
        refund: try await readRefund(id: try keyedRow.decode("id"), on: connection),
        fingerprint: try keyedRow.decode("fingerprint"))
    }
    let counts = try await connection.query(
      """
      SELECT (SELECT COALESCE(max(sequence), 0) FROM refunds WHERE order_id = \(orderId))::bigint AS last,
        (COALESCE((SELECT sum(amount) FROM payments
            WHERE order_id = \(orderId) AND method = 'cash' AND status = 'succeeded'), 0)
          - COALESCE((SELECT sum(amount) FROM refunds
            WHERE order_id = \(orderId) AND method = 'cash' AND status <> 'failed'), 0))::bigint AS cash_left
      """, logger: logger
    ).collect().first?.makeRandomAccess()
    let session = try await connection.query(
      """
      SELECT \(unescaped: Self.registerSessionColumns.list) FROM register_sessions s
      WHERE s.owner = \(owner) AND s.status = 'open' FOR KEY SHARE
      """, logger: logger
    ).collect().first.map { try Self.session($0.makeRandomAccess()) }
    var approver: StaffFacts?
    if let approval {
      approver = try await credentials(code: approval.code, lock: .share, on: connection)?.facts
    }
    return RefundFacts(
      order: order, lines: lines, cardPayments: cards,
      cashLeft: try counts?.decode("cash_left", as: Int.self) ?? 0, keyed: keyed,
      nextSequence: (try counts?.decode("last", as: Int.self) ?? 0) + 1,
      session: session, approver: approver)
  }

  /// The refund `id` with its lines (by SKU).
  func readRefund(id: String, on connection: PostgresConnection) async throws -> Refund {
    let rows = try await connection.query(
      "SELECT \(unescaped: Self.refundColumns.list) FROM refunds WHERE id = \(id)", logger: logger
    ).collect()
    guard let row = rows.first?.makeRandomAccess() else { throw StoreError.notFound(what: "refund") }
    let currency: String = try row.decode("currency")
    let money = { (amount: Int) in Money(amount: amount, currency: currency) }
    let lines = try await connection.query(
      """
      SELECT sku, name, quantity, restock, amount, tax, tax_rate FROM refund_lines
      WHERE refund_id = \(id) ORDER BY sku
      """, logger: logger
    ).collect().map { line in
      let line = line.makeRandomAccess()
      let amount: Int = try line.decode("amount")
      let tax: Int = try line.decode("tax")
      return Refund.Line(
        sku: try line.decode("sku"), name: try line.decode("name"), quantity: try line.decode("quantity"),
        restock: try line.decode("restock"), amount: money(amount), net: money(amount - tax), tax: money(tax),
        taxRate: try line.decode("tax_rate"))
    }
    return Refund(
      id: id, orderId: try row.decode("order_id"), sequence: try row.decode("sequence"),
      method: try StoredValue.paymentMethod(try row.decode("method")),
      status: try StoredValue.refundStatus(try row.decode("status")), amount: money(try row.decode("amount")),
      lines: lines, receiptNumber: try row.decode("receipt_number"), paymentId: try row.decode("payment_id"),
      idempotenceKey: try row.decode("idempotence_key"), failureReason: try row.decode("failure_reason"),
      staff: try row.decode("staff_code"), approvedBy: try row.decode("approved_by"),
      sessionId: try row.decode("session_id"), createdAt: try row.decode("created_at"))
  }

  func insert(
    _ refund: Refund, owner: String, key: String, fingerprint: String, on connection: PostgresConnection
  ) async throws {
    try await connection.query(
      """
      INSERT INTO refunds (id, order_id, owner, sequence, request_key, fingerprint, method, status, amount,
        currency, receipt_number, payment_id, idempotence_key, staff_code, approved_by, session_id, created_at,
        settled_at)
      VALUES (\(refund.id), \(refund.orderId), \(owner), \(refund.sequence), \(key), \(fingerprint),
        \(refund.method.rawValue), \(refund.status.rawValue), \(refund.amount.amount), \(refund.amount.currency),
        \(refund.receiptNumber), \(refund.paymentId), \(refund.idempotenceKey), \(refund.staff),
        \(refund.approvedBy), \(refund.sessionId), \(refund.createdAt)::timestamptz,
        \(refund.status == .succeeded ? refund.createdAt : nil)::timestamptz)
      """, logger: logger)
    for line in refund.lines {
      try await connection.query(
        """
        INSERT INTO refund_lines (refund_id, sku, name, quantity, restock, amount, tax, tax_rate)
        VALUES (\(refund.id), \(line.sku), \(line.name), \(line.quantity), \(line.restock), \(line.amount.amount),
          \(line.tax.amount), \(line.taxRate))
        """, logger: logger)
    }
  }
}
