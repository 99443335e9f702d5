import Foundation
import PostgresNIO
import TillCore

/// What the payment paths of `PostgresStore` share: the locked facts, the paid amount and the receipt
/// number of an order that becomes paid.
extension PostgresStore {
  /// Takes `owner`'s next receipt number (`ReceiptNumbering`) for the order this transaction makes
  /// paid, or the refund it records as succeeded. The upsert locks the owner's counter row until the transaction ends and reads its latest
  /// version, so two payments of one till take two numbers in turn, and a rollback gives the number
  /// back; other tills' rows are not touched. The lock is taken after the order's, the last one of the
  /// transaction, so it adds no deadlock. A missing row starts after the owner's highest receipt
  /// number (of its orders and refunds), and a row behind that number catches up to it.
  func takeReceiptNumber(owner: String, on connection: PostgresConnection) async throws -> Int {
    let rows = try await connection.query(
      """
      INSERT INTO receipt_counters AS counter (owner, last)
      VALUES (\(owner), COALESCE(
        greatest(
          (SELECT max(receipt_number) FROM orders WHERE owner = \(owner)),
          (SELECT max(receipt_number) FROM refunds WHERE owner = \(owner))) + \(ReceiptNumbering.step),
        \(ReceiptNumbering.first)))
      ON CONFLICT (owner) DO UPDATE
        SET last = greatest(counter.last + \(ReceiptNumbering.step), excluded.last)
      RETURNING last
      """, logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.engine("no receipt number for \(owner)") }
    return try row.makeRandomAccess().decode("last", as: Int.self)
  }

  func payment(id: String, on connection: PostgresConnection) async throws -> Payment {
    let rows = try await connection.query(
      "SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM payments WHERE id = \(id)", logger: logger
    ).collect()
    guard let row = rows.first, let payment = try PostgresRows.payment(row) else {
      throw StoreError.notFound(what: "payment")
    }
    return payment
  }

  static let paymentOrderColumns = ColumnSet([
    "id", "number", "status", "total_amount", "currency", "paid_amount",
  ])

  static func paymentOrder(_ row: PostgresRandomAccessRow) throws -> PaymentOrder {
    let currency: String = try row.decode("currency")
    return PaymentOrder(
      id: try row.decode("id"), number: try row.decode("number"),
      status: try StoredValue.orderStatus(try row.decode("status")),
      total: Money(amount: try row.decode("total_amount"), currency: currency),
      paid: Money(amount: try row.decode("paid_amount"), currency: currency))
  }

  /// Locks the owner's order row until the transaction ends and reads what payments decide on.
  func lockOrder(id: String, owner: String, on connection: PostgresConnection) async throws -> PaymentOrder {
    let rows = try await connection.query(
      """
      SELECT \(unescaped: Self.paymentOrderColumns.list) FROM orders
      WHERE id = \(id) AND owner = \(owner) FOR UPDATE
      """, logger: logger
    ).collect()
    guard let row = rows.first?.makeRandomAccess() else { throw StoreError.notFound(what: "order") }
    return try Self.paymentOrder(row)
  }

  /// Locks the owner's order row until the transaction ends, then reads its payment attempts (the
  /// pending one, the latest success, the one under `key`), its next attempt number and whether a
  /// refund of it is pending: later statements, so their snapshots start after the lock was granted
  /// and include whatever the previous holder committed.
  func lockedPaymentFacts(
    orderId: String, owner: String, key: String? = nil, on connection: PostgresConnection
  ) async throws -> PaymentFacts {
    let order = try await lockOrder(id: orderId, owner: owner, on: connection)
    let rows = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns.list), request_key FROM payments
      WHERE order_id = \(orderId) ORDER BY attempt
      """, logger: logger
    ).collect().map { $0.makeRandomAccess() }
    let refundsPending = try await connection.query(
      "SELECT 1 FROM refunds WHERE order_id = \(orderId) AND status = 'pending' LIMIT 1", logger: logger
    ).collect()
    var attempts: [Payment] = []
    var keyed: Payment?
    for row in rows {
      guard let payment = try PostgresRows.payment(row) else { continue }
      attempts.append(payment)
      if let key, try row.decode("request_key", as: String?.self) == key { keyed = payment }
    }
    return PaymentFacts(
      order: order, pending: attempts.last { $0.status == .pending },
      succeeded: attempts.last { $0.status == .succeeded },
      nextAttempt: (attempts.last?.attempt ?? 0) + 1, keyed: keyed, refundPending: !refundsPending.isEmpty)
  }

  /// Adds the succeeded `payment` to what `order` has paid and, when it completes the order, marks it
  /// paid with its owner's next receipt number, in the caller's transaction (which holds the order's
  /// lock). The CHECK on `paid_amount` refuses a sum above the total whatever the code says.
  func addPaid(_ payment: Payment, to order: PaymentOrder, owner: String, on connection: PostgresConnection)
    async throws
  {
    let rows: [PostgresRow]
    if PaymentRules.completes(payment, order: order) {
      let receiptNumber = try await takeReceiptNumber(owner: owner, on: connection)
      rows = try await connection.query(
        """
        UPDATE orders SET status = 'paid', receipt_number = \(receiptNumber), paid_at = now(),
          paid_amount = paid_amount + \(payment.amount.amount)
        WHERE id = \(order.id) AND status = 'placed' RETURNING 1
        """, logger: logger
      ).collect()
    } else {
      rows = try await connection.query(
        """
        UPDATE orders SET paid_amount = paid_amount + \(payment.amount.amount)
        WHERE id = \(order.id) AND status = 'placed' RETURNING 1
        """, logger: logger
      ).collect()
    }
    guard rows.count == 1 else { throw StoreError.engine("order \(order.id) was not placed when paid") }
  }
}
