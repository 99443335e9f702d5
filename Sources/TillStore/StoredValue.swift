import TillCore

/// The stored text of a status or method as the domain's enum, on either engine. The schema's CHECK
/// constraints allow only known values, so an unknown one is the back end's fault, never a trap.
enum StoredValue {
  static func cartStatus(_ raw: String) throws(StoreError) -> Cart.Status {
    try known(Cart.Status(rawValue: raw), raw, "cart status")
  }

  static func orderStatus(_ raw: String) throws(StoreError) -> Order.Status {
    try known(Order.Status(rawValue: raw), raw, "order status")
  }

  static func paymentStatus(_ raw: String) throws(StoreError) -> Payment.Status {
    try known(Payment.Status(rawValue: raw), raw, "payment status")
  }

  static func paymentMethod(_ raw: String) throws(StoreError) -> Payment.Method {
    try known(Payment.Method(rawValue: raw), raw, "payment method")
  }

  static func refundStatus(_ raw: String) throws(StoreError) -> Refund.Status {
    try known(Refund.Status(rawValue: raw), raw, "refund status")
  }

  static func taxBasis(_ raw: String) throws(StoreError) -> TaxBasis {
    try known(TaxBasis(rawValue: raw), raw, "tax basis")
  }

  static func staffRole(_ raw: String) throws(StoreError) -> StaffRole {
    try known(StaffRole(rawValue: raw), raw, "staff role")
  }

  static func sessionStatus(_ raw: String) throws(StoreError) -> RegisterSession.Status {
    try known(RegisterSession.Status(rawValue: raw), raw, "register session status")
  }

  static func cashMoveKind(_ raw: String) throws(StoreError) -> CashMove.Kind {
    try known(CashMove.Kind(rawValue: raw), raw, "cash move kind")
  }

  private static func known<Value>(_ value: Value?, _ raw: String, _ what: String) throws(StoreError) -> Value
  {
    guard let value else { throw .engine("unknown \(what) \(String(reflecting: raw)) in the database") }
    return value
  }
}
