import Foundation
import PostgresNIO
import TillCore

extension PostgresStore {
  public func createCart(owner: String, staff: String) async throws(StoreError) -> Cart {
    try StoreIdentifiers.checkNewOwner(owner)
    try StoreIdentifiers.checkActing(staff)
    let id = StoreIdentifiers.newIdentifier()
    try await withConnection { connection in
      try await connection.query(
        "INSERT INTO carts (id, owner, status, staff_code) VALUES (\(id), \(owner), 'open', \(staff))",
        logger: logger)
    }
    return Cart(id: id, status: .open, lines: [], total: .zero(currency))
  }

  public func cart(id: String, owner: String) async throws(StoreError) -> Cart {
    try StoreIdentifiers.requireNamed("cart", id, owner)
    return try await withConnection { connection in
      try await readCart(id: id, owner: owner, on: connection)
    }
  }

  public func applyIncrement(_ increment: IncrementRequest, cartId: String, owner: String)
    async throws(StoreError) -> Cart
  {
    try StoreIdentifiers.checkIncrement(increment, cartId: cartId, owner: owner)
    let (cart, replayed) = try await transaction { connection in
      // The cart row lock serialises every change to this cart (checkout takes the stronger FOR
      // UPDATE), so the facts read next are exact until commit. It is a statement of its own: in READ
      // COMMITTED the next statement's snapshot then includes whatever the previous holder committed.
      let status = try await lockCartForChange(id: cartId, owner: owner, on: connection)
      let facts = try await incrementFacts(increment, cartId: cartId, status: status, on: connection)
      switch try IncrementRule.decide(increment, facts: facts) {
      case .replay:
        return (try await readCart(id: cartId, owner: owner, on: connection), true)
      case .apply(let quantity):
        try await change(increment, cartId: cartId, to: quantity, on: connection)
        return (try await readCart(id: cartId, owner: owner, on: connection), false)
      }
    }
    // Counted once committed (`transaction` returns after the commit).
    counterBox.increment(replayed: replayed)
    return cart
  }

