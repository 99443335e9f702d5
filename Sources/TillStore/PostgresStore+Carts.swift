import PostgresNIO
import TillCore

extension PostgresStore {
  public func createCart(owner: String) async throws(StoreError) -> Cart {
    let id = PostgresRows.newIdentifier()
    try await withConnection { connection in
      try await connection.query(
        "INSERT INTO carts (id, owner, status) VALUES (\(id), \(owner), 'open')", logger: logger)
    }
    return Cart(id: id, status: .open, lines: [], total: .zero(currency))
  }

  public func cart(id: String, owner: String) async throws(StoreError) -> Cart {
    guard !id.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "cart") }
    return try await withConnection { connection in
      try await readCart(id: id, owner: owner, on: connection)
    }
  }

  public func applyIncrement(_ increment: IncrementRequest, cartId: String, owner: String)
    async throws(StoreError) -> Cart
  {
    guard !cartId.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "cart") }
    guard !increment.opId.containsNUL else { throw StoreError.engine("an opId cannot contain U+0000") }
    return try await transaction { connection in
      // The cart row lock serialises every change to this cart (checkout takes the stronger FOR
      // UPDATE), so the reads below are exact until commit. It is a statement of its own: in READ
      // COMMITTED the next statement's snapshot then includes whatever the previous holder committed.
      let status = try await lockCartForChange(id: cartId, owner: owner, on: connection)
      let state = try await incrementState(increment, cartId: cartId, on: connection)
      // A retried op answers the current cart, even after checkout; reusing its id for another
      // change is refused.
      if let applied = state.applied {
        guard applied.sku == increment.sku, applied.delta == increment.delta else {
          throw StoreError.operationReused(opId: increment.opId)
        }
        return try await readCart(id: cartId, owner: owner, on: connection)
      }
      guard status == .open else { throw StoreError.cartClosed }
      guard state.productExists else { throw StoreError.notFound(what: "product") }
      let quantity = Self.quantity(state.current, adding: increment.delta)
      guard quantity <= Limits.maxLineQuantity else {
        throw StoreError.quantityLimit(sku: increment.sku, limit: Limits.maxLineQuantity)
      }
      if quantity > 0, state.current == 0, state.lines >= Limits.maxCartLines {
        throw StoreError.cartLineLimit(limit: Limits.maxCartLines)
      }
      try await change(increment, cartId: cartId, to: quantity, on: connection)
      return try await readCart(id: cartId, owner: owner, on: connection)
    }
  }

  /// `max(0, current + delta)` without trapping on an absurd delta (the server bounds it).
  static func quantity(_ current: Int, adding delta: Int) -> Int {
    let (sum, overflow) = current.addingReportingOverflow(delta)
    if overflow { return delta > 0 ? Int.max : 0 }
    return max(0, sum)
  }

  /// What an increment needs to decide, read in one statement under the cart lock.
  private struct IncrementState {
    var applied: (sku: String, delta: Int)?
    var productExists: Bool
    var current: Int
    var lines: Int
  }

  private func incrementState(
    _ increment: IncrementRequest, cartId: String, on connection: PostgresConnection
  ) async throws -> IncrementState {
    let rows = try await connection.query(
      """
      SELECT o.sku, o.delta,
        EXISTS (SELECT 1 FROM products WHERE sku = \(increment.sku)),
        (SELECT quantity FROM cart_lines WHERE cart_id = \(cartId) AND sku = \(increment.sku)),
        (SELECT count(*) FROM cart_lines WHERE cart_id = \(cartId))
      FROM (SELECT 1) AS one
      LEFT JOIN applied_ops o ON o.cart_id = \(cartId) AND o.op_id = \(increment.opId)
      """, logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.engine("the increment state query answered no row") }
    let (sku, delta, exists, current, lines) = try row.decode((String?, Int?, Bool, Int?, Int).self)
    return IncrementState(
      applied: sku.flatMap { sku in delta.map { (sku, $0) } }, productExists: exists, current: current ?? 0,
      lines: lines)
  }

  /// Records the op and sets the line in one statement: the op row goes in under its primary key
  /// (a duplicate does nothing), and the line changes only if the op row did.
  private func change(
    _ increment: IncrementRequest, cartId: String, to quantity: Int, on connection: PostgresConnection
  ) async throws {
    let opInsert = """
      INSERT INTO applied_ops (cart_id, op_id, sku, delta)
      VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1
      """
    var binds = PostgresBindings()
    binds.append(cartId)
    binds.append(increment.opId)
    binds.append(increment.sku)
    binds.append(increment.delta)
    binds.append(quantity)
    let sql: String
    if quantity == 0 {
      sql = """
        WITH op AS (\(opInsert)),
        line AS (
          DELETE FROM cart_lines WHERE cart_id = $1 AND sku = $3 AND EXISTS (SELECT 1 FROM op)
          RETURNING 0::bigint AS quantity
        )
        SELECT (SELECT count(*) FROM op), COALESCE((SELECT quantity FROM line), 0::bigint), $5
        """
    } else {
      // Relative to the stored quantity, so the statement is an atomic increment on its own; under
      // the cart lock it must land exactly on the quantity computed above, which is checked.
      sql = """
        WITH op AS (\(opInsert)),
        line AS (
          INSERT INTO cart_lines AS l (cart_id, sku, quantity) SELECT $1, $3, $5 FROM op
          ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = l.quantity + $4
          RETURNING l.quantity
        )
        SELECT (SELECT count(*) FROM op), (SELECT quantity FROM line), $5
        """
    }
    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
      .collect()
    guard let row = rows.first else { throw StoreError.engine("the increment answered no row") }
    let (inserted, stored, expected) = try row.decode((Int, Int?, Int).self)
    guard inserted == 1 else {
      throw StoreError.engine("opId \(increment.opId) was recorded concurrently despite the cart lock")
    }
    guard (stored ?? 0) == expected else {
      throw StoreError.engine("cart line \(increment.sku) reached \(stored ?? 0), expected \(expected)")
    }
  }

  /// Locks the owner's cart row for a change of its lines with an UPDATE that changes nothing but
  /// makes a new row version: its new `xmin` tells an order statement whose snapshot predates this
  /// change that its cart lines are stale (see `PlaceOrderStatement`). An UPDATE of a non-key column
  /// takes the same FOR NO KEY UPDATE lock as before. Someone else's cart is "not found", so its
  /// existence is not revealed.
  private func lockCartForChange(id: String, owner: String, on connection: PostgresConnection)
    async throws -> Cart.Status
  {
    let rows = try await connection.query(
      "UPDATE carts SET status = status WHERE id = \(id) AND owner = \(owner) RETURNING status",
      logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.notFound(what: "cart") }
    return try cartStatus(try row.decode(String.self), id: id)
  }

  private func cartStatus(_ raw: String, id: String) throws -> Cart.Status {
    guard let status = Cart.Status(rawValue: raw) else {
      throw StoreError.engine("cart \(id) has an unknown status")
    }
    return status
  }

  /// The owner's cart with its lines ordered by SKU, current prices and live stock, in one query.
  func readCart(id: String, owner: String, on connection: PostgresConnection) async throws -> Cart {
    let rows = try await connection.query(
      """
      SELECT c.status, l.sku, p.name, l.quantity, p.price_amount, p.currency, p.stock
      FROM carts c
      LEFT JOIN cart_lines l ON l.cart_id = c.id
      LEFT JOIN products p ON p.sku = l.sku
      WHERE c.id = \(id) AND c.owner = \(owner)
      ORDER BY l.sku
      """, logger: logger
    ).collect()
    guard let first = rows.first else { throw StoreError.notFound(what: "cart") }
    let status = try cartStatus(try first.decode((String, String?).self).0, id: id)
    var lines: [CheckoutLine] = []
    for row in rows {
      let (_, sku, name, quantity, price, lineCurrency, stock) = try row.decode(
        (String, String?, String?, Int?, Int?, String?, Int?).self)
      guard let sku, let name, let quantity, let price, let lineCurrency, let stock else { continue }
      lines.append(
        CheckoutLine(
          sku: sku, name: name, quantity: quantity, unitPrice: price, currency: lineCurrency, stock: stock))
    }
    return try CheckoutLine.cart(id: id, status: status, lines: lines, shopCurrency: currency)
  }
}
