import Foundation
import GRDB
import TillCore

/// Tax rates on SQLite: a category's rate and its following products change in one write.
extension SQLiteStore {
  public func setCategoryTaxRate(category: String, rate: Int, by actor: AuditActor)
    async throws(StoreError) -> Category
  {
    try StoreIdentifiers.requireNamed("category", category)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try CatalogueRules.checkTaxRate(rate)
    return try await write { db in
      // A category is the name its products share; none, no category.
      guard try db.fetchInt("SELECT EXISTS (SELECT 1 FROM products WHERE category = ?)", [category]) == 1
      else {
        throw StoreError.notFound(what: "category")
      }
      try db.run(
        """
        INSERT INTO category_tax_rates (category, rate) VALUES (?, ?)
        ON CONFLICT (category) DO UPDATE SET rate = excluded.rate
        """, [category, rate])
      try db.run(
        "UPDATE products SET tax_rate = ? WHERE category = ? AND tax_rate_own = 0", [rate, category])
      try Self.insert(TaxRateChange.category(category, rate: rate, by: actor), at: Date(), in: db)
      guard
        let row = try db.fetchRow(
          """
          SELECT category, COUNT(*) AS count, ? AS tax_rate FROM products WHERE category = ? GROUP BY category
          """, [rate, category])
      else { throw StoreError.notFound(what: "category") }
      return try Self.category(row)
    }
  }

  public func setProductTaxRate(sku: String, rate: Int?, by actor: AuditActor)
    async throws(StoreError) -> Product
  {
    try StoreIdentifiers.requireNamed("product", sku)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try CatalogueRules.checkTaxRate(rate)
    return try await write { db in
      let changed: Int
      if let rate {
        changed = try db.run("UPDATE products SET tax_rate = ?, tax_rate_own = 1 WHERE sku = ?", [rate, sku])
      } else {
        changed = try db.run(
          """
          UPDATE products SET tax_rate_own = 0,
            tax_rate = COALESCE((SELECT rate FROM category_tax_rates WHERE category = products.category), 0)
          WHERE sku = ?
          """, [sku])
      }
      guard changed == 1 else { throw StoreError.notFound(what: "product") }
      let product = try Self.product(sku: sku, in: db)
      try Self.insert(TaxRateChange.product(product, own: rate != nil, by: actor), at: Date(), in: db)
      return product
    }
  }
}
