import PostgresNIO
import TillCore

extension PostgresStore {
  public func placeOrder(cartId: String, owner: String, idempotencyKey: String) async throws(StoreError)
    -> OrderPlacement
  {
    guard !cartId.containsNUL, !owner.containsNUL else { throw StoreError.notFound(what: "cart") }
    guard !idempotencyKey.containsNUL else { throw StoreError.idempotencyKeyReused }
    let statement = PlaceOrderStatement(
      cartId: cartId, owner: owner, key: idempotencyKey, orderId: PostgresRows.newIdentifier(),
      currency: currency)
    for attempt in 1...Self.maxAttempts {
      let outcome: OrderOutcome
      if attempt == 1 {
        // The common case: one round trip, the statement its own transaction.
        outcome = try await runAlone(statement)
      } else {
        // The cart changed under the first run, or the key was taken meanwhile. Locking the cart first,
        // in a transaction, makes the statement's snapshot start after every earlier change of the cart,
        // so a steady stream of increments cannot make it retry forever.
        outcome = try await transaction { connection in
          try await connection.query(
            "SELECT 1 FROM carts WHERE id = \(cartId) AND owner = \(owner) FOR UPDATE", logger: self.logger)
          let rows = try await Self.rows(of: connection.execute(statement, logger: self.logger))
          return try statement.outcome(of: rows)
        }
      }
      switch outcome {
      case .placed(let order):
        return OrderPlacement(order: order, replayed: false)
      case .knownKey(let previousCart, let orderId):
        guard previousCart == cartId else { throw StoreError.idempotencyKeyReused }
        // The key row and its order commit together, so a visible key without an order is not expected.
        guard let orderId else { throw StoreError.requestInFlight }
        let order = try await withConnection { connection in
          try await self.readOrder(id: orderId, owner: owner, on: connection)
        }
        return OrderPlacement(order: order, replayed: true)
      case .retry:
        continue
      }
    }
    throw StoreError.engine("the order for cart \(cartId) kept racing with changes to the cart")
  }

  /// Every decoded row of a prepared statement's answer.
  static func rows<Rows: AsyncSequence>(of sequence: Rows) async throws -> [Rows.Element] {
    var rows: [Rows.Element] = []
    for try await row in sequence { rows.append(row) }
    return rows
  }

  /// One run of the order statement outside an explicit transaction; a deadlock or serialization
  /// failure (not expected: locks are taken in one order) is retried like a transaction's.
  private func runAlone(_ statement: PlaceOrderStatement) async throws(StoreError) -> OrderOutcome {
    var attempt = 1
    while true {
      do {
        let rows = try await Self.rows(of: client.execute(statement, logger: logger))
        return try statement.outcome(of: rows)
      } catch {
        if Self.isRetryable(error), attempt < Self.maxAttempts {
          attempt += 1
          try? await Task.sleep(for: .milliseconds(Int.random(in: 1...5) * attempt))
          continue
        }
        throw Self.storeError(error)
      }
    }
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
