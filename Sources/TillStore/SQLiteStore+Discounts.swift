import Foundation
import GRDB
import TillCore

extension SQLiteStore {
  public func applyDiscount(
    _ request: DiscountRequest, cartId: String, actor: StaffActor, cashierLimit: Int,
    approval: VerifiedApproval?
  ) async throws(StoreError) -> Cart {
    try DiscountStep.checkNames(request, cartId: cartId, actor: actor, approval: approval)
    try DiscountRule.check(request, currency: currency)
    let pricing = pricing
    return try await write { db in
      // The writer queue runs one write at a time, so the facts hold until this write ends.
      let status = try Self.ownedCartStatus(id: cartId, owner: actor.owner, in: db)
      let applied: String? = try db.fetchRow(
        "SELECT fingerprint FROM discount_ops WHERE cart_id = ? AND op_id = ?", [cartId, request.opId]
      )?.decode(forColumn: "fingerprint")
      var approver: StaffFacts?
      if let approval {
        // The approver's PIN proved right: counted like a sign-in, cleared like one, whether or not the
        // discount changes anything (a refused approver rolls this back with the transaction).
        try Self.clearAttempts(afterRightPINOf: approval.code, on: actor.terminal, now: Date(), in: db)
        approver = try Self.credentials(code: approval.code, in: db)?.facts
      }
      let facts = DiscountFacts(
        cartStatus: status, appliedFingerprint: applied,
        lines: try Self.checkoutLines(cartId: cartId, in: db),
        discounts: try Self.cartDiscounts(cartId: cartId, in: db), approver: approver)
      let decision = try DiscountRule.decide(
        request, facts: facts, actor: actor, cashierLimit: cashierLimit, approval: approval)
      switch decision {
      case .replay:
        return try Self.cart(id: cartId, status: status, pricing: pricing, in: db)
      case .set(let discount):
        try db.run(
          """
          INSERT INTO cart_discounts (cart_id, target, percent, amount, staff_code, approved_by)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (cart_id, target) DO UPDATE SET percent = excluded.percent, amount = excluded.amount,
            staff_code = excluded.staff_code, approved_by = excluded.approved_by
          """,
          [
            cartId, discount.sku ?? "", discount.percent, discount.amount, discount.staff,
            discount.approvedBy,
          ])
      case .remove(let sku):
        try db.run("DELETE FROM cart_discounts WHERE cart_id = ? AND target = ?", [cartId, sku ?? ""])
      }
      try db.run(
        "INSERT INTO discount_ops (cart_id, op_id, fingerprint) VALUES (?, ?, ?)",
        [cartId, request.opId, DiscountRule.fingerprint(request)])
      let record = DiscountStep.auditRecord(
        decision, cartId: cartId, actor: actor, currency: pricing.currency)
      try Self.insert(record, at: Date(), in: db)
      return try Self.cart(id: cartId, status: .open, pricing: pricing, in: db)
    }
  }
}
