import GRDB
import TillCore

extension SQLiteStore {
  public func createCart(owner: String) async throws(StoreError) -> Cart {
    let id = SQLiteRows.newIdentifier()
    _ = try await write { db in
      try db.run(
        "INSERT INTO carts (id, owner, status, created_at) VALUES (?, ?, 'open', ?)",
        [id, owner, SQLiteRows.timestamp()])
    }
    return Cart(id: id, status: .open, lines: [], total: .zero(currency))
  }

  public func cart(id: String, owner: String) async throws(StoreError) -> Cart {
    let currency = currency
    return try await read { db in
      let status = try Self.ownedCartStatus(id: id, owner: owner, in: db)
      return try Self.cart(id: id, status: status, currency: currency, in: db)
    }
  }

  public func applyIncrement(_ increment: IncrementRequest, cartId: String, owner: String)
    async throws(StoreError) -> Cart
  {
    let currency = currency
    return try await write { db in
      let status = try Self.ownedCartStatus(id: cartId, owner: owner, in: db)
      // A retried op answers the current cart, even after checkout; reusing its id for
      // another change is refused.
      if let applied = try db.fetchRow(
        "SELECT sku, delta FROM applied_ops WHERE cart_id = ? AND op_id = ?", [cartId, increment.opId])
      {
        guard applied[0] == increment.sku, applied[1] == increment.delta else {
          throw StoreError.operationReused(opId: increment.opId)
        }
        return try Self.cart(id: cartId, status: status, currency: currency, in: db)
      }
      guard status == .open else { throw StoreError.cartClosed }
      guard try db.fetchInt("SELECT 1 FROM products WHERE sku = ?", [increment.sku]) != nil else {
        throw StoreError.notFound(what: "product")
      }
      let current =
        try db.fetchInt(
          "SELECT quantity FROM cart_lines WHERE cart_id = ? AND sku = ?", [cartId, increment.sku])
        ?? 0
      let quantity = Self.quantity(current, adding: increment.delta)
      guard quantity <= Limits.maxLineQuantity else {
        throw StoreError.quantityLimit(sku: increment.sku, limit: Limits.maxLineQuantity)
      }
      if quantity == 0 {
        try db.run("DELETE FROM cart_lines WHERE cart_id = ? AND sku = ?", [cartId, increment.sku])
      } else {
        if current == 0 {
          let lines = try db.fetchInt("SELECT COUNT(*) FROM cart_lines WHERE cart_id = ?", [cartId]) ?? 0
          guard lines < Limits.maxCartLines else {
            throw StoreError.cartLineLimit(limit: Limits.maxCartLines)
          }
        }
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
      return try Self.cart(id: cartId, status: .open, currency: currency, in: db)
    }
  }

  /// `max(0, current + delta)` without trapping on an absurd delta (the server bounds it; this
  /// keeps the store safe on its own).
  static func quantity(_ current: Int, adding delta: Int) -> Int {
    let (sum, overflow) = current.addingReportingOverflow(delta)
    if overflow { return delta > 0 ? Int.max : 0 }
    return max(0, sum)
  }

  /// The cart's status when it exists and belongs to `owner`; someone else's cart is "not found",
  /// so its existence is not revealed.
  static func ownedCartStatus(id: String, owner: String, in db: Database) throws -> Cart.Status {
    guard let row = try db.fetchRow("SELECT owner, status FROM carts WHERE id = ?", [id]),
      row[0] == owner
    else { throw StoreError.notFound(what: "cart") }
    guard let status = Cart.Status(rawValue: row[1]) else {
      throw StoreError.engine("cart \(id) has an unknown status")
    }
    return status
  }

  /// The cart's lines ordered by SKU, with current prices and live stock, totalled in `currency`.
  static func cart(id: String, status: Cart.Status, currency: String, in db: Database) throws -> Cart {
    let lines = try db.fetchRows(
      """
      SELECT l.sku, p.name, l.quantity, p.price_amount, p.currency, p.stock
      FROM cart_lines l JOIN products p ON p.sku = l.sku
      WHERE l.cart_id = ? ORDER BY l.sku
      """, [id]
    ).map(CheckoutLine.init)
    return try CheckoutLine.cart(id: id, status: status, lines: lines, shopCurrency: currency)
  }
}
