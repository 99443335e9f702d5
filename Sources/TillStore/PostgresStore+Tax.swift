import Foundation
import PostgresNIO
import TillCore

/// Tax rates on PostgreSQL: a category's rate and its following products change in one transaction.
/// The order statement reads a product's effective rate from the row it locks, so a checkout sees
/// either the old rates or the new ones, never a mix of one category.
extension PostgresStore {
  public func setCategoryTaxRate(category: String, rate: Int, by actor: AuditActor)
    async throws(StoreError) -> Category
  {
    try StoreIdentifiers.requireNamed("category", category)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try CatalogueRules.checkTaxRate(rate)
    let record = TaxRateChange.category(category, rate: rate, by: actor)
    return try await transaction { connection in
      // The category's rate row first: two changes of one category take turns here.
      let rows = try await connection.query(
        """
        WITH present AS (
          SELECT 1 WHERE EXISTS (SELECT 1 FROM products WHERE category = \(category))
        ), rate AS (
          INSERT INTO category_tax_rates (category, rate) SELECT \(category), \(rate) FROM present
          ON CONFLICT (category) DO UPDATE SET rate = excluded.rate
          RETURNING rate
        ), following AS (
          UPDATE products SET tax_rate = \(rate)
          WHERE category = \(category) AND NOT tax_rate_own AND EXISTS (SELECT 1 FROM rate)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM products WHERE category = \(category)) AS count,
          (SELECT count(*) FROM following) AS changed, EXISTS (SELECT 1 FROM rate) AS present
        """, logger: logger
      ).collect()
      guard let row = rows.first?.makeRandomAccess(), try row.decode("present", as: Bool.self) else {
        throw StoreError.notFound(what: "category")
      }
      try await insert(record, at: Date(), on: connection)
      return Category(name: category, count: try row.decode("count"), taxRate: rate)
    }
  }

  public func setProductTaxRate(sku: String, rate: Int?, by actor: AuditActor)
    async throws(StoreError) -> Product
  {
    try StoreIdentifiers.requireNamed("product", sku)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try CatalogueRules.checkTaxRate(rate)
    return try await transaction { connection in
      let rows = try await connection.query(
        """
        UPDATE products p SET tax_rate_own = \(rate != nil),
          tax_rate = COALESCE(\(rate)::bigint, (SELECT r.rate FROM category_tax_rates r WHERE r.category = p.category), 0)
        WHERE sku = \(sku)
        RETURNING \(unescaped: PostgresRows.productColumns.list)
        """, logger: logger
      ).collect()
      guard let row = rows.first else { throw StoreError.notFound(what: "product") }
      let product = try PostgresRows.product(row)
      try await insert(
        TaxRateChange.product(product, own: rate != nil, by: actor), at: Date(), on: connection)
      return product
    }
  }
}
