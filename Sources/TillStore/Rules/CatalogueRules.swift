import TillCore

/// What a catalogue must satisfy before either engine loads it. The bounds keep every amount the back
/// end computes from it far inside 64 bits (see `Limits`), every SKU reachable by the routes that name
/// it, every barcode naming one product, and every total in the shop's one currency.
enum CatalogueRules {
  /// Refuses a category rate or product that breaks a rule with `.invalidCatalogue`, in one line that
  /// names it.
  static func check(_ catalogue: SeedCatalogue, currency: String) throws(StoreError) {
    for (category, rate) in catalogue.categoryRates.sorted(by: { $0.key < $1.key }) {
      if category.containsNUL { throw .invalidCatalogue("a category name contains U+0000") }
      if !isValidTaxRate(rate) {
        throw .invalidCatalogue("category \(quoted(category)): \(taxRateViolation(rate))")
      }
    }
    try check(catalogue.products, currency: currency)
  }

  /// Whether `rate` is a tax rate in basis points the store takes: 0 to `Limits.maxTaxRate`.
  static func isValidTaxRate(_ rate: Int) -> Bool { (0...Limits.maxTaxRate).contains(rate) }

  static func taxRateViolation(_ rate: Int) -> String {
    "tax rate \(rate) is outside 0 to \(Limits.maxTaxRate) basis points"
  }

  /// `.invalidField` for a tax rate set through the admin API that is out of bounds.
  static func checkTaxRate(_ rate: Int?) throws(StoreError) {
    if let rate, !isValidTaxRate(rate) {
      throw .invalidField(field: "taxRate", reason: taxRateViolation(rate))
    }
  }

  /// Refuses the first product that breaks a rule with `.invalidCatalogue`, in one line that names it.
  static func check(_ products: [Product], currency: String) throws(StoreError) {
    var skus = Set<String>()
    var barcodes: [String: String] = [:]
    for (index, product) in products.enumerated() {
      if let reason = violation(of: product, currency: currency, skus: &skus, barcodes: &barcodes) {
        throw .invalidCatalogue("product \(index + 1) (SKU \(quoted(product.sku))): \(reason)")
      }
    }
  }

  /// Why `product` breaks a rule, or nil; records its SKU and barcode for the uniqueness rules.
  private static func violation(
    of product: Product, currency: String, skus: inout Set<String>, barcodes: inout [String: String]
  ) -> String? {
    guard Identifiers.isValidSKU(product.sku) else {
      return "a SKU must be 1 to \(Limits.maxSKUBytes) bytes of UTF-8 without control characters "
        + "(this one has \(product.sku.utf8.count) bytes)"
    }
    guard skus.insert(product.sku).inserted else { return "the SKU is given twice" }
    guard (0...Limits.maxUnitPrice).contains(product.price.amount) else {
      return "price \(product.price.amount) is outside 0 to \(Limits.maxUnitPrice) minor units"
    }
    guard product.price.currency == currency else {
      return "priced in \(quoted(product.price.currency)), but every product must be in the shop's "
        + "currency, \(currency)"
    }
    guard (0...Limits.maxStock).contains(product.stock) else {
      return "stock \(product.stock) is outside 0 to \(Limits.maxStock)"
    }
    guard isValidTaxRate(product.taxRate) else { return taxRateViolation(product.taxRate) }
    // PostgreSQL text cannot hold U+0000, so neither engine takes it.
    for (field, text) in [
      ("name", product.name), ("category", product.category), ("barcode", product.barcode),
    ]
    where text.containsNUL {
      return "the \(field) contains U+0000"
    }
    if let other = barcodes.updateValue(product.sku, forKey: product.barcode) {
      return "barcode \(quoted(product.barcode)) is also the barcode of \(quoted(other))"
    }
    return nil
  }

  /// `text` quoted with its control characters escaped, and cut short when long, so a message stays
  /// one readable line.
  static func quoted(_ text: String) -> String {
    let shown = text.count > 24 ? String(text.prefix(24)) + "…" : text
    return String(reflecting: shown)
  }
}
