import PostgresNIO
import TillCore

extension PostgresStore {
  public func placeOrder(cartId: String, owner: String, idempotencyKey: String) async throws(StoreError)
    -> OrderPlacement
  {
    guard !cartId.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "cart") }
    guard !idempotencyKey.containsNUL else { throw StoreError.idempotencyKeyReused }
    return try await transaction { connection in
      // The key row first, under its primary key: a concurrent request with the same key waits here
      // until this transaction ends, then finds the finished order (or, after a rollback, goes on).
      if let previous = try await claimKey(idempotencyKey, owner: owner, cartId: cartId, on: connection) {
        guard previous.cartId == cartId else { throw StoreError.idempotencyKeyReused }
        guard let orderId = previous.orderId else { throw StoreError.requestInFlight }
        return OrderPlacement(
          order: try await readOrder(id: orderId, owner: owner, on: connection), replayed: true)
      }
      // Cart first, then its products in SKU order: every checkout takes locks in the same order,
      // so two checkouts sharing products queue instead of deadlocking.
      guard try await lockCart(id: cartId, owner: owner, strength: "UPDATE", on: connection) == .open else {
        throw StoreError.cartClosed
      }
      let lines = try await lockLines(cartId: cartId, on: connection)
      guard let currency = lines.first?.currency else { throw StoreError.emptyCart }
      // Every short line is reported, not just the first, so the cashier can fix the cart at once.
      let shortages = lines.filter { $0.quantity > $0.stock }.map {
        Shortage(sku: $0.sku, requested: $0.quantity, available: $0.stock)
      }
      guard shortages.isEmpty else { throw StoreError.insufficientStock(shortages) }
      return OrderPlacement(
        order: try await writeOrder(
          lines, currency: currency, cartId: cartId, owner: owner, key: idempotencyKey, on: connection),
        replayed: false)
    }
  }

  /// Inserts the key row; nil when this request now owns the key, else the row already there.
  private func claimKey(_ key: String, owner: String, cartId: String, on connection: PostgresConnection)
    async throws -> (cartId: String, orderId: String?)?
  {
    let claimed = try await connection.query(
      """
      INSERT INTO idempotency_keys (owner, key, cart_id) VALUES (\(owner), \(key), \(cartId))
      ON CONFLICT DO NOTHING RETURNING 1
      """, logger: logger
    ).collect()
    guard claimed.isEmpty else { return nil }
    // A new statement, so a new snapshot: it sees the row whose commit the insert waited for.
    let rows = try await connection.query(
      "SELECT cart_id, order_id FROM idempotency_keys WHERE owner = \(owner) AND key = \(key)", logger: logger
    ).collect()
    guard let row = rows.first else { throw StoreError.requestInFlight }
    let (previousCart, orderId) = try row.decode((String, String?).self)
    return (previousCart, orderId)
  }

  /// The cart's lines joined with their products, the product rows locked in SKU order.
  private func lockLines(cartId: String, on connection: PostgresConnection) async throws -> [CheckoutLine] {
    try await connection.query(
      """
      SELECT l.sku, p.name, l.quantity, p.price_amount, p.currency, p.stock
      FROM cart_lines l JOIN products p ON p.sku = l.sku
      WHERE l.cart_id = \(cartId)
      ORDER BY p.sku
      FOR UPDATE OF p
      """, logger: logger
    ).collect().map { row in
      let (sku, name, quantity, unitPrice, currency, stock) = try row.decode(
        (String, String, Int, Int, String, Int).self)
      return CheckoutLine(
        sku: sku, name: name, quantity: quantity, unitPrice: unitPrice, currency: currency, stock: stock)
    }
  }

  /// One statement: conditional decrements, the order with its number from the sequence, its lines
  /// with captured prices, the closed cart and the finished key row.
  private func writeOrder(
    _ lines: [CheckoutLine], currency: String, cartId: String, owner: String, key: String,
    on connection: PostgresConnection
  ) async throws -> Order {
    let orderId = PostgresRows.newIdentifier()
    let total = lines.reduce(0) { $0 + $1.lineTotal }
    let rows = try await connection.query(
      """
      WITH decremented AS (
        UPDATE products p SET stock = p.stock - d.quantity
        FROM unnest(\(lines.map(\.sku))::text[], \(lines.map(\.quantity))::bigint[]) AS d (sku, quantity)
        WHERE p.sku = d.sku AND p.stock >= d.quantity
        RETURNING p.sku
      ), placed AS (
        INSERT INTO orders (id, number, owner, status, total_amount, currency, cart_id)
        SELECT \(orderId), nextval('order_numbers'), \(owner), 'placed', \(total), \(currency), \(cartId)
        WHERE (SELECT count(*) FROM decremented) = \(lines.count)
        RETURNING number, created_at
      ), written_lines AS (
        INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_amount, line_total_amount)
        SELECT \(orderId), w.* FROM unnest(
          \(lines.map(\.sku))::text[], \(lines.map(\.name))::text[], \(lines.map(\.quantity))::bigint[],
          \(lines.map(\.unitPrice))::bigint[], \(lines.map(\.lineTotal))::bigint[]) AS w
        WHERE EXISTS (SELECT 1 FROM placed)
      ), closed AS (
        UPDATE carts SET status = 'checked_out' WHERE id = \(cartId) AND EXISTS (SELECT 1 FROM placed)
      ), finished_key AS (
        UPDATE idempotency_keys SET order_id = \(orderId)
        WHERE owner = \(owner) AND key = \(key) AND EXISTS (SELECT 1 FROM placed)
      )
      SELECT number, \(unescaped: PostgresRows.timestamp("created_at")) FROM placed
      """, logger: logger
    ).collect()
    // Under the row locks this cannot happen; if it ever did, throwing rolls every decrement back.
    guard let row = rows.first else {
      throw StoreError.engine("stock changed under the checkout lock of cart \(cartId)")
    }
    let (number, createdAt) = try row.decode((Int, String).self)
    return Order(
      id: orderId, number: number, status: .placed,
      lines: lines.map {
        Order.Line(
          sku: $0.sku, name: $0.name, quantity: $0.quantity,
          unitPrice: Money(amount: $0.unitPrice, currency: currency),
          lineTotal: Money(amount: $0.lineTotal, currency: currency))
      },
      total: Money(amount: total, currency: currency), createdAt: createdAt, payment: nil)
  }

  public func order(id: String, owner: String) async throws(StoreError) -> Order {
    guard !id.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "order") }
    return try await withConnection { connection in
      try await readOrder(id: id, owner: owner, on: connection)
    }
  }

  public func orders(owner: String, status: Order.Status?, limit: Int, after: String?)
    async throws(StoreError)
    -> Page<Order>
  {
    let limit = max(0, limit)
    guard limit > 0, !owner.containsNUL else { return Page(items: [], next: nil) }
    var conditions = ["owner = $1"]
    var binds = PostgresBindings()
    binds.append(owner)
    if let status {
      binds.append(status.rawValue)
      conditions.append("status = $\(binds.count)")
    }
    if let after {
      // The server validates cursors; a cursor that is not a number simply has nothing after it.
      guard let number = Int(after) else { return Page(items: [], next: nil) }
      binds.append(number)
      conditions.append("number < $\(binds.count)")
    }
    binds.append(limit + 1)
    let sql = """
      SELECT \(Self.orderColumns) FROM orders WHERE \(conditions.joined(separator: " AND "))
      ORDER BY number DESC LIMIT $\(binds.count)
      """
    let orders = try await withConnection { [binds] connection in
      let heads = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        .collect().map(OrderHead.init)
      // All lines of the page in one query rather than one per order.
      let lineRows = try await connection.query(
        """
        SELECT \(unescaped: Self.lineColumns) FROM order_lines
        WHERE order_id = ANY(\(heads.map(\.id))::text[]) ORDER BY order_id, sku
        """, logger: logger
      ).collect()
      var linesByOrder: [String: [PostgresRow]] = [:]
      for row in lineRows { linesByOrder[try row.decode(String.self), default: []].append(row) }
      // And the latest payment attempt of each.
      let paymentRows = try await connection.query(
        """
        SELECT DISTINCT ON (order_id) \(unescaped: PostgresRows.paymentColumns) FROM payments
        WHERE order_id = ANY(\(heads.map(\.id))::text[]) ORDER BY order_id, attempt DESC
        """, logger: logger
      ).collect()
      var paymentByOrder: [String: Payment] = [:]
      for row in paymentRows {
        if let payment = try PostgresRows.payment(row) { paymentByOrder[payment.orderId] = payment }
      }
      return try heads.map { try $0.order(lines: linesByOrder[$0.id] ?? [], payment: paymentByOrder[$0.id]) }
    }
    let items = Array(orders.prefix(limit))
    return Page(items: items, next: orders.count > limit ? items.last.map { String($0.number) } : nil)
  }

  static let orderColumns = orderColumns(qualifiedBy: "")
  static let lineColumns = lineColumns(qualifiedBy: "")

  static func orderColumns(qualifiedBy table: String) -> String {
    let prefix = table.isEmpty ? "" : table + "."
    return ["id", "number", "status", "total_amount", "currency"].map { prefix + $0 }.joined(separator: ", ")
      + ", " + PostgresRows.timestamp(prefix + "created_at")
  }

  static func lineColumns(qualifiedBy table: String) -> String {
    let prefix = table.isEmpty ? "" : table + "."
    return ["order_id", "sku", "name", "quantity", "unit_price_amount", "line_total_amount"]
      .map { prefix + $0 }.joined(separator: ", ")
  }

  /// The owner's order, its lines and its latest payment attempt in one query.
  func readOrder(id: String, owner: String, on connection: PostgresConnection) async throws -> Order {
    let paymentColumns = PostgresRows.paymentColumns.split(separator: ",")
      .map { "pay." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
    let rows = try await connection.query(
      """
      SELECT \(unescaped: Self.orderColumns(qualifiedBy: "o")), \(unescaped: Self.lineColumns(qualifiedBy: "l")),
        \(unescaped: paymentColumns)
      FROM orders o JOIN order_lines l ON l.order_id = o.id
      LEFT JOIN LATERAL (
        SELECT * FROM payments p WHERE p.order_id = o.id ORDER BY p.attempt DESC LIMIT 1
      ) pay ON true
      WHERE o.id = \(id) AND o.owner = \(owner)
      ORDER BY l.sku
      """, logger: logger
    ).collect()
    guard let first = rows.first else { throw StoreError.notFound(what: "order") }
    return try OrderHead(first).order(
      lines: rows, lineOffset: 6, payment: PostgresRows.payment(first, offset: 12))
  }
}

