import GRDB
import TillCore

extension SQLiteStore {
  public func createCart(owner: String, staff: String) async throws(StoreError) -> Cart {
    try StoreIdentifiers.checkNewOwner(owner)
    try StoreIdentifiers.checkActing(staff)
    let id = StoreIdentifiers.newIdentifier()
    _ = try await write { db in
      try db.run(
        "INSERT INTO carts (id, owner, status, created_at, staff_code) VALUES (?, ?, 'open', ?, ?)",
        [id, owner, SQLiteRows.timestamp(), staff])
    }
    return Cart(id: id, status: .open, lines: [], total: .zero(currency))
  }

  public func cart(id: String, owner: String) async throws(StoreError) -> Cart {
    try StoreIdentifiers.requireNamed("cart", id, owner)
    let pricing = pricing
    return try await read { db in
      let status = try Self.ownedCartStatus(id: id, owner: owner, in: db)
      return try Self.cart(id: id, status: status, pricing: pricing, in: db)
    }
  }

  public func applyIncrement(_ increment: IncrementRequest, cartId: String, owner: String)
    async throws(StoreError) -> Cart
  {
    try StoreIdentifiers.checkIncrement(increment, cartId: cartId, owner: owner)
    let pricing = pricing
    let (cart, replayed) = try await write { db in
      // The writer queue runs one write at a time, so the facts hold until this write ends.
      let facts = try Self.incrementFacts(increment, cartId: cartId, owner: owner, in: db)
      switch try IncrementRule.decide(increment, facts: facts) {
      case .replay:
        return (try Self.cart(id: cartId, status: facts.cartStatus, pricing: pricing, in: db), true)
      case .apply(let quantity):
        if quantity == 0 {
          try db.run("DELETE FROM cart_lines WHERE cart_id = ? AND sku = ?", [cartId, increment.sku])
          // A line taken out takes its discount with it: scanned again, it starts undiscounted.
          try db.run("DELETE FROM cart_discounts WHERE cart_id = ? AND target = ?", [cartId, increment.sku])
        } else {
          try db.run(
            """
            INSERT INTO cart_lines (cart_id, sku, quantity) VALUES (?, ?, ?)
            ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity
            """,
            [cartId, increment.sku, quantity])
        }
        try db.run(
          "INSERT INTO applied_ops (cart_id, op_id, sku, delta) VALUES (?, ?, ?, ?)",
          [cartId, increment.opId, increment.sku, increment.delta])
        return (try Self.cart(id: cartId, status: .open, pricing: pricing, in: db), false)
      }
    }
    // Counted once committed (`write` returns after the commit).
    counterBox.increment(replayed: replayed)
    return cart
  }

  /// Everything `IncrementRule` decides on, in one statement. Someone else's cart is "not found",
  /// so its existence is not revealed.
  private static func incrementFacts(
    _ increment: IncrementRequest, cartId: String, owner: String, in db: Database
  ) throws -> IncrementFacts {
    guard
      let row = try db.fetchRow(
        """
        SELECT c.status AS cart_status, o.sku AS applied_sku, o.delta AS applied_delta,
          EXISTS (SELECT 1 FROM products WHERE sku = ?3) AS product_exists,
          (SELECT quantity FROM cart_lines WHERE cart_id = ?1 AND sku = ?3) AS current_quantity,
          (SELECT count(*) FROM cart_lines WHERE cart_id = ?1) AS line_count
        FROM carts c LEFT JOIN applied_ops o ON o.cart_id = c.id AND o.op_id = ?4
        WHERE c.id = ?1 AND c.owner = ?2
        """, [cartId, owner, increment.sku, increment.opId])
    else { throw StoreError.notFound(what: "cart") }
    let appliedSKU: String? = try row.decode(forColumn: "applied_sku")
    let appliedDelta: Int? = try row.decode(forColumn: "applied_delta")
    let current: Int? = try row.decode(forColumn: "current_quantity")
    return IncrementFacts(
      cartStatus: try StoredValue.cartStatus(try row.decode(forColumn: "cart_status")),
      applied: appliedSKU.flatMap { sku in appliedDelta.map { .init(sku: sku, delta: $0) } },
      productExists: try row.decode(forColumn: "product_exists"), currentQuantity: current ?? 0,
      lineCount: try row.decode(forColumn: "line_count"))
  }

  /// The cart's status when it exists and belongs to `owner`; someone else's cart is "not found",
  /// so its existence is not revealed.
  static func ownedCartStatus(id: String, owner: String, in db: Database) throws -> Cart.Status {
    guard let row = try db.fetchRow("SELECT status FROM carts WHERE id = ? AND owner = ?", [id, owner]) else {
      throw StoreError.notFound(what: "cart")
    }
    return try StoredValue.cartStatus(try row.decode(forColumn: "status"))
  }

  /// The cart's lines ordered by SKU, with current prices and live stock.
  static func checkoutLines(cartId: String, in db: Database) throws -> [CheckoutLine] {
    try db.fetchRows(
      """
      SELECT \(SQLiteRows.checkoutLineColumns.list)
      FROM cart_lines l JOIN products p ON p.sku = l.sku
      WHERE l.cart_id = ? ORDER BY l.sku
      """, [cartId]
    ).map(SQLiteRows.checkoutLine)
  }

  /// The cart's discounts, as stored (`target` '' is the order's).
  static func cartDiscounts(cartId: String, in db: Database) throws -> [CartDiscount] {
    try db.fetchRows(
      "SELECT target, percent, amount, staff_code, approved_by FROM cart_discounts WHERE cart_id = ?",
      [cartId]
    ).map { row in
      let target: String = try row.decode(forColumn: "target")
      return CartDiscount(
        sku: target.isEmpty ? nil : target, percent: try row.decode(forColumn: "percent"),
        amount: try row.decode(forColumn: "amount"), staff: try row.decode(forColumn: "staff_code"),
        approvedBy: try row.decode(forColumn: "approved_by"))
    }
  }

  /// The cart with its lines and discounts, priced by `CartPricing`.
  static func cart(id: String, status: Cart.Status, pricing: ShopPricing, in db: Database) throws -> Cart {
    try CartPricing.cart(
      id: id, status: status, lines: try checkoutLines(cartId: id, in: db),
      discounts: try cartDiscounts(cartId: id, in: db), basis: pricing.basis, currency: pricing.currency)
  }
}
