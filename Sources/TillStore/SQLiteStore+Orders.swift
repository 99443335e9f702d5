import GRDB
import TillCore

extension SQLiteStore {
  public func placeOrder(
    cartId: String, owner: String, staff: String, idempotencyKey: String, requireSession: Bool
  ) async throws(StoreError) -> OrderPlacement {
    try StoreIdentifiers.checkPlacement(cartId: cartId, owner: owner, key: idempotencyKey)
    try StoreIdentifiers.checkActing(staff)
    let pricing = pricing
    let currency = pricing.currency
    return try await write { db in
      if let recorded = try db.fetchRow(
        "SELECT cart_id, order_id FROM idempotency_keys WHERE owner = ? AND key = ?", [owner, idempotencyKey])
      {
        let orderId = try PlacementRule.replay(
          recordedCartId: try recorded.decode(forColumn: "cart_id"),
          recordedOrderId: try recorded.decode(forColumn: "order_id"), cartId: cartId)
        return OrderPlacement(order: try Self.order(id: orderId, owner: owner, in: db), replayed: true)
      }
      let status = try Self.ownedCartStatus(id: cartId, owner: owner, in: db)
      // The terminal's open register session, if any: the order is counted in its Z report. Under the
      // single writer no close can run between this read and the commit.
      let sessionId: String? = try db.fetchRow(
        "SELECT id FROM register_sessions WHERE owner = ? AND status = 'open'", [owner]
      )?.decode(forColumn: "id")
      try PlacementRule.checkSession(cartStatus: status, required: requireSession, open: sessionId != nil)
      let lines = try Self.checkoutLines(cartId: cartId, in: db)
      let draft = try PlacementRule.decide(
        cartId: cartId, status: status, lines: lines,
        discounts: try Self.cartDiscounts(cartId: cartId, in: db),
        basis: pricing.basis, currency: currency)

      let orderId = StoreIdentifiers.newIdentifier()
      // Per owner, under the single writer: nobody else can take this owner's next number meanwhile.
      let number = try OrderNumbering.next(
        after: try db.fetchInt("SELECT MAX(number) FROM orders WHERE owner = ?", [owner]))
      let createdAt = SQLiteRows.timestamp()
      try db.run(
        """
        INSERT INTO orders (
          id, number, owner, status, total_amount, currency, created_at, cart_id, staff_code, discount_total,
          tax_basis, session_id)
        VALUES (?, ?, ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          orderId, number, owner, draft.total.amount, currency, createdAt, cartId, staff,
          draft.discountTotal.amount, draft.basis.rawValue, sessionId,
        ])
      for (line, orderLine) in zip(lines, draft.lines) {
        // Conditional decrement: even if the check above were wrong, stock never goes below zero.
        let changed = try db.run(
          "UPDATE products SET stock = stock - ?1 WHERE sku = ?2 AND stock >= ?1", [line.quantity, line.sku])
        guard changed == 1 else { throw StoreError.insufficientStock([line.shortage]) }
        try db.run(
          """
          INSERT INTO order_lines (
            order_id, sku, name, quantity, unit_price_amount, line_total_amount, tax_rate, discount_amount,
            net_amount, tax_amount)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            orderId, line.sku, line.name, line.quantity, line.unitPrice, orderLine.lineTotal.amount,
            orderLine.taxRate, orderLine.discount.amount, orderLine.net.amount, orderLine.tax.amount,
          ])
      }
      for tax in draft.taxes {
        try db.run(
          "INSERT INTO order_taxes (order_id, rate, net_amount, tax_amount, gross_amount) VALUES (?, ?, ?, ?, ?)",
          [orderId, tax.rate, tax.net.amount, tax.tax.amount, tax.gross.amount])
      }
      try db.run(
        "INSERT INTO idempotency_keys (owner, key, cart_id, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
        [owner, idempotencyKey, cartId, orderId, createdAt])
      try db.run("UPDATE carts SET status = 'checked_out' WHERE id = ?", [cartId])
      let order = Order(
        id: orderId, number: number, status: .placed, lines: draft.lines, total: draft.total,
        createdAt: createdAt, payment: nil, staff: staff, discountTotal: draft.discountTotal,
        taxes: draft.taxes, taxBasis: draft.basis, sessionId: sessionId)
      return OrderPlacement(order: order, replayed: false)
    }
  }

  public func order(id: String, owner: String) async throws(StoreError) -> Order {
    try StoreIdentifiers.requireNamed("order", id, owner)
    return try await read { db in try Self.order(id: id, owner: owner, in: db) }
  }

  public func orders(owner: String, status: Order.Status?, limit: Int, after: String?)
    async throws(StoreError)
    -> Page<Order>
  {
    guard let paging = KeysetPaging(limit: limit), StoreIdentifiers.canName(owner) else {
      return KeysetPaging.empty()
    }
    var conditions = ["owner = ?"]
    var arguments: StatementArguments = [owner]
    if let status {
      conditions.append("status = ?")
      arguments += [status.rawValue]
    }
    if let after {
      guard let number = KeysetPaging.orderNumber(after: after) else { return KeysetPaging.empty() }
      conditions.append("number < ?")
      arguments += [number]
    }
    arguments += [paging.fetchLimit]
    let sql = """
      SELECT \(Self.orderColumns.list), \(Self.orderFigureColumns.list) FROM orders WHERE \(conditions.joined(separator: " AND "))
      ORDER BY number DESC LIMIT ?
      """
    let orders = try await read { [arguments] db in
      try db.fetchRows(sql, arguments).map { try Self.order(row: $0, in: db) }
    }
    return paging.page(orders) { String($0.number) }
  }

  static let orderColumns = ColumnSet([
    "id", "number", "status", "total_amount", "currency", "created_at", "staff_code", "receipt_number",
    "paid_at", "session_id", "paid_amount",
  ])
  /// The figures checkout captured (read beside `orderColumns`).
  static let orderFigureColumns = ColumnSet(["discount_total", "tax_basis"])
  static let orderLineColumns = ColumnSet([
    "sku", "name", "quantity", "unit_price_amount", "line_total_amount", "tax_rate", "discount_amount",
    "net_amount", "tax_amount",
  ])

  static func order(id: String, owner: String, in db: Database) throws -> Order {
    guard
      let row = try db.fetchRow(
        "SELECT \(orderColumns.list), \(orderFigureColumns.list) FROM orders WHERE id = ? AND owner = ?",
        [id, owner])
    else { throw StoreError.notFound(what: "order") }
    return try order(row: row, in: db)
  }

  /// Decodes an `orderColumns` and `orderFigureColumns` row and reads its lines, its per-rate figures
  /// and its payments: the figures stored at checkout and with each payment, never computed again.
  static func order(row: Row, in db: Database) throws -> Order {
    let id: String = try row.decode(forColumn: "id")
    let currency: String = try row.decode(forColumn: "currency")
    let lines = try db.fetchRows(
      "SELECT \(orderLineColumns.list) FROM order_lines WHERE order_id = ? ORDER BY sku", [id]
    ).map { line in
      let money = { (column: String) throws -> Money in
        Money(amount: try line.decode(forColumn: column), currency: currency)
      }
      return Order.Line(
        sku: try line.decode(forColumn: "sku"), name: try line.decode(forColumn: "name"),
        quantity: try line.decode(forColumn: "quantity"), unitPrice: try money("unit_price_amount"),
        lineTotal: try money("line_total_amount"), taxRate: try line.decode(forColumn: "tax_rate"),
        discount: try money("discount_amount"), net: try money("net_amount"), tax: try money("tax_amount"))
    }
    let taxes = try db.fetchRows(
      "SELECT rate, net_amount, tax_amount, gross_amount FROM order_taxes WHERE order_id = ? ORDER BY rate",
      [id]
    ).map { row in
      TaxTotal(
        rate: try row.decode(forColumn: "rate"),
        net: Money(amount: try row.decode(forColumn: "net_amount"), currency: currency),
        tax: Money(amount: try row.decode(forColumn: "tax_amount"), currency: currency),
        gross: Money(amount: try row.decode(forColumn: "gross_amount"), currency: currency))
    }
    let payments = try payments(orderId: id, in: db)
    var order = Order(
      id: id, number: try row.decode(forColumn: "number"),
      status: try StoredValue.orderStatus(try row.decode(forColumn: "status")), lines: lines,
      total: Money(amount: try row.decode(forColumn: "total_amount"), currency: currency),
      createdAt: try row.decode(forColumn: "created_at"), payment: payments.last,
      staff: try row.decode(forColumn: "staff_code"),
      receiptNumber: try row.decode(forColumn: "receipt_number"),
      paidAt: try row.decode(forColumn: "paid_at"), sessionId: try row.decode(forColumn: "session_id"),
      payments: payments.filter { $0.status != .declined },
      paid: Money(amount: try row.decode(forColumn: "paid_amount"), currency: currency))
    order.discountTotal = Money(amount: try row.decode(forColumn: "discount_total"), currency: currency)
    order.taxes = taxes
    order.taxBasis = try StoredValue.taxBasis(try row.decode(forColumn: "tax_basis"))
    return order
  }

  /// Every payment attempt of the order, by attempt number (the latest last).
  static func payments(orderId: String, in db: Database) throws -> [Payment] {
    try db.fetchRows(
      "SELECT \(SQLiteRows.paymentColumns.list) FROM payments WHERE order_id = ? ORDER BY attempt", [orderId]
    ).compactMap { try SQLiteRows.payment($0) }
  }
}
