import PostgresNIO
import TillCore

/// Payments and cancellation on PostgreSQL. Each operation is one transaction that first locks the
/// order row (`FOR UPDATE`), so a check of the order's state and the change it allows cannot interleave
/// with another payment or cancel of the same order, in this process or any other; the partial unique
/// indexes of migration 2 back this up.
extension PostgresStore: PaymentStore {
  public func payCash(orderId: String, owner: String, tendered: Money) async throws(StoreError)
    -> PaymentRecord
  {
    guard !orderId.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "order") }
    return try await transaction { connection in
      let order = try await lockOrder(id: orderId, owner: owner, on: connection)
      switch order.status {
      case .canceled: throw StoreError.orderNotPayable(status: .canceled)
      case .paid:
        return PaymentRecord(payment: try await succeededPayment(of: order, on: connection), created: false)
      case .placed: break
      }
      if let pending = try await pendingPayment(of: order, on: connection) {
        throw StoreError.paymentPending(pending)
      }
      guard tendered.currency == order.total.currency else {
        throw StoreError.currencyMismatch(expected: order.total.currency)
      }
      guard tendered.amount >= order.total.amount else {
        throw StoreError.insufficientTender(total: order.total)
      }
      let id = PostgresRows.newIdentifier()
      let change = try checkedAmount("the change for order \(order.id)") { () throws(MoneyError) -> Money in
        try tendered.subtracting(order.total)
      }.amount
      // The payment (its attempt number taken under the order lock) and the paid order in one statement.
      let rows = try await connection.query(
        """
        WITH paid AS (
          INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change_given,
            attempt, settled_at)
          SELECT \(id), \(order.id), 'cash', 'succeeded', \(order.total.amount), \(order.total.currency),
            \(tendered.amount), \(change), COALESCE(MAX(attempt), 0) + 1, now()
          FROM payments WHERE order_id = \(order.id)
          RETURNING attempt
        ), marked AS (
          UPDATE orders SET status = 'paid' WHERE id = \(order.id) AND status = 'placed' RETURNING 1
        )
        SELECT (SELECT attempt FROM paid), (SELECT count(*) FROM marked)
        """, logger: logger
      ).collect()
      guard let row = rows.first else { throw StoreError.engine("the cash payment answered no row") }
      let (attempt, marked) = try row.decode((Int, Int).self)
      guard marked == 1 else { throw StoreError.engine("order \(order.id) was not placed when paid") }
      let payment = Payment(
        id: id, orderId: order.id, method: .cash, status: .succeeded, amount: order.total, tendered: tendered,
        change: Money(amount: change, currency: tendered.currency), attempt: attempt, idempotenceKey: nil,
        declineReason: nil)
      return PaymentRecord(payment: payment, created: true)
    }
  }

  public func beginCardPayment(orderId: String, owner: String) async throws(StoreError) -> CardPaymentStart {
    guard !orderId.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "order") }
    // `transaction` returns after the commit: the pending row is durable before the provider is called.
    return try await transaction { connection in
      let order = try await lockOrder(id: orderId, owner: owner, on: connection)
      switch order.status {
      case .canceled: throw StoreError.orderNotPayable(status: .canceled)
      case .paid: return .alreadyPaid(try await succeededPayment(of: order, on: connection))
      case .placed: break
      }
      if let pending = try await pendingPayment(of: order, on: connection) {
        return .pending(PendingCardPayment(payment: pending, orderNumber: order.number))
      }
      let next = try await connection.query(
        "SELECT COALESCE(MAX(attempt), 0) + 1 FROM payments WHERE order_id = \(order.id)", logger: logger
      ).collect()
      let attempt = try next.first?.decode(Int.self) ?? 1
      let payment = Payment(
        id: PostgresRows.newIdentifier(), orderId: order.id, method: .card, status: .pending,
        amount: order.total,
        tendered: nil, change: nil, attempt: attempt,
        idempotenceKey: Payment.idempotenceKey(orderId: order.id, attempt: attempt), declineReason: nil)
      try await connection.query(
        """
        INSERT INTO payments (id, order_id, method, status, amount, currency, attempt, idempotence_key)
        VALUES (\(payment.id), \(order.id), 'card', 'pending', \(order.total.amount), \(order.total.currency),
          \(attempt), \(payment.idempotenceKey))
        """, logger: logger)
      return .pending(PendingCardPayment(payment: payment, orderNumber: order.number))
    }
  }

  public func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment {
    guard !id.containsNUL else { throw StoreError.notFound(what: "payment") }
    return try await transaction { connection in
      // The live request and recovery may both settle one payment: the row lock queues them, and
      // the first answer wins.
      let payment = try await payment(id: id, lock: true, on: connection)
      guard payment.status == .pending else { return payment }
      switch outcome {
      case .succeeded(let providerPaymentId):
        let rows = try await connection.query(
          """
          WITH settled AS (
            UPDATE payments SET status = 'succeeded', provider_payment_id = \(providerPaymentId.replacingNUL),
              settled_at = now()
            WHERE id = \(id) AND status = 'pending'
          ), marked AS (
            UPDATE orders SET status = 'paid' WHERE id = \(payment.orderId) AND status = 'placed' RETURNING 1
          )
          SELECT count(*) FROM marked
          """, logger: logger
        ).collect()
        // A pending payment blocks cancel and cash, so the order is still placed here.
        guard try rows.first?.decode(Int.self) == 1 else {
          throw StoreError.engine("order \(payment.orderId) was not placed when paid")
        }
      case .declined(let reason):
        let reason = String(reason.replacingNUL.prefix(Self.maxDeclineReasonLength))
        try await connection.query(
          """
          UPDATE payments SET status = 'declined', decline_reason = \(reason), settled_at = now()
          WHERE id = \(id)
          """, logger: logger)
      }
      return try await self.payment(id: id, lock: false, on: connection)
    }
  }

  public func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment] {
    let columns = PostgresRows.paymentColumns.split(separator: ",")
      .map { "p." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
    return try await withConnection { connection in
      try await connection.query(
        """
        SELECT \(unescaped: columns), o.number FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'pending' ORDER BY p.created_at, p.seq
        """, logger: logger
      ).collect().compactMap { row in
        guard let payment = try PostgresRows.payment(row) else { return nil }
        return PendingCardPayment(payment: payment, orderNumber: try Array(row)[11].decode(Int.self))
      }
    }
  }

  public func cancelOrder(id: String, owner: String) async throws(StoreError) -> Order {
    guard !id.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "order") }
    return try await transaction { connection in
      let order = try await lockOrder(id: id, owner: owner, on: connection)
      switch order.status {
      case .canceled: return try await readOrder(id: id, owner: owner, on: connection)
      case .paid: throw StoreError.orderNotCancelable(status: .paid)
      case .placed: break
      }
      if let pending = try await pendingPayment(of: order, on: connection) {
        throw StoreError.paymentPending(pending)
      }
      // Product rows in SKU order, as checkout takes them, so a cancel and a checkout sharing
      // products queue instead of deadlocking; then status and stock change in one statement.
      try await connection.query(
        """
        SELECT 1 FROM products WHERE sku IN (SELECT sku FROM order_lines WHERE order_id = \(id))
        ORDER BY sku FOR UPDATE
        """, logger: logger)
      try await connection.query(
        """
        WITH canceled AS (
          UPDATE orders SET status = 'canceled' WHERE id = \(id) AND status = 'placed' RETURNING id
        )
        UPDATE products p SET stock = p.stock + l.quantity
        FROM order_lines l
        WHERE l.order_id = \(id) AND p.sku = l.sku AND EXISTS (SELECT 1 FROM canceled)
        """, logger: logger)
      return try await readOrder(id: id, owner: owner, on: connection)
    }
  }

  /// Provider reasons are short codes; a longer one is cut rather than stored whole.
  static let maxDeclineReasonLength = 200

  private func payment(id: String, lock: Bool, on connection: PostgresConnection) async throws -> Payment {
    let rows = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns) FROM payments WHERE id = \(id)
      \(unescaped: lock ? "FOR UPDATE" : "")
      """, logger: logger
    ).collect()
    guard let row = rows.first, let payment = try PostgresRows.payment(row) else {
      throw StoreError.notFound(what: "payment")
    }
    return payment
  }

  /// The owner's order row, locked until the transaction ends.
  private func lockOrder(id: String, owner: String, on connection: PostgresConnection) async throws
    -> PaymentOrder
  {
    let rows = try await connection.query(
      """
      SELECT id, number, status, total_amount, currency FROM orders
      WHERE id = \(id) AND owner = \(owner) FOR UPDATE
      """, logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.notFound(what: "order") }
    let (orderId, number, rawStatus, total, currency) = try row.decode(
      (String, Int, String, Int, String).self)
    guard let status = Order.Status(rawValue: rawStatus) else {
      throw StoreError.engine("order \(orderId) has an unknown status")
    }
    return PaymentOrder(
      id: orderId, number: number, status: status, total: Money(amount: total, currency: currency))
  }

  private func succeededPayment(of order: PaymentOrder, on connection: PostgresConnection) async throws
    -> Payment
  {
    let rows = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns) FROM payments
      WHERE order_id = \(order.id) AND status = 'succeeded'
      """, logger: logger
    ).collect()
    guard let row = rows.first, let payment = try PostgresRows.payment(row) else {
      throw StoreError.engine("order \(order.id) is paid but has no successful payment")
    }
    return payment
  }

  private func pendingPayment(of order: PaymentOrder, on connection: PostgresConnection) async throws
    -> Payment?
  {
    let rows = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns) FROM payments
      WHERE order_id = \(order.id) AND status = 'pending'
      """, logger: logger
    ).collect()
    return try rows.first.flatMap { try PostgresRows.payment($0) }
  }
}

/// The few columns of an order that payment and cancel decide on, read under the order's row lock.
private struct PaymentOrder {
  var id: String
  var number: Int
  var status: Order.Status
  var total: Money
}
