import Foundation
import GRDB
import TillCore

/// Payments and cancellation on SQLite. Every operation is one write on the writer queue (see
/// `GroupCommit`), so the facts `PaymentRules` decides on and the change it allows cannot interleave
/// with another payment or cancel of the same order; the unique indexes of `v2-payments` back this up.
/// Statements touch the order row before its payment rows, in the order the PostgreSQL engine locks
/// them: with one writer the order is moot here, but both engines read alike.
extension SQLiteStore: PaymentStore {
  public func payCash(orderId: String, owner: String, staff: String, tendered: Money)
    async throws(StoreError) -> PaymentRecord
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    return try await write { db in
      let facts = try Self.paymentFacts(orderId: orderId, owner: owner, in: db)
      let record = try PaymentRules.payCash(
        tendered: tendered, facts: facts, newId: StoreIdentifiers.newIdentifier())
      guard record.created else { return record }
      let now = SQLiteRows.timestamp()
      try Self.insert(record.payment, staff: staff, settledAt: now, now: now, in: db)
      try Self.markPaid(orderId: orderId, owner: owner, paidAt: now, in: db)
      return record
    }
  }

  public func beginCardPayment(orderId: String, owner: String, staff: String) async throws(StoreError)
    -> CardPaymentStart
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    // `write` returns after the commit: the pending row is durable before the provider is called.
    return try await write { db in
      let facts = try Self.paymentFacts(orderId: orderId, owner: owner, in: db)
      switch try PaymentRules.beginCard(facts: facts, newId: StoreIdentifiers.newIdentifier()) {
      case .answer(let start):
        return start
      case .start(let payment):
        try Self.insert(payment, staff: staff, settledAt: nil, now: SQLiteRows.timestamp(), in: db)
        return .started(PendingCardPayment(payment: payment, orderNumber: facts.order.number))
      }
    }
  }

  public func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment {
    try StoreIdentifiers.requireNamed("payment", id)
    return try await write { db in
      guard
        let order = try db.fetchRow(
          "SELECT id, owner, status FROM orders WHERE id = (SELECT order_id FROM payments WHERE id = ?)", [id]
        )
      else { throw StoreError.notFound(what: "payment") }
      let orderId: String = try order.decode(forColumn: "id")
      let owner: String = try order.decode(forColumn: "owner")
      let payment = try Self.payment(id: id, in: db)
      let now = SQLiteRows.timestamp()
      let orderStatus = try StoredValue.orderStatus(try order.decode(forColumn: "status"))
      switch try PaymentRules.settle(payment, orderStatus: orderStatus, outcome: outcome) {
      case .answerAsIs:
        return payment
      case .succeed(let providerPaymentId):
        try db.run(
          """
          UPDATE payments SET status = 'succeeded', provider_payment_id = ?, settled_at = ?
          WHERE id = ? AND status = 'pending'
          """, [providerPaymentId, now, id])
        try Self.markPaid(orderId: orderId, owner: owner, paidAt: now, in: db)
      case .decline(let reason):
        try db.run(
          "UPDATE payments SET status = 'declined', decline_reason = ?, settled_at = ? WHERE id = ?",
          [reason, now, id])
      }
      return try Self.payment(id: id, in: db)
    }
  }

  public func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment] {
    try await read { db in
      try db.fetchRows(
        """
        SELECT \(SQLiteRows.paymentColumns.select(from: "p")), o.number AS order_number
        FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'pending' ORDER BY p.created_at, p.rowid
        """
      ).compactMap { row in
        try SQLiteRows.payment(row).map {
          PendingCardPayment(payment: $0, orderNumber: try row.decode(forColumn: "order_number"))
        }
      }
    }
  }

  public func withdrawRefusedCardPayment(id: String) async throws(StoreError) -> Bool {
    try StoreIdentifiers.requireNamed("payment", id)
    return try await write { db in
      // The order's row first, as every payment path touches it (one writer: the order is moot here).
      guard
        try db.fetchRow(
          "SELECT id FROM orders WHERE id = (SELECT order_id FROM payments WHERE id = ?)", [id]) != nil
      else { return false }
      let payment = try db.fetchRow(
        "SELECT \(SQLiteRows.paymentColumns.list) FROM payments WHERE id = ?", [id]
      ).flatMap { try SQLiteRows.payment($0) }
      guard PaymentRules.withdrawRefused(payment) == .remove else { return false }
      return try db.run("DELETE FROM payments WHERE id = ? AND status = 'pending'", [id]) == 1
    }
  }

  public func cancelOrder(id: String, by actor: StaffActor, approval: VerifiedApproval?)
    async throws(StoreError) -> Order
  {
    let owner = actor.owner
    try StoreIdentifiers.requireNamed("order", id, owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    return try await write { db in
      let facts = try Self.paymentFacts(orderId: id, owner: owner, in: db)
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one, whether or not the
        // cancel changes anything (a refused approver rolls this back with the transaction).
        try Self.clearAttempts(afterRightPINOf: approval.code, on: actor.terminal, now: Date(), in: db)
      }
      if try PaymentRules.cancel(facts: facts) == .cancel {
        let approvedBy = try Self.cancelApprover(orderId: id, actor: actor, approval: approval, in: db)
        try db.run(
          """
          UPDATE orders SET status = 'canceled', canceled_by = ?, cancel_approved_by = ?
          WHERE id = ? AND status = 'placed'
          """, [actor.staff, approvedBy, id])
        // Every line's quantity goes back, in the same transaction as the status change.
        try db.run(
          """
          UPDATE products SET stock = stock + (
            SELECT l.quantity FROM order_lines l WHERE l.order_id = ?1 AND l.sku = products.sku)
          WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = ?1)
          """, [id])
        try Self.insert(.orderCancel(orderId: id, by: actor, approvedBy: approvedBy), at: Date(), in: db)
      }
      return try Self.order(id: id, owner: owner, in: db)
    }
  }

  static let paymentOrderColumns = ColumnSet(["id", "number", "status", "total_amount", "currency"])

  /// The owner's order, then its pending and successful payments and next attempt number.
  private static func paymentFacts(orderId: String, owner: String, in db: Database) throws -> PaymentFacts {
    guard
      let row = try db.fetchRow(
        "SELECT \(paymentOrderColumns.list) FROM orders WHERE id = ? AND owner = ?", [orderId, owner])
    else { throw StoreError.notFound(what: "order") }
    let order = PaymentOrder(
      id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "number"),
      status: try StoredValue.orderStatus(try row.decode(forColumn: "status")),
      total: Money(
        amount: try row.decode(forColumn: "total_amount"), currency: try row.decode(forColumn: "currency")))
    let rows = try db.fetchRows(
      """
      SELECT \(SQLiteRows.paymentColumns.select(from: "p")),
        (SELECT COALESCE(MAX(attempt), 0) + 1 FROM payments WHERE order_id = ?1) AS next_attempt
      FROM (SELECT 1) AS one LEFT JOIN payments p ON p.order_id = ?1 AND p.status IN ('pending', 'succeeded')
      """, [orderId])
    let payments = try rows.compactMap { try SQLiteRows.payment($0) }
    return PaymentFacts(
      order: order, pending: payments.first { $0.status == .pending },
      succeeded: payments.first { $0.status == .succeeded },
      nextAttempt: try rows.first?.decode(forColumn: "next_attempt") ?? 1)
  }

  /// Marks the placed order paid at `paidAt` and gives it its owner's next receipt number
  /// (`ReceiptNumbering`), in the caller's transaction: under the single writer nobody else can take
  /// that number meanwhile, and a rollback gives it back.
  private static func markPaid(orderId: String, owner: String, paidAt: String, in db: Database) throws {
    let receiptNumber = try ReceiptNumbering.next(
      after: try db.fetchInt("SELECT MAX(receipt_number) FROM orders WHERE owner = ?", [owner]))
    let changed = try db.run(
      """
      UPDATE orders SET status = 'paid', receipt_number = ?, paid_at = ?
      WHERE id = ? AND owner = ? AND status = 'placed'
      """, [receiptNumber, paidAt, orderId, owner])
    guard changed == 1 else { throw StoreError.engine("order \(orderId) was not placed when paid") }
  }

  static func payment(id: String, in db: Database) throws -> Payment {
    guard
      let row = try db.fetchRow("SELECT \(SQLiteRows.paymentColumns.list) FROM payments WHERE id = ?", [id]),
      let payment = try SQLiteRows.payment(row)
    else { throw StoreError.notFound(what: "payment") }
    return payment
  }

  private static func insert(
    _ payment: Payment, staff: String, settledAt: String?, now: String, in db: Database
  ) throws {
    try db.run(
      """
      INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change, attempt,
        idempotence_key, decline_reason, created_at, settled_at, staff_code)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        payment.id, payment.orderId, payment.method.rawValue, payment.status.rawValue, payment.amount.amount,
        payment.amount.currency, payment.tendered?.amount, payment.change?.amount, payment.attempt,
        payment.idempotenceKey, payment.declineReason, now, settledAt, staff,
      ])
  }
}