  /// Everything else `IncrementRule` decides on, read in one statement under the cart lock.
  private func incrementFacts(
    _ increment: IncrementRequest, cartId: String, status: Cart.Status, on connection: PostgresConnection
  ) async throws -> IncrementFacts {
    let rows = try await connection.query(
      """
      SELECT o.sku AS applied_sku, o.delta AS applied_delta,
        EXISTS (SELECT 1 FROM products WHERE sku = \(increment.sku)) AS product_exists,
        (SELECT quantity FROM cart_lines WHERE cart_id = \(cartId) AND sku = \(increment.sku))
          AS current_quantity,
        (SELECT count(*) FROM cart_lines WHERE cart_id = \(cartId)) AS line_count
      FROM (SELECT 1) AS one
      LEFT JOIN applied_ops o ON o.cart_id = \(cartId) AND o.op_id = \(increment.opId)
      """, logger: logger
    ).collect()
    guard let row = rows.first?.makeRandomAccess() else {
      throw StoreError.engine("the increment facts query answered no row")
    }
    let appliedSKU: String? = try row.decode("applied_sku")
    let appliedDelta: Int? = try row.decode("applied_delta")
    let current: Int? = try row.decode("current_quantity")
    return IncrementFacts(
      cartStatus: status,
      applied: appliedSKU.flatMap { sku in appliedDelta.map { .init(sku: sku, delta: $0) } },
      productExists: try row.decode("product_exists"), currentQuantity: current ?? 0,
      lineCount: try row.decode("line_count"))
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
        ), discount AS (
          -- A line taken out takes its discount with it: scanned again, it starts undiscounted.
          DELETE FROM cart_discounts WHERE cart_id = $1 AND target = $3 AND EXISTS (SELECT 1 FROM op)
        )
        SELECT (SELECT count(*) FROM op) AS inserted, COALESCE((SELECT quantity FROM line), 0::bigint) AS stored,
          $5 AS expected
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
        SELECT (SELECT count(*) FROM op) AS inserted, (SELECT quantity FROM line) AS stored, $5 AS expected
        """
    }
    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
      .collect()
    guard let row = rows.first?.makeRandomAccess() else {
      throw StoreError.engine("the increment answered no row")
    }
    let inserted: Int = try row.decode("inserted")
    let stored: Int? = try row.decode("stored")
    let expected: Int = try row.decode("expected")
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
  func lockCartForChange(id: String, owner: String, on connection: PostgresConnection)
    async throws -> Cart.Status
  {
    let rows = try await connection.query(
      "UPDATE carts SET status = status WHERE id = \(id) AND owner = \(owner) RETURNING status",
      logger: logger
    ).collect()
    guard let row = rows.first?.makeRandomAccess() else { throw StoreError.notFound(what: "cart") }
    return try StoredValue.cartStatus(try row.decode("status"))
  }

  /// The owner's cart priced by `CartPricing` from its lines (ordered by SKU, current prices, effective
  /// tax rates and live stock) and discounts, read in one query.
  func readCart(id: String, owner: String, on connection: PostgresConnection) async throws -> Cart {
    let facts = try await cartFacts(id: id, owner: owner, on: connection)
    return try CartPricing.cart(
      id: id, status: facts.status, lines: facts.lines, discounts: facts.discounts, basis: taxBasis,
      currency: currency)
  }

  /// The owner's cart as pricing needs it, in one query; nil when there is no such cart.
  func cartFactsIfAny(id: String, owner: String, on connection: PostgresConnection) async throws
    -> PostgresCartFacts?
  {
    let rows = try await connection.query(
      """
      SELECT c.status AS cart_status, c.xmin::text AS cart_version,
        (SELECT COALESCE(json_agg(json_build_object(
            'target', d.target, 'percent', d.percent, 'amount', d.amount, 'staff', d.staff_code,
            'approvedBy', d.approved_by)), '[]')::text
          FROM cart_discounts d WHERE d.cart_id = c.id) AS discounts,
        \(unescaped: PostgresRows.checkoutLineColumns.list)
      FROM carts c
      LEFT JOIN cart_lines l ON l.cart_id = c.id
      LEFT JOIN products p ON p.sku = l.sku
      WHERE c.id = \(id) AND c.owner = \(owner)
      ORDER BY l.sku
      """, logger: logger
    ).collect().map { $0.makeRandomAccess() }
    guard let first = rows.first else { return nil }
    return PostgresCartFacts(
      status: try StoredValue.cartStatus(try first.decode("cart_status")),
      version: try first.decode("cart_version"),
      lines: try rows.compactMap(PostgresRows.checkoutLine),
      discounts: try PostgresCartFacts.discounts(json: try first.decode("discounts")))
  }

  func cartFacts(id: String, owner: String, on connection: PostgresConnection) async throws
    -> PostgresCartFacts
  {
    guard let facts = try await cartFactsIfAny(id: id, owner: owner, on: connection) else {
      throw StoreError.notFound(what: "cart")
    }
    return facts
  }
}

/// A cart as one read saw it: its row version (`xmin`), lines and discounts.
struct PostgresCartFacts {
  var status: Cart.Status
  var version: String
  var lines: [CheckoutLine]
  var discounts: [CartDiscount]

  private struct StoredDiscount: Decodable {
    var target: String
    var percent: Int?
    var amount: Int?
    var staff: String
    var approvedBy: String?
  }

  static func discounts(json: String) throws -> [CartDiscount] {
    try JSONDecoder().decode([StoredDiscount].self, from: Data(json.utf8)).map {
      CartDiscount(
        sku: $0.target.isEmpty ? nil : $0.target, percent: $0.percent, amount: $0.amount, staff: $0.staff,
        approvedBy: $0.approvedBy)
    }
  }
}
