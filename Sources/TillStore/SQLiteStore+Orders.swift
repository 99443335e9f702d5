import GRDB
import TillCore

extension SQLiteStore {
  public func placeOrder(cartId: String, owner: String, idempotencyKey: String) async throws(StoreError)
    -> OrderPlacement
  {
    let currency = currency
    return try await write { db in
      // The key first: a replay must answer the order even though the cart is closed by now.
      if let previous = try db.fetchRow(
        "SELECT cart_id, order_id FROM idempotency_keys WHERE owner = ? AND key = ?", [owner, idempotencyKey])
      {
        guard previous[0] == cartId else { throw StoreError.idempotencyKeyReused }
        return OrderPlacement(order: try Self.order(id: previous[1], owner: owner, in: db), replayed: true)
      }
      guard try Self.ownedCartStatus(id: cartId, owner: owner, in: db) == .open else {
        throw StoreError.cartClosed
      }
      let lines = try db.fetchRows(
        """
        SELECT l.sku, p.name, l.quantity, p.price_amount, p.currency, p.stock
        FROM cart_lines l JOIN products p ON p.sku = l.sku
        WHERE l.cart_id = ? ORDER BY l.sku
        """, [cartId]
      ).map(CheckoutLine.init)
      guard !lines.isEmpty else { throw StoreError.emptyCart }
      // Every short line is reported, not just the first, so the cashier can fix the cart at once.
      let shortages = lines.filter(\.isShort).map(\.shortage)
      guard shortages.isEmpty else { throw StoreError.insufficientStock(shortages) }
      let orderLines = try lines.map { line throws(StoreError) in try line.orderLine(in: currency) }
      let total = try CheckoutLine.total(
        of: orderLines.map(\.lineTotal), in: currency, what: "the order of cart \(cartId)")

      let orderId = SQLiteRows.newIdentifier()
      let number = try db.fetchInt("SELECT COALESCE(MAX(number), 0) + 1 FROM orders") ?? 1
      let createdAt = SQLiteRows.timestamp()
      try db.run(
        """
        INSERT INTO orders (id, number, owner, status, total_amount, currency, created_at, cart_id)
        VALUES (?, ?, ?, 'placed', ?, ?, ?, ?)
        """,
        [orderId, number, owner, total.amount, currency, createdAt, cartId])
      for (line, orderLine) in zip(lines, orderLines) {
        // Conditional decrement: even if the check above were wrong, stock never goes below zero.
        let changed = try db.run(
          "UPDATE products SET stock = stock - ?1 WHERE sku = ?2 AND stock >= ?1", [line.quantity, line.sku])
        guard changed == 1 else {
          throw StoreError.insufficientStock([line.shortage])
        }
        try db.run(
          """
          INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
          [orderId, line.sku, line.name, line.quantity, line.unitPrice, orderLine.lineTotal.amount])
      }
      try db.run(
        "INSERT INTO idempotency_keys (owner, key, cart_id, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
        [owner, idempotencyKey, cartId, orderId, createdAt])
      try db.run("UPDATE carts SET status = 'checked_out' WHERE id = ?", [cartId])
      let order = Order(
        id: orderId, number: number, status: .placed,
        lines: orderLines, total: total, createdAt: createdAt, payment: nil)
      return OrderPlacement(order: order, replayed: false)
    }
  }

  public func order(id: String, owner: String) async throws(StoreError) -> Order {
    try await read { db in try Self.order(id: id, owner: owner, in: db) }
  }

  public func orders(owner: String, status: Order.Status?, limit: Int, after: String?)
    async throws(StoreError)
    -> Page<Order>
  {
    let limit = max(0, limit)
    guard limit > 0 else { return Page(items: [], next: nil) }
    var conditions = ["owner = ?"]
    var arguments: StatementArguments = [owner]
    if let status {
      conditions.append("status = ?")
      arguments += [status.rawValue]
    }
    if let after {
      // The server validates cursors; a cursor that is not a number simply has nothing after it.
      guard let number = Int(after) else { return Page(items: [], next: nil) }
      conditions.append("number < ?")
      arguments += [number]
    }
    arguments += [limit + 1]
    let sql = """
      SELECT \(Self.orderColumns) FROM orders WHERE \(conditions.joined(separator: " AND "))
      ORDER BY number DESC LIMIT ?
      """
    let orders = try await read { [arguments] db in
      try db.fetchRows(sql, arguments).map { try Self.order(row: $0, in: db) }
    }
    let items = Array(orders.prefix(limit))
    return Page(items: items, next: orders.count > limit ? items.last.map { String($0.number) } : nil)
  }

  static let orderColumns = "id, number, status, total_amount, currency, created_at"

  static func order(id: String, owner: String, in db: Database) throws -> Order {
    guard
      let row = try db.fetchRow("SELECT \(orderColumns) FROM orders WHERE id = ? AND owner = ?", [id, owner])
    else { throw StoreError.notFound(what: "order") }
    return try order(row: row, in: db)
  }

  /// Decodes an `orderColumns` row and reads its lines.
  static func order(row: Row, in db: Database) throws -> Order {
    let id: String = row[0]
    let currency: String = row[4]
    guard let status = Order.Status(rawValue: row[2]) else {
      throw StoreError.engine("order \(id) has an unknown status")
    }
    let lines = try db.fetchRows(
      """
      SELECT sku, name, quantity, unit_price_amount, line_total_amount
      FROM order_lines WHERE order_id = ? ORDER BY sku
      """, [id]
    ).map {
      Order.Line(
        sku: $0[0], name: $0[1], quantity: $0[2], unitPrice: Money(amount: $0[3], currency: currency),
        lineTotal: Money(amount: $0[4], currency: currency))
    }
    return Order(
      id: id, number: row[1], status: status, lines: lines, total: Money(amount: row[3], currency: currency),
      createdAt: row[5], payment: try latestPayment(orderId: id, in: db))
  }

  /// The order's latest payment attempt (the highest attempt number), if any.
  static func latestPayment(orderId: String, in db: Database) throws -> Payment? {
    try db.fetchRow(
      "SELECT \(SQLiteRows.paymentColumns) FROM payments WHERE order_id = ? ORDER BY attempt DESC LIMIT 1",
      [orderId]
    ).map(SQLiteRows.payment)
  }
}
