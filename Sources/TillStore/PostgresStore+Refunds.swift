import Foundation
import PostgresNIO
import TillCore

/// Refunds on PostgreSQL. A refund locks its order row first (`FOR UPDATE`, as every payment path does),
/// then reads what was refunded so far, so two refunds of one order on any number of back ends queue
/// and the second decides on what the first committed. The open session is read `FOR KEY SHARE`, as an
/// order does, so a close waits for a cash refund in flight and counts it. Restocked products are
/// updated in SKU order, after the order's lock, as a cancel does.
extension PostgresStore: RefundStore {
  public func refund(
    orderId: String, request: RefundRequest, idempotencyKey: String, by actor: StaffActor,
    approval: VerifiedApproval?, requireSession: Bool
  ) async throws(StoreError) -> RefundRecord {
    let owner = actor.owner
    try StoreIdentifiers.requireNamed("order", orderId, owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    try RefundRules.check(request)
    return try await transaction { connection in
      let facts = try await lockedRefundFacts(
        orderId: orderId, owner: owner, key: idempotencyKey, approval: approval, on: connection)
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one.
        try await clearAttempts(
          afterRightPINOf: approval.code, on: actor.terminal, now: Date(), connection: connection)
      }
      switch try RefundRules.decide(
        request, facts: facts, actor: actor, approval: approval, requireSession: requireSession,
        newId: StoreIdentifiers.newIdentifier(), now: SQLiteRows.timestamp(Self.wholeSeconds(Date())))
      {
      case .replay(let refund):
        return facts.record(refund, created: false)
      case .record(var refund, let restock, let paidBack):
        if refund.status == .succeeded {
          refund.receiptNumber = try await takeReceiptNumber(owner: owner, on: connection)
        }
        try await insert(
          refund, owner: owner, key: idempotencyKey, fingerprint: RefundRules.fingerprint(request),
          on: connection)
        for (sku, quantity) in restock.sorted(by: { $0.key < $1.key }) {
          try await connection.query(
            "UPDATE products SET stock = stock + \(quantity) WHERE sku = \(sku)", logger: logger)
        }
        try await takeBack(paid: paidBack, orderId: orderId, on: connection)
        try await insert(.refund(refund, by: actor), at: Date(), on: connection)
        return facts.record(refund, created: true)
      }
    }
  }

  public func settleCardRefund(id: String, outcome: RefundOutcome) async throws(StoreError) -> Refund {
    try StoreIdentifiers.requireNamed("refund", id)
    return try await transaction { connection in
      // The order first, as every payment path locks it; the live request and recovery may both
      // settle one refund: the lock queues them, and the first answer wins.
      let orders = try await connection.query(
        """
        SELECT owner FROM orders WHERE id = (SELECT order_id FROM refunds WHERE id = \(id)) FOR UPDATE
        """, logger: logger
      ).collect()
      guard let owner: String = try orders.first?.makeRandomAccess().decode("owner") else {
        throw StoreError.notFound(what: "refund")
      }
      let refund = try await readRefund(id: id, on: connection)
      switch RefundRules.settle(refund, outcome: outcome) {
      case .answerAsIs:
        return refund
      case .succeed(let paidBack):
        try await takeBack(paid: paidBack, orderId: refund.orderId, on: connection)
        var providerRefundId = ""
        if case .succeeded(let id) = outcome { providerRefundId = StoreIdentifiers.storable(id) }
        let number = try await takeReceiptNumber(owner: owner, on: connection)
        try await connection.query(
          """
          UPDATE refunds SET status = 'succeeded', receipt_number = \(number),
            provider_refund_id = \(providerRefundId), settled_at = now()
          WHERE id = \(id) AND status = 'pending'
          """, logger: logger)
      case .fail(let reason):
        try await connection.query(
          """
          UPDATE refunds SET status = 'failed', failure_reason = \(reason), settled_at = now()
          WHERE id = \(id) AND status = 'pending'
          """, logger: logger)
        // The units were put back on the shelf when the refund was written; they are sold again.
        for line in refund.lines.sorted(by: { $0.sku < $1.sku }) where line.restock {
          try await connection.query(
            "UPDATE products SET stock = greatest(0, stock - \(line.quantity)) WHERE sku = \(line.sku)",
            logger: logger)
        }
      }
      return try await readRefund(id: id, on: connection)
    }
  }

  /// Takes a refunded paid part off what the placed order has paid, so it owes it again (and can be
  /// canceled once nothing is paid); the CHECK on `paid_amount` refuses going below zero.
  private func takeBack(paid amount: Int, orderId: String, on connection: PostgresConnection) async throws {
    guard amount > 0 else { return }
    let rows = try await connection.query(
      """
      UPDATE orders SET paid_amount = paid_amount - \(amount) WHERE id = \(orderId) AND status = 'placed'
      RETURNING 1
      """, logger: logger
    ).collect()
    guard rows.count == 1 else {
      throw StoreError.engine("order \(orderId) was not placed when a part went back")
    }
  }

  public func pendingCardRefunds() async throws(StoreError) -> [PendingCardRefund] {
    try await withConnection { connection in
      let rows = try await connection.query(
        """
        SELECT r.id, p.provider_payment_id FROM refunds r JOIN payments p ON p.id = r.payment_id
        WHERE r.status = 'pending' ORDER BY r.created_at, r.seq
        """, logger: logger
      ).collect().map { $0.makeRandomAccess() }
      var pending: [PendingCardRefund] = []
      for row in rows {
        pending.append(
          PendingCardRefund(
            refund: try await readRefund(id: try row.decode("id"), on: connection),
            providerPaymentId: try row.decode("provider_payment_id", as: String?.self) ?? ""))
      }
      return pending
    }
  }

  public func refunds(orderId: String, owner: String) async throws(StoreError) -> [Refund] {
    guard StoreIdentifiers.canName(orderId), StoreIdentifiers.canName(owner) else { return [] }
    return try await withConnection { connection in
      let ids = try await connection.query(
        "SELECT id FROM refunds WHERE order_id = \(orderId) AND owner = \(owner) ORDER BY sequence",
        logger: logger
      ).collect().map { try $0.makeRandomAccess().decode("id", as: String.self) }
      var refunds: [Refund] = []
      for id in ids { refunds.append(try await readRefund(id: id, on: connection)) }
      return refunds
    }
  }
}
