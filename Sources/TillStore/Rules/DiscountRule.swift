import TillCore

/// What a discount is decided on, read by the engine under the cart's write lock.
struct DiscountFacts: Hashable, Sendable {
  var cartStatus: Cart.Status
  /// The fingerprint recorded for this opId on this cart, when it was applied before.
  var appliedFingerprint: String?
  /// The cart's lines with current prices, ordered by SKU.
  var lines: [CheckoutLine]
  /// The discounts the cart holds now.
  var discounts: [CartDiscount]
  /// The approval's approver as stored now (nil when no approval came or its code names nobody).
  var approver: StaffFacts?
}

/// What the engine does with a discount it may apply; either way it records the opId and its
/// fingerprint, changes the cart row (so a checkout priced before sees the change) and writes the
/// `discount` audit row.
enum DiscountDecision: Hashable, Sendable {
  /// The same op was applied before: change nothing and answer the cart as it is now.
  case replay
  /// Store `discount`, replacing the one on its target.
  case set(CartDiscount)
  /// Take away the discount on the line `sku` (on the order when nil), if there is one.
  case remove(sku: String?)
}

/// The discount rule, in the order the API ranks its refusals: a known opId first (a retry is answered
/// even after checkout), then the cart's state, the line, the amount, then the cashier's limit.
///
/// The limit compares the discount's effective share, the amount it takes off divided by its target's
/// value now (the line's `quantity × unitPrice` for a line discount; the lines after their own
/// discounts for an order discount), with `cashierLimit` percent. Past it a cashier needs a manager's
/// approval, valid in the discount's own transaction (an enabled manager with the PIN hash the server
/// verified the PIN against); a manager needs none.
enum DiscountRule {
  /// The request's own shape: exactly one of `percent` (0–100) and `amount` (≥ 0, in `currency`).
  static func check(_ request: DiscountRequest, currency: String) throws(StoreError) {
    switch (request.percent, request.amount) {
    case (nil, nil), (.some, .some):
      throw .invalidField(field: "percent", reason: "A discount names exactly one of percent and amount.")
    case (let percent?, nil):
      guard (0...100).contains(percent) else {
        throw .invalidField(field: "percent", reason: "A percentage is a whole number from 0 to 100.")
      }
    case (nil, let amount?):
      guard amount.amount >= 0 else {
        throw .invalidField(field: "amount", reason: "A discount amount cannot be negative.")
      }
      guard amount.currency == currency else {
        throw .invalidField(field: "amount.currency", reason: "The shop's currency is \(currency).")
      }
    }
  }

  /// What makes two requests with one opId the same operation: the target and the value (an approval
  /// added on a retry does not make it a different one). Lengths first, so no SKU can fake another.
  static func fingerprint(_ request: DiscountRequest) -> String {
    let sku = request.sku.map { "\($0.utf8.count):\($0)" } ?? "-"
    let percent = request.percent.map(String.init) ?? "-"
    let amount = request.amount.map { "\($0.amount) \($0.currency)" } ?? "-"
    return "sku \(sku) percent \(percent) amount \(amount)"
  }

  static func decide(
    _ request: DiscountRequest, facts: DiscountFacts, actor: StaffActor, cashierLimit: Int,
    approval: VerifiedApproval?
  ) throws(StoreError) -> DiscountDecision {
    if let applied = facts.appliedFingerprint {
      guard applied == fingerprint(request) else { throw .operationReused(opId: request.opId) }
      return .replay
    }
    guard facts.cartStatus == .open else { throw .cartClosed }
    let line = request.sku.map { sku in facts.lines.first { $0.sku == sku } }
    if case .some(nil) = line { throw .notFound(what: "cart line") }
    let value: DiscountValue = request.percent.map { .percent($0) } ?? .amount(request.amount?.amount ?? 0)
    if value == .percent(0) || value == .amount(0) {
      return .remove(sku: request.sku)
    }
    let target = try targetValue(line: line ?? nil, facts: facts)
    if case .amount(let amount) = value, amount > target {
      throw .invalidField(
        field: "amount", reason: "The discount is larger than what it applies to (\(target) minor units).")
    }
    let taken = OrderPricing.discountAmount(value, of: target)
    var approvedBy: String?
    if actor.role != .manager, exceedsLimit(taken: taken, of: target, limit: cashierLimit) {
      guard let approval else { throw .approvalRequired }
      guard let approver = facts.approver, approver.enabled, approver.role == .manager,
        approver.pinHash == approval.pinHash
      else { throw .approvalRefused }
      approvedBy = approval.code
    }
    return .set(
      CartDiscount(
        sku: request.sku, percent: request.percent, amount: request.amount?.amount, staff: actor.staff,
        approvedBy: approvedBy))
  }

  /// Whether taking `taken` off `target` is more than `limit` percent of it (exact, in 128 bits).
  static func exceedsLimit(taken: Int, of target: Int, limit: Int) -> Bool {
    Int128(taken) * 100 > Int128(min(max(0, limit), 100)) * Int128(target)
  }

  /// The target's value now: the line's base (its own discount is what this one replaces), or for the
  /// order the lines after their own discounts.
  static func targetValue(line: CheckoutLine?, facts: DiscountFacts) throws(StoreError) -> Int {
    if let line { return try base(of: line) }
    let lineDiscounts = Dictionary(
      facts.discounts.compactMap { discount in discount.sku.map { ($0, discount.value) } },
      uniquingKeysWith: { _, last in last })
    var total = 0
    for line in facts.lines {
      let base = try base(of: line)
      let after = base - OrderPricing.discountAmount(lineDiscounts[line.sku] ?? nil, of: base)
      let (sum, overflow) = total.addingReportingOverflow(after)
      guard !overflow else { throw .engine("the cart's lines do not fit in a 64-bit integer") }
      total = sum
    }
    return total
  }

  static func base(of line: CheckoutLine) throws(StoreError) -> Int {
    let (base, overflow) = line.unitPrice.multipliedReportingOverflow(by: line.quantity)
    guard !overflow else { throw .engine("the line \(line.sku) does not fit in a 64-bit integer") }
    return base
  }
}

/// The steps around `DiscountRule` both engines take alike.
enum DiscountStep {
  /// The cart first, then the opId, then the line: text holding U+0000 names nothing stored.
  static func checkNames(
    _ request: DiscountRequest, cartId: String, actor: StaffActor, approval: VerifiedApproval?
  ) throws(StoreError) {
    try StoreIdentifiers.requireNamed("cart", cartId, actor.owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    // An opId that cannot be recorded is answered like one recorded for another change.
    guard StoreIdentifiers.canName(request.opId) else { throw .operationReused(opId: request.opId) }
    if let sku = request.sku { try StoreIdentifiers.requireNamed("cart line", sku) }
  }

  /// The `discount` audit row of an applied decision (a replay writes none).
  static func auditRecord(_ decision: DiscountDecision, cartId: String, actor: StaffActor, currency: String)
    -> AuditRecord
  {
    switch decision {
    case .set(let discount):
      let value =
        discount.percent.map { "\($0)%" }
        ?? Money(amount: discount.amount ?? 0, currency: currency).description
      return .discount(
        cartId: cartId, sku: discount.sku, value: value, by: actor, approvedBy: discount.approvedBy)
    case .remove(let sku):
      return .discount(cartId: cartId, sku: sku, value: "removed", by: actor, approvedBy: nil)
    case .replay:
      return .discount(cartId: cartId, sku: nil, value: "replayed", by: actor, approvedBy: nil)
    }
  }
}
