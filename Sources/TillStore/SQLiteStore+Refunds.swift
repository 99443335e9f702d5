import Foundation
import GRDB
import TillCore

/// Refunds on SQLite. Every operation is one write on the writer queue, so the facts `RefundRules`
/// decides on (the units refunded so far, what each card payment can still take back) cannot change
/// before commit; the unique keys and CHECKs of `v10-refunds` back this up.
extension SQLiteStore: RefundStore {
  public func refund(
    orderId: String, request: RefundRequest, idempotencyKey: String, by actor: StaffActor,
    approval: VerifiedApproval?, requireSession: Bool
  ) async throws(StoreError) -> RefundRecord {
    let owner = actor.owner
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    try RefundRules.check(request)
    return try await write { db in
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one.
        try Self.clearAttempts(afterRightPINOf: approval.code, on: actor.terminal, now: Date(), in: db)
      }
      let facts = try Self.refundFacts(
        orderId: orderId, owner: owner, key: idempotencyKey, approval: approval, in: db)
      switch try RefundRules.decide(
        request, facts: facts, actor: actor, approval: approval, requireSession: requireSession,
        newId: StoreIdentifiers.newIdentifier(), now: SQLiteRows.timestamp())
      {
      case .replay(let refund):
        return facts.record(refund, created: false)
      case .record(var refund, let restock, let paidBack):
        if refund.status == .succeeded {
          refund.receiptNumber = try Self.nextReceiptNumber(owner: owner, in: db)
        }
        try Self.insert(
          refund, owner: owner, key: idempotencyKey, fingerprint: RefundRules.fingerprint(request), in: db)
        for (sku, quantity) in restock {
          try db.run("UPDATE products SET stock = stock + ? WHERE sku = ?", [quantity, sku])
        }
        try Self.takeBack(paid: paidBack, orderId: orderId, in: db)
        try Self.insert(.refund(refund, by: actor), at: Date(), in: db)
        return facts.record(refund, created: true)
      }
    }
  }

  public func settleCardRefund(id: String, outcome: RefundOutcome) async throws(StoreError) -> Refund {
    try StoreIdentifiers.requireNamed("refund", id)
    return try await write { db in
      guard let row = try db.fetchRow("SELECT owner FROM refunds WHERE id = ?", [id]) else {
        throw StoreError.notFound(what: "refund")
      }
      let owner: String = try row.decode(forColumn: "owner")
      let refund = try Self.refund(id: id, in: db)
      let now = SQLiteRows.timestamp()
      switch RefundRules.settle(refund, outcome: outcome) {
      case .answerAsIs:
        return refund
      case .succeed(let paidBack):
        try Self.takeBack(paid: paidBack, orderId: refund.orderId, in: db)
        let providerRefundId: String
        if case .succeeded(let id) = outcome {
          providerRefundId = StoreIdentifiers.storable(id)
        } else {
          providerRefundId = ""
        }
        try db.run(
          """
          UPDATE refunds SET status = 'succeeded', receipt_number = ?, provider_refund_id = ?, settled_at = ?
          WHERE id = ? AND status = 'pending'
          """, [try Self.nextReceiptNumber(owner: owner, in: db), providerRefundId, now, id])
      case .fail(let reason):
        try db.run(
          "UPDATE refunds SET status = 'failed', failure_reason = ?, settled_at = ? WHERE id = ? AND status = 'pending'",
          [reason, now, id])
        // The units were put back on the shelf when the refund was written; they are sold again.
        for line in refund.lines where line.restock {
          try db.run(
            "UPDATE products SET stock = max(0, stock - ?) WHERE sku = ?", [line.quantity, line.sku])
        }
      }
      return try Self.refund(id: id, in: db)
    }
  }

  public func pendingCardRefunds() async throws(StoreError) -> [PendingCardRefund] {
    try await read { db in
      try db.fetchRows(
        """
        SELECT r.id, p.provider_payment_id FROM refunds r JOIN payments p ON p.id = r.payment_id
        WHERE r.status = 'pending' ORDER BY r.created_at, r.rowid
        """
      ).map { row in
        PendingCardRefund(
          refund: try Self.refund(id: try row.decode(forColumn: "id"), in: db),
          providerPaymentId: try row.decode(forColumn: "provider_payment_id") ?? "")
      }
    }
  }

  public func refunds(orderId: String, owner: String) async throws(StoreError) -> [Refund] {
    guard StoreIdentifiers.canName(orderId), StoreIdentifiers.canName(owner) else { return [] }
    return try await read { db in
      try db.fetchRows(
        "SELECT id FROM refunds WHERE order_id = ? AND owner = ? ORDER BY sequence", [orderId, owner]
      ).map { try Self.refund(id: try $0.decode(forColumn: "id"), in: db) }
    }
  }

  /// The owner's order, its lines with the units refunded so far, its card payments with what went
  /// back to each, the refund under `key`, the next sequence, the open session and the approver.
  private static func refundFacts(
    orderId: String, owner: String, key: String, approval: VerifiedApproval?, in db: Database
  ) throws -> RefundFacts {
    guard
      let row = try db.fetchRow(
        "SELECT \(paymentOrderColumns.list) FROM orders WHERE id = ? AND owner = ?", [orderId, owner])
    else { throw StoreError.notFound(what: "order") }
    let lines = try db.fetchRows(
      """
      SELECT l.sku, l.name, l.quantity, l.line_total_amount, l.tax_amount, l.tax_rate,
        COALESCE((SELECT SUM(rl.quantity) FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
          WHERE r.order_id = l.order_id AND rl.sku = l.sku AND r.status <> 'failed'), 0) AS refunded
      FROM order_lines l WHERE l.order_id = ? ORDER BY l.sku
      """, [orderId]
    ).map { line in
      RefundableLine(
        sku: try line.decode(forColumn: "sku"), name: try line.decode(forColumn: "name"),
        quantity: try line.decode(forColumn: "quantity"),
        gross: try line.decode(forColumn: "line_total_amount"),
        tax: try line.decode(forColumn: "tax_amount"), taxRate: try line.decode(forColumn: "tax_rate"),
        refunded: try line.decode(forColumn: "refunded"))
    }
    let cards = try db.fetchRows(
      """
      SELECT p.id, p.amount, p.provider_payment_id,
        COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status <> 'failed'), 0)
          AS refunded
      FROM payments p WHERE p.order_id = ? AND p.method = 'card' AND p.status = 'succeeded' ORDER BY p.attempt
      """, [orderId]
    ).map { card in
      RefundableCardPayment(
        paymentId: try card.decode(forColumn: "id"), amount: try card.decode(forColumn: "amount"),
        refunded: try card.decode(forColumn: "refunded"),
        providerPaymentId: try card.decode(forColumn: "provider_payment_id") ?? "")
    }
    let cashLeft = try db.fetchInt(
      """
      SELECT COALESCE((SELECT SUM(amount) FROM payments
          WHERE order_id = ?1 AND method = 'cash' AND status = 'succeeded'), 0)
        - COALESCE((SELECT SUM(amount) FROM refunds
          WHERE order_id = ?1 AND method = 'cash' AND status <> 'failed'), 0)
      """, [orderId])
    let keyed = try db.fetchRow(
      "SELECT id, fingerprint FROM refunds WHERE order_id = ? AND request_key = ?", [orderId, key]
    ).map { keyed in
      KeyedRefund(
        refund: try refund(id: try keyed.decode(forColumn: "id"), in: db),
        fingerprint: try keyed.decode(forColumn: "fingerprint"))
    }
    return RefundFacts(
      order: try paymentOrder(row), lines: lines, cardPayments: cards, cashLeft: cashLeft ?? 0, keyed: keyed,
      nextSequence: (try db.fetchInt("SELECT MAX(sequence) FROM refunds WHERE order_id = ?", [orderId]) ?? 0)
        + 1,
      session: try openSession(owner: owner, in: db),
      approver: try approval.flatMap { try credentials(code: $0.code, in: db)?.facts })
  }

  /// Takes a refunded paid part off what the placed order has paid, so it owes it again (and can be
  /// canceled once nothing is paid); the CHECK on `paid_amount` refuses going below zero.
  private static func takeBack(paid amount: Int, orderId: String, in db: Database) throws {
    guard amount > 0 else { return }
    let changed = try db.run(
      "UPDATE orders SET paid_amount = paid_amount - ? WHERE id = ? AND status = 'placed'", [amount, orderId])
    guard changed == 1 else {
      throw StoreError.engine("order \(orderId) was not placed when a part went back")
    }
  }

  /// The owner's next receipt number (`ReceiptNumbering`), after the highest of its paid orders and its
  /// refunds: under the single writer nobody else can take it meanwhile, and a rollback gives it back.
  static func nextReceiptNumber(owner: String, in db: Database) throws -> Int {
    try ReceiptNumbering.next(
      after: try db.fetchInt(
        """
        SELECT MAX(n) FROM (
          SELECT MAX(receipt_number) AS n FROM orders WHERE owner = ?1
          UNION ALL SELECT MAX(receipt_number) FROM refunds WHERE owner = ?1)
        """, [owner]))
  }
}
