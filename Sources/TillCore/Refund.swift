/// Money going back to a customer for lines of a paid order, or for the paid parts of an order not yet
/// paid (no lines: the whole of what was paid by the method): in cash from the drawer, or back to the
/// card it was paid with. Each refund has its own number in the terminal's receipt sequence and a
/// receipt of its own with the amounts negative.
public struct Refund: Codable, Hashable, Sendable {
  public enum Status: String, Codable, Hashable, Sendable {
    /// Card only: written before the provider is asked; settled by the live request or by recovery.
    case pending
    case succeeded
    /// Card only: the provider refused the refund for good; nothing went back, the lines count as
    /// not refunded and a restock was taken back.
    case failed
  }

  /// One returned line: the units, whether they went back on the shelf, and their share of the stored
  /// line figures (`RefundPricing`).
  public struct Line: Codable, Hashable, Sendable {
    public var sku: String
    public var name: String
    public var quantity: Int
    public var restock: Bool
    /// What goes back for these units (gross), `net + tax`.
    public var amount: Money
    public var net: Money
    public var tax: Money
    public var taxRate: Int

    public init(
      sku: String, name: String, quantity: Int, restock: Bool, amount: Money, net: Money, tax: Money,
      taxRate: Int
    ) {
      self.sku = sku
      self.name = name
      self.quantity = quantity
      self.restock = restock
      self.amount = amount
      self.net = net
      self.tax = tax
      self.taxRate = taxRate
    }
  }

  public var id: String
  public var orderId: String
  /// 1 for the order's first refund, 2 for its second, …; names the provider key of a card refund.
  public var sequence: Int
  public var method: Payment.Method
  public var status: Status
  /// The sum of the lines' amounts.
  public var amount: Money
  public var lines: [Line]
  /// The number in the terminal's receipt sequence, taken when the money went back (a cash refund at
  /// once, a card refund when the provider confirmed it).
  public var receiptNumber: Int?
  /// The card payment the money goes back to (card only).
  public var paymentId: String?
  /// The key sent to the card provider: `order-<orderId>-refund-<sequence>` (card only).
  public var idempotenceKey: String?
  public var failureReason: String?
  public var staff: String
  public var approvedBy: String?
  /// The register session whose drawer it came from (cash) or whose report counts it.
  public var sessionId: String?
  /// RFC 3339 in UTC.
  public var createdAt: String

  public init(
    id: String, orderId: String, sequence: Int, method: Payment.Method, status: Status, amount: Money,
    lines: [Line], receiptNumber: Int? = nil, paymentId: String? = nil, idempotenceKey: String? = nil,
    failureReason: String? = nil, staff: String, approvedBy: String? = nil, sessionId: String? = nil,
    createdAt: String
  ) {
    self.id = id
    self.orderId = orderId
    self.sequence = sequence
    self.method = method
    self.status = status
    self.amount = amount
    self.lines = lines
    self.receiptNumber = receiptNumber
    self.paymentId = paymentId
    self.idempotenceKey = idempotenceKey
    self.failureReason = failureReason
    self.staff = staff
    self.approvedBy = approvedBy
    self.sessionId = sessionId
    self.createdAt = createdAt
  }

  /// Whether it gave back a paid part of an order not yet paid (so that the order can be canceled)
  /// rather than lines of a paid order: such a refund has no lines.
  public var isPaidPart: Bool { lines.isEmpty }

  /// The deterministic key for a card refund, so a retry is recognised by the provider itself.
  public static func idempotenceKey(orderId: String, sequence: Int) -> String {
    "order-\(orderId)-refund-\(sequence)"
  }
}

/// `POST /v1/orders/{id}/refunds` body; the `Idempotency-Key` header travels beside it.
public struct RefundRequest: Codable, Hashable, Sendable {
  public struct Line: Codable, Hashable, Sendable {
    public var sku: String
    public var quantity: Int
    /// Back on the shelf (true), or written off as damaged (false).
    public var restock: Bool

    public init(sku: String, quantity: Int, restock: Bool) {
      self.sku = sku
      self.quantity = quantity
      self.restock = restock
    }
  }

  /// The lines of a paid order that go back; none for the paid parts of an order not yet paid (all the
  /// cash paid, or the latest card part, goes back whole).
  public var lines: [Line]
  public var method: Payment.Method
  /// A manager's code and PIN when the person refunding is not a manager.
  public var approval: Approval?

  public init(lines: [Line], method: Payment.Method, approval: Approval? = nil) {
    self.lines = lines
    self.method = method
    self.approval = approval
  }
}

/// A line asked to be refunded beyond what is left of it: sold minus already refunded.
public struct RefundShortfall: Codable, Hashable, Sendable {
  public var sku: String
  public var requested: Int
  public var refundable: Int

  public init(sku: String, requested: Int, refundable: Int) {
    self.sku = sku
    self.requested = requested
    self.refundable = refundable
  }
}

/// What a refund of some units of an order line gives back, from the line's stored figures only.
///
/// The units refunded so far and the units refunded now are placed on one scale: the first `n` units of a
/// line are worth `gross × n / quantity` rounded half-up, and a refund of `k` units after `r` gives the
/// difference between the worth of `r + k` and of `r` units. So any sequence of partial refunds sums,
/// to the cent, to the worth of the units refunded, and refunding every unit gives back exactly the
/// line's gross (its discount and tax pro rata included). The tax of a worth `w` is `tax × w / gross`
/// half-up, on the same scale: it never goes down as units go back, never exceeds what goes back in a
/// refund (so no refund has a negative net), and every unit back gives back exactly the line's tax.
public enum RefundPricing {
  /// The gross and tax of `quantity` units of a line of `soldQuantity` units worth `gross` with `tax`,
  /// `alreadyRefunded` units having gone back before. Quantities must satisfy
  /// `0 ≤ alreadyRefunded`, `1 ≤ quantity`, `alreadyRefunded + quantity ≤ soldQuantity`, and
  /// `0 ≤ tax ≤ gross`.
  public static func refund(
    quantity: Int, alreadyRefunded: Int, soldQuantity: Int, gross: Int, tax: Int
  ) -> (gross: Int, tax: Int) {
    let before = worth(gross, units: alreadyRefunded, of: soldQuantity)
    let after = worth(gross, units: alreadyRefunded + quantity, of: soldQuantity)
    return (after - before, taxOf(after, gross: gross, tax: tax) - taxOf(before, gross: gross, tax: tax))
  }

  /// The first `units` of `soldQuantity` units worth `value`, half-up.
  static func worth(_ value: Int, units: Int, of soldQuantity: Int) -> Int {
    guard soldQuantity > 0 else { return 0 }
    return OrderPricing.mulDivHalfUp(value, min(max(0, units), soldQuantity), soldQuantity)
  }

  /// The tax in `worth` of a line worth `gross` with `tax`, half-up.
  static func taxOf(_ worth: Int, gross: Int, tax: Int) -> Int {
    guard gross > 0 else { return 0 }
    return OrderPricing.mulDivHalfUp(tax, min(max(0, worth), gross), gross)
  }
}
