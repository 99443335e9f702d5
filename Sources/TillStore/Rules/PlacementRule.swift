import TillCore

/// The order placement rule, on the facts each engine reads under its locks: the idempotency key's
/// record first (a replay must answer even though the cart is closed by now), then the cart's state,
/// then the register session (when the shop requires one), then its lines against stock. Every short line is reported, not just the first, so the cashier can
/// fix the cart at once.
enum PlacementRule {
  /// The order to answer again for a key recorded before with `recordedCartId` and `recordedOrderId`:
  /// the same cart replays its order; another cart means the key was reused for another request.
  static func replay(recordedCartId: String, recordedOrderId: String?, cartId: String) throws(StoreError)
    -> String
  {
    guard recordedCartId == cartId else { throw .idempotencyKeyReused }
    // The key row and its order commit together, so a key without an order is still in flight.
    guard let recordedOrderId else { throw .requestInFlight }
    return recordedOrderId
  }

  /// Whether an order may be placed for a cart in `cartStatus` as far as the register goes: a closed
  /// cart is the cart's refusal (`decide` gives it); an open one needs an open session when `required`.
  /// `closedMeanwhile`: the session the terminal had when the engine looked was closed while the order
  /// waited for its lock (PostgreSQL), so the sale raced the close and lost.
  static func checkSession(cartStatus: Cart.Status, required: Bool, open: Bool, closedMeanwhile: Bool = false)
    throws(StoreError)
  {
    guard cartStatus == .open, required, !open else { return }
    throw closedMeanwhile ? .sessionClosed : .noOpenSession
  }

  /// The order's lines with their figures (prices, tax rates and discounts captured now, priced by
  /// `CartPricing`), or why the cart cannot become an order.
  static func decide(
    cartId: String, status: Cart.Status, lines: [CheckoutLine], discounts: [CartDiscount] = [],
    basis: TaxBasis = .inclusive, currency: String
  ) throws(StoreError) -> OrderDraft {
    guard status == .open else { throw .cartClosed }
    guard !lines.isEmpty else { throw .emptyCart }
    let shortages = lines.filter(\.isShort).map(\.shortage)
    guard shortages.isEmpty else { throw .insufficientStock(shortages) }
    return try CartPricing.draft(
      cartId: cartId, lines: lines, discounts: discounts, basis: basis, currency: currency)
  }
}

/// What a placeable cart becomes: the order's lines and figures, before the engine writes them.
struct OrderDraft: Hashable, Sendable {
  var lines: [Order.Line]
  /// The sum of the lines' gross.
  var total: Money
  var discountTotal: Money
  /// Per-rate sums of the line figures, ascending rate.
  var taxes: [TaxTotal]
  var basis: TaxBasis
}
