import TillCore

/// A return being put together from the orders list: `r` on a paid order picks how many units of each
/// line go back and whether they go back on the shelf; `r` on an order not yet paid with parts paid
/// gives those parts back (so that it can be canceled). Then the tender, then the refund's answer.
public struct ReturnDialog: Sendable, Hashable {
  public enum Stage: Sendable, Hashable {
    /// Choosing lines: ↑↓ a line, + / - its units, d damaged (written off) or back on the shelf.
    case lines
    /// `1` cash or `2` card chosen: Enter sends it.
    case confirm(Payment.Method)
    /// On its way to the back end.
    case sending(Payment.Method)
    /// Refunded (or, for a card, pending at the provider); its receipt once it arrives.
    case done(Refund, receipt: String?)
  }

  public var order: Order
  /// Units going back, by SKU (lines without units are not sent).
  public var quantities: [String: Int] = [:]
  /// SKUs written off as damaged; every other line goes back on the shelf.
  public var damaged: Set<String> = []
  public var index = 0
  public var stage = Stage.lines
  /// The refund's `Idempotency-Key`: one per return, kept across a lost answer and an approval.
  public var key: String

  public init(order: Order, key: String) {
    self.order = order
    self.key = key
  }

  /// The request the dialog stands for: the lines with units, in the order's line order (none when it
  /// gives back paid parts).
  func request(method: Payment.Method, approval: Approval? = nil) -> RefundRequest {
    guard !givesBackParts else { return RefundRequest(lines: [], method: method, approval: approval) }
    return RefundRequest(
      lines: order.lines.compactMap { line in
        guard let units = quantities[line.sku], units > 0 else { return nil }
        return RefundRequest.Line(sku: line.sku, quantity: units, restock: !damaged.contains(line.sku))
      }, method: method, approval: approval)
  }

  /// Whether it gives back the paid parts of an order not yet paid rather than lines of a paid one.
  var givesBackParts: Bool { order.status != .paid }

  /// The parts paid so far, for the screen.
  var paidParts: [Payment] { order.payments.filter { $0.status == .succeeded } }

  /// What goes back by `method`, for the screen. Paid parts: all the cash paid, or the latest card
  /// part. Lines: the refund rule applied to the stored line figures. Both as if nothing had gone back
  /// before (the server's answer, which knows, is what counts).
  func estimate(for method: Payment.Method) -> Money {
    guard givesBackParts else { return linesEstimate }
    let parts = paidParts.filter { $0.method == method }
    let amount = method == .cash ? parts.reduce(0) { $0 + $1.amount.amount } : parts.last?.amount.amount ?? 0
    return Money(amount: amount, currency: order.total.currency)
  }

  /// What the chosen units are worth.
  var linesEstimate: Money {
    let amount = order.lines.reduce(0) { sum, line in
      let units = min(quantities[line.sku] ?? 0, line.quantity)
      guard units > 0 else { return sum }
      return sum
        + RefundPricing.refund(
          quantity: units, alreadyRefunded: 0, soldQuantity: line.quantity, gross: line.lineTotal.amount,
          tax: line.tax.amount
        ).gross
    }
    return Money(amount: amount, currency: order.total.currency)
  }
}
