import Foundation
import GRDB
import TillCore

extension SQLiteStore {
  public func seedIfEmpty(with catalogue: SeedCatalogue) async throws(StoreError) -> Int {
    try CatalogueRules.check(catalogue, currency: currency)
    return try await write { db in
      guard try db.fetchInt("SELECT EXISTS (SELECT 1 FROM products)") == 0 else { return 0 }
      for (category, rate) in catalogue.categoryRates {
        try db.run(
          """
          INSERT INTO category_tax_rates (category, rate) VALUES (?, ?)
          ON CONFLICT (category) DO UPDATE SET rate = excluded.rate
          """, [category, rate])
      }
      for product in catalogue.products {
        try db.run(
          """
          INSERT INTO products (
            sku, name, category, price_amount, currency, stock, barcode, search_text, tax_rate, tax_rate_own)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            product.sku, product.name, product.category, product.price.amount, product.price.currency,
            product.stock, product.barcode,
            SearchText.column(name: product.name, sku: product.sku, barcode: product.barcode),
            product.taxRate, catalogue.hasOwnRate(product),
          ])
      }
      return catalogue.products.count
    }
  }

  public func products(matching query: ProductQuery) async throws(StoreError) -> Page<Product> {
    guard let paging = KeysetPaging(limit: query.limit), let query = StoreIdentifiers.searchable(query) else {
      return KeysetPaging.empty()
    }
    var conditions: [String] = []
    var arguments: StatementArguments = []
    if let text = query.text, !text.isEmpty {
      conditions.append("search_text LIKE ? ESCAPE '\\'")
      arguments += [SearchText.containsPattern(text)]
    }
    if let category = query.category {
      conditions.append("category = ?")
      arguments += [category]
    }
    if let after = query.after {
      conditions.append("sku > ?")
      arguments += [after]
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = "SELECT \(SQLiteRows.productColumns.list) FROM products \(filter) ORDER BY sku LIMIT ?"
    arguments += [paging.fetchLimit]
    let products = try await read { [arguments] db in
      try db.fetchRows(sql, arguments).map(SQLiteRows.product)
    }
    return paging.page(products, cursor: \.sku)
  }

  public func product(sku: String) async throws(StoreError) -> Product {
    try StoreIdentifiers.requireNamed("product", sku)
    return try await read { db in try Self.product(sku: sku, in: db) }
  }

  public func categories() async throws(StoreError) -> [Category] {
    try await read { db in
      try db.fetchRows(
        """
        SELECT p.category AS category, COUNT(*) AS count, COALESCE(MAX(r.rate), 0) AS tax_rate
        FROM products p LEFT JOIN category_tax_rates r ON r.category = p.category
        GROUP BY p.category ORDER BY p.category
        """
      ).map(Self.category)
    }
  }

  public func adjustStock(sku: String, delta: Int, reason: String, by actor: AuditActor)
    async throws(StoreError) -> Product
  {
    try StoreIdentifiers.requireNamed("product", sku)
    let reason = StoreIdentifiers.storable(reason)
    return try await write { db in
      // Conditional update: the row changes only when the result stays at or above zero and a
      // restock stays at or below the limit (a write-off is always allowed down to zero).
      let changed = try db.run(
        """
        UPDATE products SET stock = stock + ?1
        WHERE sku = ?2 AND stock + ?1 >= 0 AND (?1 <= 0 OR stock + ?1 <= ?3)
        """, [delta, sku, Limits.maxStock])
      let product = try Self.product(sku: sku, in: db)
      guard changed == 1 else {
        throw StoreError.refusedAdjustment(sku: sku, delta: delta, stock: product.stock)
      }
      try db.run(
        "INSERT INTO stock_adjustments (sku, delta, reason, at) VALUES (?, ?, ?, ?)",
        [sku, delta, reason, SQLiteRows.timestamp()])
      try Self.insert(.stockAdjustment(sku: sku, delta: delta, reason: reason, by: actor), at: Date(), in: db)
      return product
    }
  }

  static func category(_ row: Row) throws -> Category {
    Category(
      name: try row.decode(forColumn: "category"), count: try row.decode(forColumn: "count"),
      taxRate: try row.decode(forColumn: "tax_rate"))
  }

  static func product(sku: String, in db: Database) throws -> Product {
    guard
      let row = try db.fetchRow("SELECT \(SQLiteRows.productColumns.list) FROM products WHERE sku = ?", [sku])
    else { throw StoreError.notFound(what: "product") }
    return try SQLiteRows.product(row)
  }
}
