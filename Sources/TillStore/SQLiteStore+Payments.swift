import Foundation
import GRDB
import TillCore

/// Payments and cancellation on SQLite. Every operation is one write on the writer queue (see
/// `GroupCommit`), so the check of the order's state and the change it allows cannot interleave with
/// another payment or cancel of the same order; the unique indexes of `v2-payments` back this up.
extension SQLiteStore: PaymentStore {
  public func payCash(orderId: String, owner: String, tendered: Money) async throws(StoreError)
    -> PaymentRecord
  {
    try await write { db in
      let order = try PaymentOrder.fetch(id: orderId, owner: owner, in: db)
      switch order.status {
      case .canceled:
        throw StoreError.orderNotPayable(status: .canceled)
      case .paid:
        return PaymentRecord(payment: try order.succeededPayment(in: db), created: false)
      case .placed:
        break
      }
      if let pending = try order.pendingPayment(in: db) { throw StoreError.paymentPending(pending) }
      guard tendered.currency == order.total.currency else {
        throw StoreError.currencyMismatch(expected: order.total.currency)
      }
      guard tendered.amount >= order.total.amount else {
        throw StoreError.insufficientTender(total: order.total)
      }
      let change = try checkedAmount("the change for order \(order.id)") { () throws(MoneyError) -> Money in
        try tendered.subtracting(order.total)
      }
      let payment = Payment(
        id: SQLiteRows.newIdentifier(), orderId: order.id, method: .cash, status: .succeeded,
        amount: order.total, tendered: tendered, change: change,
        attempt: try order.nextAttempt(in: db), idempotenceKey: nil, declineReason: nil)
      let now = SQLiteRows.timestamp()
      try Self.insert(payment, settledAt: now, now: now, in: db)
      try order.markPaid(in: db)
      return PaymentRecord(payment: payment, created: true)
    }
  }

  public func beginCardPayment(orderId: String, owner: String) async throws(StoreError) -> CardPaymentStart {
    // `write` returns after the commit: the pending row is durable before the provider is called.
    try await write { db in
      let order = try PaymentOrder.fetch(id: orderId, owner: owner, in: db)
      switch order.status {
      case .canceled:
        throw StoreError.orderNotPayable(status: .canceled)
      case .paid:
        return .alreadyPaid(try order.succeededPayment(in: db))
      case .placed:
        break
      }
      if let pending = try order.pendingPayment(in: db) {
        return .pending(PendingCardPayment(payment: pending, orderNumber: order.number))
      }
      let attempt = try order.nextAttempt(in: db)
      let payment = Payment(
        id: SQLiteRows.newIdentifier(), orderId: order.id, method: .card, status: .pending,
        amount: order.total,
        tendered: nil, change: nil, attempt: attempt,
        idempotenceKey: Payment.idempotenceKey(orderId: order.id, attempt: attempt), declineReason: nil)
      try Self.insert(payment, settledAt: nil, now: SQLiteRows.timestamp(), in: db)
      return .pending(PendingCardPayment(payment: payment, orderNumber: order.number))
    }
  }

  public func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment {
    try await write { db in
      let payment = try Self.payment(id: id, in: db)
      // The live request and recovery may both settle one payment; the first answer wins.
      guard payment.status == .pending else { return payment }
      let now = SQLiteRows.timestamp()
      switch outcome {
      case .succeeded(let providerPaymentId):
        try db.run(
          """
          UPDATE payments SET status = 'succeeded', provider_payment_id = ?, settled_at = ?
          WHERE id = ? AND status = 'pending'
          """, [providerPaymentId, now, id])
        // A pending payment blocks cancel and cash, so the order is still placed here.
        let changed = try db.run(
          "UPDATE orders SET status = 'paid' WHERE id = ? AND status = 'placed'", [payment.orderId])
        guard changed == 1 else {
          throw StoreError.engine("order \(payment.orderId) was not placed when paid")
        }
      case .declined(let reason):
        try db.run(
          "UPDATE payments SET status = 'declined', decline_reason = ?, settled_at = ? WHERE id = ?",
          [String(reason.prefix(Self.maxDeclineReasonLength)), now, id])
      }
      return try Self.payment(id: id, in: db)
    }
  }

