import Foundation
import PostgresNIO
import TillCore

extension PostgresStore {
  public func applyDiscount(
    _ request: DiscountRequest, cartId: String, actor: StaffActor, cashierLimit: Int,
    approval: VerifiedApproval?
  ) async throws(StoreError) -> Cart {
    try DiscountStep.checkNames(request, cartId: cartId, actor: actor, approval: approval)
    try DiscountRule.check(request, currency: currency)
    let fingerprint = DiscountRule.fingerprint(request)
    return try await transaction { connection in
      // The cart row lock serialises every change to this cart, as for increments, and its new row
      // version tells an order statement priced before this discount that it must price again.
      _ = try await lockCartForChange(id: cartId, owner: actor.owner, on: connection)
      let facts = try await cartFacts(id: cartId, owner: actor.owner, on: connection)
      let applied = try await connection.query(
        "SELECT fingerprint FROM discount_ops WHERE cart_id = \(cartId) AND op_id = \(request.opId)",
        logger: logger
      ).collect().first?.makeRandomAccess().decode("fingerprint", as: String.self)
      var approver: StaffFacts?
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one, whether or not the
        // discount changes anything (a refused approver rolls this back with the transaction).
        try await clearAttempts(
          afterRightPINOf: approval.code, on: actor.terminal, now: Date(), connection: connection)
        // Share-locked until commit: a disable or PIN reset racing this discount commits first (and is
        // seen here) or waits for it.
        approver = try await credentials(code: approval.code, lock: .share, on: connection)?.facts
      }
      let decision = try DiscountRule.decide(
        request,
        facts: DiscountFacts(
          cartStatus: facts.status, appliedFingerprint: applied, lines: facts.lines,
          discounts: facts.discounts, approver: approver),
        actor: actor, cashierLimit: cashierLimit, approval: approval)
      switch decision {
      case .replay:
        return try await readCart(id: cartId, owner: actor.owner, on: connection)
      case .set(let discount):
        try await connection.query(
          """
          INSERT INTO cart_discounts (cart_id, target, percent, amount, staff_code, approved_by)
          VALUES (\(cartId), \(discount.sku ?? ""), \(discount.percent), \(discount.amount), \(discount.staff),
            \(discount.approvedBy))
          ON CONFLICT (cart_id, target) DO UPDATE SET percent = excluded.percent, amount = excluded.amount,
            staff_code = excluded.staff_code, approved_by = excluded.approved_by
          """, logger: logger)
      case .remove(let sku):
        try await connection.query(
          "DELETE FROM cart_discounts WHERE cart_id = \(cartId) AND target = \(sku ?? "")", logger: logger)
      }
      try await connection.query(
        """
        INSERT INTO discount_ops (cart_id, op_id, fingerprint) VALUES (\(cartId), \(request.opId), \(fingerprint))
        """, logger: logger)
      let record = DiscountStep.auditRecord(decision, cartId: cartId, actor: actor, currency: currency)
      try await insert(record, at: Date(), on: connection)
      return try await readCart(id: cartId, owner: actor.owner, on: connection)
    }
  }
}
