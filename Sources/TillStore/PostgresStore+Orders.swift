import PostgresNIO
import TillCore

extension PostgresStore {
  public func placeOrder(
    cartId: String, owner: String, staff: String, idempotencyKey: String, requireSession: Bool
  ) async throws(StoreError) -> OrderPlacement {
    try StoreIdentifiers.checkPlacement(cartId: cartId, owner: owner, key: idempotencyKey)
    try StoreIdentifiers.checkActing(staff)
    let placement = OrderRequest(
      cartId: cartId, owner: owner, key: idempotencyKey, orderId: StoreIdentifiers.newIdentifier(),
      staff: staff, requireSession: requireSession)
    for attempt in 1...Self.maxAttempts {
      let outcome: OrderOutcome
      if attempt == 1 {
        // The common case: the cart read and priced, then the statement as its own transaction.
        outcome = try await runAlone(placement)
      } else {
        // The cart changed under the first run, or the key was taken meanwhile. Locking the cart first,
        // in a transaction, makes the cart read and the statement's snapshot start after every earlier
        // change of the cart, so a steady stream of increments cannot make it retry forever.
        outcome = try await transaction(retryingAlso: Self.isStockCheckViolation) { connection in
          try await connection.query(
            "SELECT 1 FROM carts WHERE id = \(cartId) AND owner = \(owner) FOR UPDATE", logger: self.logger)
          let statement = try await self.pricedStatement(placement, on: connection)
          let rows = try await Self.rows(of: connection.execute(statement, logger: self.logger))
          return try statement.outcome(of: rows)
        }
      }
      switch outcome {
      case .placed(let order):
        return OrderPlacement(order: order, replayed: false)
      case .knownKey(let recordedCart, let recordedOrder):
        let orderId = try PlacementRule.replay(
          recordedCartId: recordedCart, recordedOrderId: recordedOrder, cartId: cartId)
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

  /// The order statement for `placement` with the cart's figures: the cart read without locks (its
  /// version, lines and discounts, products' prices and effective tax rates) and priced by `CartPricing`;
  /// the statement checks under its locks that they still hold. A missing cart prices as empty (the
  /// statement then answers a known key or "not found").
  func pricedStatement(_ placement: OrderRequest, on connection: PostgresConnection) async throws
    -> PlaceOrderStatement
  {
    let facts = try await cartFactsIfAny(id: placement.cartId, owner: placement.owner, on: connection)
    let draft = try CartPricing.draft(
      cartId: placement.cartId, lines: facts?.lines ?? [], discounts: facts?.discounts ?? [], basis: taxBasis,
      currency: currency)
    return PlaceOrderStatement(
      cartId: placement.cartId, owner: placement.owner, key: placement.key, orderId: placement.orderId,
      currency: currency, staff: placement.staff, requireSession: placement.requireSession,
      cartVersion: facts?.version ?? "",
      discounts: facts?.discounts ?? [], draft: draft)
  }

  /// One run of the order statement outside an explicit transaction; a deadlock or serialization
  /// failure (not expected: locks are taken in one order) is retried like a transaction's, and so is the
  /// stock constraint stopping the statement (seen once in hundreds of thousands of orders while servers
  /// were being killed under load): nothing was written, and the next run decides on fresh rows.
  private func runAlone(_ placement: OrderRequest) async throws(StoreError) -> OrderOutcome {
    var attempt = 1
    while true {
      do {
        return try await leases.lease {
          try await client.withConnection { connection in
            let statement = try await self.pricedStatement(placement, on: connection)
            let rows = try await Self.rows(of: connection.execute(statement, logger: self.logger))
            return try statement.outcome(of: rows)
          }
        }
      } catch {
        if Self.isRetryable(error) || Self.isStockCheckViolation(error), attempt < Self.maxAttempts {
          if Self.isStockCheckViolation(error) {
            logger.warning("the stock constraint stopped an order statement; running it again")
          }
          attempt += 1
          try? await Task.sleep(for: .milliseconds(Int.random(in: 1...5) * attempt))
          continue
        }
        throw Self.storeError(error)
      }
    }
  }

  public func order(id: String, owner: String) async throws(StoreError) -> Order {
    try StoreIdentifiers.requireNamed("order", id, owner)
    return try await withConnection { connection in
      try await readOrder(id: id, owner: owner, on: connection)
    }
  }

  public func orders(owner: String, status: Order.Status?, limit: Int, after: String?)
    async throws(StoreError)
    -> Page<Order>
  {
    guard let paging = KeysetPaging(limit: limit), StoreIdentifiers.canName(owner) else {
      return KeysetPaging.empty()
    }
    var conditions = ["owner = $1"]
    var binds = PostgresBindings()
    binds.append(owner)
    if let status {
      binds.append(status.rawValue)
      conditions.append("status = $\(binds.count)")
    }
    if let after {
      guard let number = KeysetPaging.orderNumber(after: after) else { return KeysetPaging.empty() }
      binds.append(number)
      conditions.append("number < $\(binds.count)")
    }
    binds.append(paging.fetchLimit)
    let sql = """
      SELECT \(Self.orderColumns.list), \(Self.orderFigureColumns.select(from: "orders")) FROM orders WHERE \(conditions.joined(separator: " AND "))
      ORDER BY number DESC LIMIT $\(binds.count)
      """
    let orders = try await withConnection { [binds] connection in
      let heads = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        .collect().map { try OrderHead($0.makeRandomAccess()) }
      // All lines of the page in one query rather than one per order.
      let lineRows = try await connection.query(
        """
        SELECT \(unescaped: Self.lineColumns.list) FROM order_lines
        WHERE order_id = ANY(\(heads.map(\.id))::text[]) ORDER BY order_id, sku
        """, logger: logger
      ).collect().map { $0.makeRandomAccess() }
      var linesByOrder: [String: [PostgresRandomAccessRow]] = [:]
      for row in lineRows { linesByOrder[try row.decode("order_id"), default: []].append(row) }
      // And the payment attempts of each, by attempt number.
      let paymentRows = try await connection.query(
        """
        SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM payments
        WHERE order_id = ANY(\(heads.map(\.id))::text[]) ORDER BY order_id, attempt
        """, logger: logger
      ).collect()
      var paymentsByOrder: [String: [Payment]] = [:]
      for row in paymentRows {
        if let payment = try PostgresRows.payment(row) {
          paymentsByOrder[payment.orderId, default: []].append(payment)
        }
      }
      return try heads.map {
        try $0.order(lines: linesByOrder[$0.id] ?? [], payments: paymentsByOrder[$0.id] ?? [])
      }
    }
    return paging.page(orders) { String($0.number) }
  }

  static let orderColumns = ColumnSet(
    [
      "id", "number", "status", "total_amount", "currency", "staff_code", "receipt_number", "session_id",
      "paid_amount",
    ]
  )
  .adding(
    .init(name: "created_at", expression: { PostgresRows.timestamp($0 + "created_at") }),
    .init(name: "paid_at", expression: { PostgresRows.timestamp($0 + "paid_at") }))
  /// The figures checkout captured (read beside `orderColumns`, the order row qualified as `o`).
  static let orderFigureColumns = ColumnSet(["discount_total", "tax_basis"]).adding(
    taxColumn("tax_rates", "rate"), taxColumn("tax_nets", "net_amount"), taxColumn("tax_taxes", "tax_amount"),
    taxColumn("tax_grosses", "gross_amount"))
  static let lineColumns = ColumnSet([
    "order_id", "sku", "name", "quantity", "unit_price_amount", "line_total_amount", "tax_rate",
    "discount_amount", "net_amount", "tax_amount",
  ])

  /// One column of the order's `order_taxes` rows as an array, ascending rate.
  private static func taxColumn(_ name: String, _ column: String) -> ColumnSet.Column {
    .init(name: name) { qualifier in
      "ARRAY(SELECT t.\(column) FROM order_taxes t WHERE t.order_id = \(qualifier)id ORDER BY t.rate)"
    }
  }

  /// The owner's order, its lines and its latest payment attempt in one query; its earlier attempts in a
  /// second one only when it has any (a split tender, or a declined card before).
  func readOrder(id: String, owner: String, on connection: PostgresConnection) async throws -> Order {
    let rows = try await connection.query(
      """
      SELECT \(unescaped: Self.orderColumns.select(from: "o")),
        \(unescaped: Self.orderFigureColumns.select(from: "o")),
        \(unescaped: Self.lineColumns.select(from: "l", prefix: "line_")),
        \(unescaped: PostgresRows.paymentColumns.select(from: "pay", prefix: "payment_"))
      FROM orders o JOIN order_lines l ON l.order_id = o.id
      LEFT JOIN LATERAL (
        SELECT * FROM payments p WHERE p.order_id = o.id ORDER BY p.attempt DESC LIMIT 1
      ) pay ON true
      WHERE o.id = \(id) AND o.owner = \(owner)
      ORDER BY l.sku
      """, logger: logger
    ).collect().map { $0.makeRandomAccess() }
    guard let first = rows.first else { throw StoreError.notFound(what: "order") }
    var payments = try PostgresRows.payment(first, prefix: "payment_").map { [$0] } ?? []
    if let latest = payments.first, latest.attempt > 1 {
      payments = try await connection.query(
        """
        SELECT \(unescaped: PostgresRows.paymentColumns.list) FROM payments WHERE order_id = \(id)
        ORDER BY attempt
        """, logger: logger
      ).collect().compactMap { try PostgresRows.payment($0) }
    }
    return try OrderHead(first).order(lines: rows, linePrefix: "line_", payments: payments)
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
  var staff: String
  var receiptNumber: Int?
  var paidAt: String?
  var sessionId: String?
  var paid: Int
  var discountTotal: Int
  var taxBasis: TaxBasis
  var taxes: [TaxTotal]

  init(_ row: PostgresRandomAccessRow) throws {
    id = try row.decode("id")
    number = try row.decode("number")
    status = try StoredValue.orderStatus(try row.decode("status"))
    total = try row.decode("total_amount")
    currency = try row.decode("currency")
    createdAt = try row.decode("created_at")
    staff = try row.decode("staff_code")
    receiptNumber = try row.decode("receipt_number")
    paidAt = try row.decode("paid_at")
    sessionId = try row.decode("session_id")
    paid = try row.decode("paid_amount")
    discountTotal = try row.decode("discount_total")
    taxBasis = try StoredValue.taxBasis(try row.decode("tax_basis"))
    let (rates, nets, taxed, grosses): ([Int], [Int], [Int], [Int]) = (
      try row.decode("tax_rates"), try row.decode("tax_nets"), try row.decode("tax_taxes"),
      try row.decode("tax_grosses")
    )
    let currency = currency
    taxes = rates.indices.map { index in
      TaxTotal(
        rate: rates[index], net: Money(amount: nets[index], currency: currency),
        tax: Money(amount: taxed[index], currency: currency),
        gross: Money(amount: grosses[index], currency: currency))
    }
  }

  /// `lines` hold `lineColumns` selected with `linePrefix`; `payments` are every attempt, by number.
  func order(lines: [PostgresRandomAccessRow], linePrefix: String = "", payments: [Payment]) throws -> Order {
    let decoded = try lines.map { row in
      let money = { (column: String) throws -> Money in
        Money(amount: try row.decode(linePrefix + column), currency: currency)
      }
      return Order.Line(
        sku: try row.decode(linePrefix + "sku"), name: try row.decode(linePrefix + "name"),
        quantity: try row.decode(linePrefix + "quantity"), unitPrice: try money("unit_price_amount"),
        lineTotal: try money("line_total_amount"), taxRate: try row.decode(linePrefix + "tax_rate"),
        discount: try money("discount_amount"), net: try money("net_amount"), tax: try money("tax_amount"))
    }
    return Order(
      id: id, number: number, status: status, lines: decoded, total: Money(amount: total, currency: currency),
      createdAt: createdAt, payment: payments.last, staff: staff,
      discountTotal: Money(amount: discountTotal, currency: currency), taxes: taxes, taxBasis: taxBasis,
      receiptNumber: receiptNumber, paidAt: paidAt, sessionId: sessionId,
      payments: payments.filter { $0.status != .declined }, paid: Money(amount: paid, currency: currency))
  }
}

/// What one order placement asks for, the same on every attempt (one order id throughout).
struct OrderRequest: Sendable {
  var cartId: String
  var owner: String
  var key: String
  var orderId: String
  var staff: String
  /// Refuse the order when the terminal has no open register session.
  var requireSession: Bool
}