/// The order row without its lines, decoded from `orderColumns`.
private struct OrderHead {
  var id: String
  var number: Int
  var status: Order.Status
  var total: Int
  var currency: String
  var createdAt: String

  init(_ row: PostgresRow) throws {
    let (id, number, status, total, currency, createdAt) = try row.decode(
      (String, Int, String, Int, String, String).self)
    guard let status = Order.Status(rawValue: status) else {
      throw StoreError.engine("order \(id) has an unknown status")
    }
    self.id = id
    self.number = number
    self.status = status
    self.total = total
    self.currency = currency
    self.createdAt = createdAt
  }

  /// `lines` hold `lineColumns` starting at column `lineOffset`.
  func order(lines: [PostgresRow], lineOffset: Int = 0, payment: Payment?) throws -> Order {
    let decoded = try lines.map { row in
      let cells = Array(row)
      let (sku, name, quantity) = (
        try cells[lineOffset + 1].decode(String.self), try cells[lineOffset + 2].decode(String.self),
        try cells[lineOffset + 3].decode(Int.self)
      )
      let (unitPrice, lineTotal) = (
        try cells[lineOffset + 4].decode(Int.self), try cells[lineOffset + 5].decode(Int.self)
      )
      return Order.Line(
        sku: sku, name: name, quantity: quantity, unitPrice: Money(amount: unitPrice, currency: currency),
        lineTotal: Money(amount: lineTotal, currency: currency))
    }
    return Order(
      id: id, number: number, status: status, lines: decoded, total: Money(amount: total, currency: currency),
      createdAt: createdAt, payment: payment)
  }
}

/// One cart line joined with its product, as read under the checkout lock.
private struct CheckoutLine {
  var sku: String
  var name: String
  var quantity: Int
  var unitPrice: Int
  var currency: String
  var stock: Int
  var lineTotal: Int { quantity * unitPrice }
}