  public func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment] {
    let columns = SQLiteRows.paymentColumns.split(separator: ",")
      .map { "p." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
    return try await read { db in
      try db.fetchRows(
        """
        SELECT \(columns), o.number FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'pending' ORDER BY p.created_at, p.rowid
        """
      ).map { row in PendingCardPayment(payment: try SQLiteRows.payment(row), orderNumber: row[11]) }
    }
  }

  public func cancelOrder(id: String, owner: String) async throws(StoreError) -> Order {
    try await write { db in
      let order = try PaymentOrder.fetch(id: id, owner: owner, in: db)
      switch order.status {
      case .canceled:
        return try Self.order(id: id, owner: owner, in: db)
      case .paid:
        throw StoreError.orderNotCancelable(status: .paid)
      case .placed:
        break
      }
      if let pending = try order.pendingPayment(in: db) { throw StoreError.paymentPending(pending) }
      try db.run("UPDATE orders SET status = 'canceled' WHERE id = ? AND status = 'placed'", [id])
      // Every line's quantity goes back, in the same transaction as the status change.
      try db.run(
        """
        UPDATE products SET stock = stock + (
          SELECT l.quantity FROM order_lines l WHERE l.order_id = ?1 AND l.sku = products.sku)
        WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = ?1)
        """, [id])
      return try Self.order(id: id, owner: owner, in: db)
    }
  }

  /// Provider reasons are short codes; a longer one is cut rather than stored whole.
  static let maxDeclineReasonLength = 200

  static func payment(id: String, in db: Database) throws -> Payment {
    guard let row = try db.fetchRow("SELECT \(SQLiteRows.paymentColumns) FROM payments WHERE id = ?", [id])
    else {
      throw StoreError.notFound(what: "payment")
    }
    return try SQLiteRows.payment(row)
  }

  private static func insert(_ payment: Payment, settledAt: String?, now: String, in db: Database) throws {
    try db.run(
      """
      INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change, attempt,
        idempotence_key, decline_reason, created_at, settled_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """,
      [
        payment.id, payment.orderId, payment.method.rawValue, payment.status.rawValue, payment.amount.amount,
        payment.amount.currency, payment.tendered?.amount, payment.change?.amount, payment.attempt,
        payment.idempotenceKey, payment.declineReason, now, settledAt,
      ])
  }
}

/// The few columns of an order that payment and cancel decide on, read inside the write transaction.
private struct PaymentOrder {
  var id: String
  var number: Int
  var status: Order.Status
  var total: Money

  static func fetch(id: String, owner: String, in db: Database) throws -> PaymentOrder {
    guard
      let row = try db.fetchRow(
        "SELECT id, number, status, total_amount, currency FROM orders WHERE id = ? AND owner = ?",
        [id, owner])
    else { throw StoreError.notFound(what: "order") }
    guard let status = Order.Status(rawValue: row[2]) else {
      throw StoreError.engine("order \(id) has an unknown status")
    }
    return PaymentOrder(
      id: row[0], number: row[1], status: status, total: Money(amount: row[3], currency: row[4]))
  }

  func succeededPayment(in db: Database) throws -> Payment {
    guard
      let row = try db.fetchRow(
        "SELECT \(SQLiteRows.paymentColumns) FROM payments WHERE order_id = ? AND status = 'succeeded'", [id])
    else { throw StoreError.engine("order \(id) is paid but has no successful payment") }
    return try SQLiteRows.payment(row)
  }

  func pendingPayment(in db: Database) throws -> Payment? {
    try db.fetchRow(
      "SELECT \(SQLiteRows.paymentColumns) FROM payments WHERE order_id = ? AND status = 'pending'", [id]
    ).map(SQLiteRows.payment)
  }

  func nextAttempt(in db: Database) throws -> Int {
    try db.fetchInt("SELECT COALESCE(MAX(attempt), 0) + 1 FROM payments WHERE order_id = ?", [id]) ?? 1
  }

  func markPaid(in db: Database) throws {
    let changed = try db.run("UPDATE orders SET status = 'paid' WHERE id = ? AND status = 'placed'", [id])
    guard changed == 1 else { throw StoreError.engine("order \(id) was not placed when paid") }
  }
}
