import Foundation
import GRDB
import TillCore

/// Payments and cancellation on SQLite. Every operation is one write on the writer queue (see
/// `GroupCommit`), so the facts `PaymentRules` decides on and the change it allows cannot interleave
/// with another payment or cancel of the same order; the unique indexes and the paid amount's CHECK
/// (`v2-payments`, `v9-split-tender`) back this up.
/// Statements touch the order row before its payment rows, in the order the PostgreSQL engine locks
/// them: with one writer the order is moot here, but both engines read alike.
extension SQLiteStore: PaymentStore {
  public func payCash(orderId: String, owner: String, staff: String, tendered: Money, part: PaymentPart)
    async throws(StoreError) -> PaymentRecord
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    return try await write { db in
      let facts = try Self.paymentFacts(orderId: orderId, owner: owner, key: part.key, in: db)
      let record = try PaymentRules.payCash(
        tendered: tendered, part: part, facts: facts, newId: StoreIdentifiers.newIdentifier())
      guard record.created else { return record }
      let now = SQLiteRows.timestamp()
      try Self.insert(record.payment, key: part.key, staff: staff, settledAt: now, now: now, in: db)
      try Self.addPaid(record.payment, to: facts.order, owner: owner, paidAt: now, in: db)
      return record
    }
  }

  public func beginCardPayment(orderId: String, owner: String, staff: String, part: PaymentPart)
    async throws(StoreError) -> CardPaymentStart
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    // `write` returns after the commit: the pending row is durable before the provider is called.
    return try await write { db in
      let facts = try Self.paymentFacts(orderId: orderId, owner: owner, key: part.key, in: db)
      switch try PaymentRules.beginCard(part: part, facts: facts, newId: StoreIdentifiers.newIdentifier()) {
      case .answer(let start):
        return start
      case .start(let payment):
        try Self.insert(
          payment, key: part.key, staff: staff, settledAt: nil, now: SQLiteRows.timestamp(), in: db)
        return .started(PendingCardPayment(payment: payment, orderNumber: facts.order.number))
      }
    }
  }

  public func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment {
    try StoreIdentifiers.requireNamed("payment", id)
    return try await write { db in
      guard
        let row = try db.fetchRow(
          """
          SELECT owner, \(Self.paymentOrderColumns.list) FROM orders
          WHERE id = (SELECT order_id FROM payments WHERE id = ?)
          """, [id])
      else { throw StoreError.notFound(what: "payment") }
      let order = try Self.paymentOrder(row)
      let owner: String = try row.decode(forColumn: "owner")
      let payment = try Self.payment(id: id, in: db)
      let now = SQLiteRows.timestamp()
      switch try PaymentRules.settle(payment, order: order, outcome: outcome) {
      case .answerAsIs:
        return payment
      case .succeed(let providerPaymentId, _):
        try db.run(
          """
          UPDATE payments SET status = 'succeeded', provider_payment_id = ?, settled_at = ?
          WHERE id = ? AND status = 'pending'
          """, [providerPaymentId, now, id])
        try Self.addPaid(payment, to: order, owner: owner, paidAt: now, in: db)
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
      let facts = try Self.paymentFacts(orderId: id, owner: owner, key: nil, in: db)
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

  static let paymentOrderColumns = ColumnSet([
    "id", "number", "status", "total_amount", "currency", "paid_amount",
  ])

  static func paymentOrder(_ row: Row) throws -> PaymentOrder {
    let currency: String = try row.decode(forColumn: "currency")
    return PaymentOrder(
      id: try row.decode(forColumn: "id"), number: try row.decode(forColumn: "number"),
      status: try StoredValue.orderStatus(try row.decode(forColumn: "status")),
      total: Money(amount: try row.decode(forColumn: "total_amount"), currency: currency),
      paid: Money(amount: try row.decode(forColumn: "paid_amount"), currency: currency))
  }

  /// The owner's order, then its pending payment, its latest successful one, the payment recorded under
  /// `key` (when one was sent), its next attempt number and whether a refund of it is pending.
  private static func paymentFacts(orderId: String, owner: String, key: String?, in db: Database) throws
    -> PaymentFacts
  {
    guard
      let row = try db.fetchRow(
        "SELECT \(paymentOrderColumns.list) FROM orders WHERE id = ? AND owner = ?", [orderId, owner])
    else { throw StoreError.notFound(what: "order") }
    let order = try paymentOrder(row)
    let attempts = try Self.payments(orderId: orderId, in: db)
    let keyed =
      try key.flatMap { key in
        try db.fetchRow(
          "SELECT \(SQLiteRows.paymentColumns.list) FROM payments WHERE order_id = ? AND request_key = ?",
          [orderId, key])
      }.flatMap { try SQLiteRows.payment($0) }
    return PaymentFacts(
      order: order, pending: attempts.last { $0.status == .pending },
      succeeded: attempts.last { $0.status == .succeeded },
      nextAttempt: (attempts.last?.attempt ?? 0) + 1, keyed: keyed,
      refundPending: try db.fetchInt(
        "SELECT EXISTS(SELECT 1 FROM refunds WHERE order_id = ? AND status = 'pending')", [orderId]) == 1)
  }

  /// Adds the succeeded `payment` to what `order` has paid and, when it completes the order, marks it
  /// paid at `paidAt` with its owner's next receipt number (`ReceiptNumbering`), in the caller's
  /// transaction: under the single writer nobody else can take that number meanwhile, and a rollback
  /// gives it back. The CHECK on `paid_amount` refuses a sum above the total whatever the code says.
  private static func addPaid(
    _ payment: Payment, to order: PaymentOrder, owner: String, paidAt: String, in db: Database
  ) throws {
    guard PaymentRules.completes(payment, order: order) else {
      let changed = try db.run(
        "UPDATE orders SET paid_amount = paid_amount + ? WHERE id = ? AND status = 'placed'",
        [payment.amount.amount, order.id])
      guard changed == 1 else { throw StoreError.engine("order \(order.id) was not placed when part paid") }
      return
    }
    let receiptNumber = try nextReceiptNumber(owner: owner, in: db)
    let changed = try db.run(
      """
      UPDATE orders SET status = 'paid', receipt_number = ?, paid_at = ?, paid_amount = paid_amount + ?
      WHERE id = ? AND owner = ? AND status = 'placed'
      """, [receiptNumber, paidAt, payment.amount.amount, order.id, owner])
    guard changed == 1 else { throw StoreError.engine("order \(order.id) was not placed when paid") }
  }

  static func payment(id: String, in db: Database) throws -> Payment {
    guard
      let row = try db.fetchRow("SELECT \(SQLiteRows.paymentColumns.list) FROM payments WHERE id = ?", [id]),
      let payment = try SQLiteRows.payment(row)
    else { throw StoreError.notFound(what: "payment") }
    return payment
  }

  private static func insert(
    _ payment: Payment, key: String?, staff: String, settledAt: String?, now: String, in db: Database
  ) throws {
    try db.run(
      """
      INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change, attempt,
        idempotence_key, decline_reason, created_at, settled_at, staff_code, request_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        payment.id, payment.orderId, payment.method.rawValue, payment.status.rawValue, payment.amount.amount,
        payment.amount.currency, payment.tendered?.amount, payment.change?.amount, payment.attempt,
        payment.idempotenceKey, payment.declineReason, now, settledAt, staff, key,
      ])
  }
}
