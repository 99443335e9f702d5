/// What a shop prints at the top of its receipts.
public struct ShopDetails: Codable, Hashable, Sendable {
  public var name: String
  public var addressLines: [String]
  public var vatId: String?

  public init(name: String, addressLines: [String] = [], vatId: String? = nil) {
    self.name = name
    self.addressLines = addressLines
    self.vatId = vatId
  }
}

/// `PUT /v1/categories/{name}/tax-rate` and `PUT /v1/products/{sku}/tax-rate` (admin only): a rate in
/// basis points, 0–10 000. `DELETE /v1/products/{sku}/tax-rate` makes the product follow its category.
public struct TaxRateRequest: Codable, Hashable, Sendable {
  public var taxRate: Int

  public init(taxRate: Int) { self.taxRate = taxRate }
}

extension Limits {
  /// Largest tax rate, in basis points (100 %).
  public static let maxTaxRate = 10_000
  /// The cashier's discount limit unless the shop sets another, in whole percent.
  public static let defaultCashierDiscountLimit = 10
}
