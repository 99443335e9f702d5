/// A discount given on a cart: on one line (`sku`) or on the whole order (`sku == nil`), as a whole
/// percentage or an amount, by the person `staff`, approved by the manager `approvedBy` when it went past
/// the cashier's limit. The latest discount on a line (or on the order) replaces the one before; a
/// discount of 0 takes it away.
public struct Discount: Codable, Hashable, Sendable {
  public var sku: String?
  public var percent: Int?
  public var amount: Money?
  public var staff: String
  public var approvedBy: String?

  public init(sku: String?, percent: Int?, amount: Money?, staff: String, approvedBy: String? = nil) {
    self.sku = sku
    self.percent = percent
    self.amount = amount
    self.staff = staff
    self.approvedBy = approvedBy
  }

  /// What the pricing rule applies; nil when the discount names neither a percentage nor an amount.
  public var value: DiscountValue? {
    if let percent { return .percent(percent) }
    if let amount { return .amount(amount.amount) }
    return nil
  }
}

/// `POST /v1/carts/{id}/discounts`: a discount on the line `sku`, or on the whole order when `sku` is
/// absent; exactly one of `percent` (0–100, whole percent) and `amount` (in the shop's currency). The same
/// `opId` is applied once however often it arrives (an approval added on a retry does not make it a
/// different operation). Past the cashier's limit a cashier needs a manager's `approval`.
public struct DiscountRequest: Codable, Hashable, Sendable {
  public var opId: String
  public var sku: String?
  public var percent: Int?
  public var amount: Money?
  public var approval: Approval?

  public init(opId: String, sku: String?, percent: Int?, amount: Money?, approval: Approval? = nil) {
    self.opId = opId
    self.sku = sku
    self.percent = percent
    self.amount = amount
    self.approval = approval
  }
}
