import Foundation
import PostgresNIO
import TillCore

/// Payments and cancellation on PostgreSQL. Each operation is one transaction that first locks the
/// order row (`FOR UPDATE`) and only then reads its payments, so the facts `PaymentRules` decides on
/// cannot change before commit, in this process or any other; the partial unique indexes and the paid
/// amount's CHECK (migrations 2 and 9) back this up. Every path, settling included, locks the order before touching its
/// payment rows: one lock order, so a payment and a cancel of one order queue instead of deadlocking.
extension PostgresStore: PaymentStore {
  public func payCash(orderId: String, owner: String, staff: String, tendered: Money, part: PaymentPart)
    async throws(StoreError) -> PaymentRecord
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    return try await transaction { connection in
      let facts = try await lockedPaymentFacts(orderId: orderId, owner: owner, key: part.key, on: connection)
      let record = try PaymentRules.payCash(
        tendered: tendered, part: part, facts: facts, newId: StoreIdentifiers.newIdentifier())
      guard record.created else { return record }
      let payment = record.payment
      try await connection.query(
        """
        INSERT INTO payments (id, order_id, method, status, amount, currency, tendered, change_given,
          attempt, settled_at, staff_code, request_key)
        VALUES (\(payment.id), \(payment.orderId), 'cash', 'succeeded', \(payment.amount.amount),
          \(payment.amount.currency), \(payment.tendered?.amount), \(payment.change?.amount),
          \(payment.attempt), now(), \(staff), \(part.key))
        """, logger: logger)
      try await addPaid(payment, to: facts.order, owner: owner, on: connection)
      return record
    }
  }

  public func beginCardPayment(orderId: String, owner: String, staff: String, part: PaymentPart)
    async throws(StoreError) -> CardPaymentStart
  {
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(staff)
    // `transaction` returns after the commit: the pending row is durable before the provider is called.
    return try await transaction { connection in
      let facts = try await lockedPaymentFacts(orderId: orderId, owner: owner, key: part.key, on: connection)
      switch try PaymentRules.beginCard(part: part, facts: facts, newId: StoreIdentifiers.newIdentifier()) {
      case .answer(let start):
        return start
      case .start(let payment):
        try await connection.query(
          """
          INSERT INTO payments (id, order_id, method, status, amount, currency, attempt, idempotence_key,
            staff_code, request_key)
          VALUES (\(payment.id), \(payment.orderId), 'card', 'pending', \(payment.amount.amount),
            \(payment.amount.currency), \(payment.attempt), \(payment.idempotenceKey), \(staff),
            \(part.key))
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
        SELECT owner, \(unescaped: Self.paymentOrderColumns.list) FROM orders
        WHERE id = (SELECT order_id FROM payments WHERE id = \(id))
        FOR UPDATE
        """, logger: logger
      ).collect()
      guard let order = orderRows.first?.makeRandomAccess() else {
        throw StoreError.notFound(what: "payment")
      }
      let paymentOrder = try Self.paymentOrder(order)
      let payment = try await self.payment(id: id, on: connection)
      let settled: [PostgresRow]
      switch try PaymentRules.settle(payment, order: paymentOrder, outcome: outcome) {
      case .answerAsIs:
        return payment
      case .succeed(let providerPaymentId, _):
        settled = try await connection.query(
          """
          UPDATE payments SET status = 'succeeded', provider_payment_id = \(providerPaymentId),
            settled_at = now()
          WHERE id = \(id) AND status = 'pending'
          RETURNING \(unescaped: PostgresRows.paymentColumns.list)
          """, logger: logger
        ).collect()
        try await addPaid(payment, to: paymentOrder, owner: try order.decode("owner"), on: connection)
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
}
