import TillCore

/// What an increment is decided on, read by the engine under the cart's write lock.
struct IncrementFacts: Hashable, Sendable {
  /// The sku and delta recorded for this opId on this cart, when it was applied before.
  struct AppliedOperation: Hashable, Sendable {
    var sku: String
    var delta: Int
  }

  var cartStatus: Cart.Status
  var applied: AppliedOperation?
  var productExists: Bool
  /// The line's quantity now (0 when the cart has no line for the sku).
  var currentQuantity: Int
  /// How many lines the cart has now.
  var lineCount: Int
}

/// What the engine does with an increment it may apply.
enum IncrementDecision: Hashable, Sendable {
  /// The same op was applied before: change nothing and answer the cart as it is now.
  case replay
  /// Record the op and set the line to `quantity`; 0 removes the line (or adds none).
  case apply(quantity: Int)
}

/// The increment rule, in the order the API ranks its refusals: a known opId first (a retry is
/// answered even after checkout), then the cart's state, the product, the line's quantity limit and
/// the cart's line limit. A refused increment records nothing, so its opId may carry another change.
enum IncrementRule {
  static func decide(_ increment: IncrementRequest, facts: IncrementFacts) throws(StoreError)
    -> IncrementDecision
  {
    if let applied = facts.applied {
      guard applied.sku == increment.sku, applied.delta == increment.delta else {
        throw .operationReused(opId: increment.opId)
      }
      return .replay
    }
    guard facts.cartStatus == .open else { throw .cartClosed }
    guard facts.productExists else { throw .notFound(what: "product") }
    let quantity = quantity(facts.currentQuantity, adding: increment.delta)
    guard quantity <= Limits.maxLineQuantity else {
      throw .quantityLimit(sku: increment.sku, limit: Limits.maxLineQuantity)
    }
    // Only a new line counts against the limit; a decrement of an absent line adds none.
    if quantity > 0, facts.currentQuantity == 0, facts.lineCount >= Limits.maxCartLines {
      throw .cartLineLimit(limit: Limits.maxCartLines)
    }
    return .apply(quantity: quantity)
  }

  /// `max(0, current + delta)` without trapping on an absurd delta (the server bounds it; this keeps
  /// the store safe on its own).
  static func quantity(_ current: Int, adding delta: Int) -> Int {
    let (sum, overflow) = current.addingReportingOverflow(delta)
    if overflow { return delta > 0 ? Int.max : 0 }
    return max(0, sum)
  }
}
