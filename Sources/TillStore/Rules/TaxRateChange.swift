import TillCore

/// The `tax-rate` audit rows both engines write for a change of a category's or a product's rate.
enum TaxRateChange {
  static func category(_ category: String, rate: Int, by actor: AuditActor) -> AuditRecord {
    .taxRate(subject: category, detail: "category rate \(rate)", by: actor)
  }

  /// `product` as changed: with its own rate, or following its category's (now `product.taxRate`).
  static func product(_ product: Product, own: Bool, by actor: AuditActor) -> AuditRecord {
    .taxRate(
      subject: product.sku,
      detail: own
        ? "own rate \(product.taxRate)" : "follows category \(product.category): \(product.taxRate)",
      by: actor)
  }
}
