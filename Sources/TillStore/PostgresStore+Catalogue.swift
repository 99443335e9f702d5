import Foundation
import PostgresNIO
import TillCore

extension PostgresStore {
  public func seedIfEmpty(with catalogue: SeedCatalogue) async throws(StoreError) -> Int {
    try CatalogueRules.check(catalogue, currency: currency)
    let products = catalogue.products
    return try await transaction { connection in
      // Two servers seeding the same empty database at once: the second waits here, then finds
      // the catalogue full instead of failing on duplicate SKUs.
      try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresRows.seedLockKey))", logger: logger)
      let existing = try await connection.query(
        "SELECT EXISTS (SELECT 1 FROM products) AS filled", logger: logger
      ).collect()
      guard try existing.first?.makeRandomAccess().decode("filled", as: Bool.self) == false else { return 0 }
      let rates = catalogue.categoryRates.sorted { $0.key < $1.key }
      try await connection.query(
        """
        INSERT INTO category_tax_rates (category, rate)
        SELECT * FROM unnest(\(rates.map(\.key))::text[], \(rates.map(\.value))::bigint[])
        ON CONFLICT (category) DO UPDATE SET rate = excluded.rate
        """, logger: logger)
      // A few thousand rows per statement as parallel arrays: one round trip per chunk, not per row.
      var start = 0
      while start < products.count {
        let chunk = products[start..<min(products.count, start + 2_000)]
        start += chunk.count
        let searchTexts = chunk.map { SearchText.column(name: $0.name, sku: $0.sku, barcode: $0.barcode) }
        try await connection.query(
          """
          INSERT INTO products (
            sku, name, category, price_amount, currency, stock, barcode, search_text, tax_rate, tax_rate_own)
          SELECT * FROM unnest(
            \(chunk.map(\.sku))::text[], \(chunk.map(\.name))::text[], \(chunk.map(\.category))::text[],
            \(chunk.map(\.price.amount))::bigint[], \(chunk.map(\.price.currency))::text[],
            \(chunk.map(\.stock))::bigint[], \(chunk.map(\.barcode))::text[], \(searchTexts)::text[],
            \(chunk.map(\.taxRate))::bigint[], \(chunk.map(catalogue.hasOwnRate))::boolean[])
          """, logger: logger)
      }
      return products.count
    }
  }

  public func products(matching query: ProductQuery) async throws(StoreError) -> Page<Product> {
    guard let paging = KeysetPaging(limit: query.limit), let query = StoreIdentifiers.searchable(query) else {
      return KeysetPaging.empty()
    }
    var conditions: [String] = []
    var binds = PostgresBindings()
    if let text = query.text, !text.isEmpty {
      binds.append(SearchText.containsPattern(text))
      conditions.append("search_text LIKE $\(binds.count) ESCAPE '\\'")
    }
    if let category = query.category {
      binds.append(category)
      conditions.append("category = $\(binds.count)")
    }
    if let after = query.after {
      binds.append(after)
      conditions.append("sku > $\(binds.count)")
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    binds.append(paging.fetchLimit)
    let sql =
      "SELECT \(PostgresRows.productColumns.list) FROM products \(filter) ORDER BY sku LIMIT $\(binds.count)"
    let rows = try await withConnection { [binds] connection in
      try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
        .map(PostgresRows.product)
    }
    return paging.page(rows, cursor: \.sku)
  }

  public func product(sku: String) async throws(StoreError) -> Product {
    try StoreIdentifiers.requireNamed("product", sku)
    return try await withConnection { connection in
      try await Self.product(sku: sku, on: connection, logger: logger)
    }
  }

  public func categories() async throws(StoreError) -> [Category] {
    try await withConnection { connection in
      try await connection.query(
        """
        SELECT p.category AS category, COUNT(*) AS count, COALESCE(max(r.rate), 0) AS tax_rate
        FROM products p LEFT JOIN category_tax_rates r ON r.category = p.category
        GROUP BY p.category ORDER BY p.category
        """, logger: logger
      ).collect().map { try Self.category($0.makeRandomAccess()) }
    }
  }

  public func adjustStock(sku: String, delta: Int, reason: String, by actor: AuditActor)
    async throws(StoreError) -> Product
  {
    try StoreIdentifiers.requireNamed("product", sku)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    let reason = StoreIdentifiers.storable(reason)
    let record = AuditRecord.stockAdjustment(sku: sku, delta: delta, reason: reason, by: actor)
    // One statement, so one round trip and its own transaction: the conditional update changes the
    // row only when stock stays at or above zero and a restock at or below the limit (re-checked on the
    // latest row version if another transaction changed it meanwhile), and the audit row exists
    // exactly when the update happened (as does its audit trail row).
    let updated = try await transaction { connection in
      try await connection.query(
        """
        WITH changed AS (
          UPDATE products SET stock = stock + \(delta)
          WHERE sku = \(sku) AND stock + \(delta) >= 0
            AND (\(delta) <= 0 OR stock + \(delta) <= \(Limits.maxStock))
          RETURNING \(unescaped: PostgresRows.productColumns.list)
        ), audit AS (
          INSERT INTO stock_adjustments (sku, delta, reason) SELECT sku, \(delta), \(reason) FROM changed
        ), trail AS (
          INSERT INTO audit_events (at, action, staff_code, terminal, subject, detail)
          SELECT \(Date()), \(record.action.rawValue), \(record.staff), \(record.terminal), \(record.subject),
            \(record.detail)
          FROM changed
        )
        SELECT \(unescaped: PostgresRows.productColumns.list) FROM changed
        """, logger: logger
      ).collect().first.map(PostgresRows.product)
    }
    if let updated { return updated }
    // Refused: read the live row (or learn that there is none) for the answer.
    let current = try await product(sku: sku)
    throw StoreError.refusedAdjustment(sku: sku, delta: delta, stock: current.stock)
  }

  static func category(_ row: PostgresRandomAccessRow) throws -> Category {
    Category(
      name: try row.decode("category"), count: try row.decode("count"), taxRate: try row.decode("tax_rate"))
  }

  static func product(sku: String, on connection: PostgresConnection, logger: Logger) async throws -> Product
  {
    let rows = try await connection.query(
      "SELECT \(unescaped: PostgresRows.productColumns.list) FROM products WHERE sku = \(sku)", logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.notFound(what: "product") }
    return try PostgresRows.product(row)
  }
}
