import Foundation
import PostgresNIO
import TillCore

/// Payments and cancellation on PostgreSQL. Each operation is one transaction that first locks the
/// order row (`FOR UPDATE`) and only then reads its payments, so the facts `PaymentRules` decides on
/// cannot change before commit, in this process or any other; the partial unique indexes of
/// migration 2 back this up. Every path, settling included, locks the order before touching its
/// payment rows: one lock order, so a payment and a cancel of one order queue instead of deadlocking.
extension PostgresStore: PaymentStore {
  public func payCash(orderId: String, owner: String, staff: String, tendered: Money)
    async throws(StoreError) -> PaymentRecord
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    return try await transaction { connection in
      let facts = try await lockedPaymentFacts(orderId: orderId, owner: owner, on: connection)
      let record = try PaymentRules.payCash(
        tendered: tendered, facts: facts, newId: StoreIdentifiers.newIdentifier())
      guard record.created else { return record }
      let payment = record.payment
      let receiptNumber = try await takeReceiptNumber(owner: owner, on: connection)
      // The payment and the paid order in one statement.
      let rows = try await connection.query(
        """
        WITH paid AS (
          INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change_given,
            attempt, settled_at, staff_code)
          VALUES (\(payment.id), \(payment.orderId), 'cash', 'succeeded', \(payment.amount.amount),
            \(payment.amount.currency), \(payment.tendered?.amount), \(payment.change?.amount),
            \(payment.attempt), now(), \(staff))
        ), marked AS (
          UPDATE orders SET status = 'paid', receipt_number = \(receiptNumber), paid_at = now()
          WHERE id = \(payment.orderId) AND status = 'placed' RETURNING 1
        )
        SELECT count(*) AS marked FROM marked
        """, logger: logger
      ).collect()
      guard try rows.first?.makeRandomAccess().decode("marked", as: Int.self) == 1 else {
        throw StoreError.engine("order \(payment.orderId) was not placed when paid")
      }
      return record
    }
  }

  public func beginCardPayment(orderId: String, owner: String, staff: String) async throws(StoreError)
    -> CardPaymentStart
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    // `transaction` returns after the commit: the pending row is durable before the provider is called.
    return try await transaction { connection in
      let facts = try await lockedPaymentFacts(orderId: orderId, owner: owner, on: connection)
      switch try PaymentRules.beginCard(facts: facts, newId: StoreIdentifiers.newIdentifier()) {
      case .answer(let start):
        return start
      case .start(let payment):
        try await connection.query(
          """
          INSERT INTO payments (id, order_id, method, status, amount, currency, attempt, idempotence_key,
            staff_code)
          VALUES (\(payment.id), \(payment.orderId), 'card', 'pending', \(payment.amount.amount),
            \(payment.amount.currency), \(payment.attempt), \(payment.idempotenceKey), \(staff))
          """, logger: logger)
        return .started(PendingCardPayment(payment: payment, orderNumber: facts.order.number))
      }
    }
  }

  public func settleCardPayment(id: String, outcome: CardOutcome) async throws(StoreError) -> Payment {
    try StoreIdentifiers.requireNamed("payment", id)
    return try await transaction { connection in
      // The order first, as every payment path locks it; the live request and recovery may both
      // settle one payment: the lock queues them, and the first answer wins. The payment is read in
      // the next statement, whose snapshot includes whatever the previous lock holder committed.
      let orderRows = try await connection.query(
        """
        SELECT status, owner FROM orders WHERE id = (SELECT order_id FROM payments WHERE id = \(id))
        FOR UPDATE
        """, logger: logger
      ).collect()
      guard let order = orderRows.first?.makeRandomAccess() else {
        throw StoreError.notFound(what: "payment")
      }
      let orderStatus = try StoredValue.orderStatus(try order.decode("status"))
      let payment = try await payment(id: id, on: connection)
      let settled: [PostgresRow]
      switch try PaymentRules.settle(payment, orderStatus: orderStatus, outcome: outcome) {
      case .answerAsIs:
        return payment
      case .succeed(let providerPaymentId):
        let receiptNumber = try await takeReceiptNumber(owner: try order.decode("owner"), on: connection)
        settled = try await connection.query(
          """
          WITH settled AS (
            UPDATE payments SET status = 'succeeded', provider_payment_id = \(providerPaymentId),
              settled_at = now()
            WHERE id = \(id) AND status = 'pending'
            RETURNING \(unescaped: PostgresRows.paymentColumns.list)
          ), marked AS (
            UPDATE orders SET status = 'paid', receipt_number = \(receiptNumber), paid_at = now()
            WHERE id = \(payment.orderId) AND status = 'placed' RETURNING 1
          )
          SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM settled
          WHERE (SELECT count(*) FROM marked) = 1
          """, logger: logger
        ).collect()
      case .decline(let reason):
        settled = try await connection.query(
          """
          UPDATE payments SET status = 'declined', decline_reason = \(reason), settled_at = now()
          WHERE id = \(id) AND status = 'pending'
          RETURNING \(unescaped: PostgresRows.paymentColumns.list)
          """, logger: logger
        ).collect()
      }
      guard let row = settled.first, let updated = try PostgresRows.payment(row) else {
        throw StoreError.engine("payment \(id) or its order changed under the order's lock")
      }
      return updated
    }
  }

  public func pendingCardPayments() async throws(StoreError) -> [PendingCardPayment] {
    try await withConnection { connection in
      try await connection.query(
        """
        SELECT \(unescaped: PostgresRows.paymentColumns.select(from: "p")), o.number AS order_number
        FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'pending' ORDER BY p.created_at, p.seq
        """, logger: logger
      ).collect().compactMap { row in
        let row = row.makeRandomAccess()
        guard let payment = try PostgresRows.payment(row) else { return nil }
        return PendingCardPayment(payment: payment, orderNumber: try row.decode("order_number"))
      }
    }
  }

  public func withdrawRefusedCardPayment(id: String) async throws(StoreError) -> Bool {
    try StoreIdentifiers.requireNamed("payment", id)
    return try await transaction { connection in
      // The order first, as every payment path locks it; the payment is read in the next statement,
      // so a settle that held the lock before is seen.
      let locked = try await connection.query(
        "SELECT 1 FROM orders WHERE id = (SELECT order_id FROM payments WHERE id = \(id)) FOR UPDATE",
        logger: logger
      ).collect()
      guard !locked.isEmpty else { return false }
      let rows = try await connection.query(
        "SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM payments WHERE id = \(id)", logger: logger
      ).collect()
      let payment = try rows.first.flatMap { try PostgresRows.payment($0) }
      guard PaymentRules.withdrawRefused(payment) == .remove else { return false }
      let removed = try await connection.query(
        "DELETE FROM payments WHERE id = \(id) AND status = 'pending' RETURNING id", logger: logger
      ).collect()
      return removed.count == 1
    }
  }

  public func cancelOrder(id: String, by actor: StaffActor, approval: VerifiedApproval?)
    async throws(StoreError) -> Order
  {
    let owner = actor.owner
    try StoreIdentifiers.requireNamed("order", id, owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    return try await transaction { connection in
      let facts = try await lockedPaymentFacts(orderId: id, owner: owner, on: connection)
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one, whether or not the
        // cancel changes anything (a refused approver rolls this back with the transaction).
        try await clearAttempts(
          afterRightPINOf: approval.code, on: actor.terminal, now: Date(), connection: connection)
      }
      if try PaymentRules.cancel(facts: facts) == .cancel {
        let approvedBy = try await cancelApprover(
          orderId: id, actor: actor, approval: approval, on: connection)
        let record = AuditRecord.orderCancel(orderId: id, by: actor, approvedBy: approvedBy)
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
            UPDATE orders SET status = 'canceled', canceled_by = \(actor.staff),
              cancel_approved_by = \(approvedBy)
            WHERE id = \(id) AND status = 'placed' RETURNING id
          ), trail AS (
            INSERT INTO audit_events (at, action, staff_code, terminal, approved_by, subject)
            SELECT \(Date()), \(record.action.rawValue), \(record.staff), \(record.terminal),
              \(record.approvedBy), \(record.subject)
            FROM canceled
          )
          UPDATE products p SET stock = p.stock + l.quantity
          FROM order_lines l
          WHERE l.order_id = \(id) AND p.sku = l.sku AND EXISTS (SELECT 1 FROM canceled)
          """, logger: logger)
      }
      return try await readOrder(id: id, owner: owner, on: connection)
    }
  }

  /// Takes `owner`'s next receipt number (`ReceiptNumbering`) for the order this transaction makes
  /// paid. The upsert locks the owner's counter row until the transaction ends and reads its latest
  /// version, so two payments of one till take two numbers in turn, and a rollback gives the number
  /// back; other tills' rows are not touched. The lock is taken after the order's, the last one of the
  /// transaction, so it adds no deadlock. A missing row starts after the owner's highest receipt
  /// number, and a row behind that number catches up to it.
  private func takeReceiptNumber(owner: String, on connection: PostgresConnection) async throws -> Int {
    let rows = try await connection.query(
      """
      INSERT INTO receipt_counters AS counter (owner, last)
      VALUES (\(owner), COALESCE(
        (SELECT max(receipt_number) FROM orders WHERE owner = \(owner)) + \(ReceiptNumbering.step),
        \(ReceiptNumbering.first)))
      ON CONFLICT (owner) DO UPDATE
        SET last = greatest(counter.last + \(ReceiptNumbering.step), excluded.last)
      RETURNING last
      """, logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.engine("no receipt number for \(owner)") }
    return try row.makeRandomAccess().decode("last", as: Int.self)
  }

  private func payment(id: String, on connection: PostgresConnection) async throws -> Payment {
    let rows = try await connection.query(
      "SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM payments WHERE id = \(id)", logger: logger
    ).collect()
    guard let row = rows.first, let payment = try PostgresRows.payment(row) else {
      throw StoreError.notFound(what: "payment")
    }
    return payment
  }

  static let paymentOrderColumns = ColumnSet(["id", "number", "status", "total_amount", "currency"])

  /// Locks the owner's order row until the transaction ends, then reads its pending and successful
  /// payments and next attempt number: two statements, so the second one's snapshot starts after the
  /// lock was granted and includes whatever the previous holder committed.
  private func lockedPaymentFacts(orderId: String, owner: String, on connection: PostgresConnection)
    async throws -> PaymentFacts
  {
    let orderRows = try await connection.query(
      """
      SELECT \(unescaped: Self.paymentOrderColumns.list) FROM orders
      WHERE id = \(orderId) AND owner = \(owner) FOR UPDATE
      """, logger: logger
    ).collect()
    guard let row = orderRows.first?.makeRandomAccess() else { throw StoreError.notFound(what: "order") }
    let order = PaymentOrder(
      id: try row.decode("id"), number: try row.decode("number"),
      status: try StoredValue.orderStatus(try row.decode("status")),
      total: Money(amount: try row.decode("total_amount"), currency: try row.decode("currency")))
    let rows = try await connection.query(
      """
      SELECT \(unescaped: PostgresRows.paymentColumns.select(from: "p")),
        (SELECT COALESCE(MAX(attempt), 0) + 1 FROM payments WHERE order_id = \(orderId)) AS next_attempt
      FROM (SELECT 1) AS one
      LEFT JOIN payments p ON p.order_id = \(orderId) AND p.status IN ('pending', 'succeeded')
      """, logger: logger
    ).collect().map { $0.makeRandomAccess() }
    let payments = try rows.compactMap { try PostgresRows.payment($0) }
    return PaymentFacts(
      order: order, pending: payments.first { $0.status == .pending },
      succeeded: payments.first { $0.status == .succeeded },
      nextAttempt: try rows.first?.decode("next_attempt") ?? 1)
  }
}
