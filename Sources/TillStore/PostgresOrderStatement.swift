import PostgresNIO
import TillCore

/// Order placement as one SQL statement: claim the idempotency key, lock the cart and then its products in
/// SKU order, check every line, decrement, take the owner's next order number, insert the order, its
/// lines and its per-rate figures, close the cart.
///
/// The figures are computed before, in Swift, by `OrderPricing` (through `CartPricing`) from the cart as
/// read without locks: its version, lines, discounts and the products' prices and effective tax rates.
/// They go in as array parameters, and the statement writes them only when, under its locks, the cart
/// is still that version and every product's price and tax rate are still the ones priced; otherwise it
/// writes nothing and the caller prices again (`OrderOutcome.retry`).
///
/// Why one statement: on the hot products every order waits for the one before it, so throughput is one
/// over the time a row lock is held. As separate statements the locks were held across five network
/// round trips; here they are held only while the server runs this statement and commits it (outside an
/// explicit transaction, one statement is its own transaction: all or nothing, `synchronous_commit = on`).
/// It is a named prepared statement, so the server parses it once per connection.
///
/// One subtlety: the whole statement reads from the snapshot taken when it starts, while `FOR UPDATE`
/// answers the latest version of a row it had to wait for. The cart's lines are plain rows read from the
/// snapshot, so they are only the cart's current lines if nobody changed the cart since then. Every
/// change to a cart (an increment, a discount, a checkout) updates the cart row under its lock, which
/// makes a new row version with a new `xmin` (the id of the transaction that wrote it). Comparing the
/// locked row's `xmin` with the one the figures were priced from tells: when they differ, nothing is
/// written and the caller runs the statement again (`OrderOutcome.retry`). As `xmin` only moves on, an
/// equal version also means the snapshot's lines are the priced ones. `xmin` rather than a version
/// column keeps the schema as it is.
struct PlaceOrderStatement: PostgresPreparedStatement {
  static let name = "till_place_order_v6"
  static let bindingDataTypes: [PostgresDataType] =
    [.text, .text, .text, .text, .text, .text, .text, .text, .int8, .int8]
    + [.textArray] + Array(repeating: .int8Array, count: 10) + [.bool]

  static let sql = """
    WITH known_key AS (
      -- A request with this key that committed before this statement: the caller answers its replay.
      SELECT cart_id, order_id FROM idempotency_keys WHERE owner = $2 AND key = $3
    ), cart AS MATERIALIZED (
      -- Locked before any product, as every checkout and increment does: no deadlock with them.
      SELECT status, xmin::text AS version FROM carts
      WHERE id = $1 AND owner = $2 AND NOT EXISTS (SELECT 1 FROM known_key)
      FOR UPDATE
    ), usable_cart AS (
      -- Open, and the version priced ($7), so the snapshot's lines and discounts are the priced ones.
      SELECT 1 FROM cart WHERE version = $7 AND status = 'open'
    ), priced AS (
      -- The figures per line as priced in Swift: sku, unit price, tax rate, discount, net, tax, gross.
      SELECT * FROM unnest($11, $12, $13, $14, $15, $16, $17)
        AS f(sku, unit_price, tax_rate, discount, net, tax, gross)
    ), lines AS MATERIALIZED (
      -- The product rows locked in SKU order (the same order in every checkout), with their latest stock.
      -- The SKUs go in as an array so that products are found through their primary key: as a plain
      -- join, the cached plan walked the whole products index (4 ms on 10 000 products).
      SELECT \(PostgresRows.checkoutLineColumns.list)
      FROM products p JOIN cart_lines l ON l.cart_id = $1 AND l.sku = p.sku
      WHERE p.sku = ANY (ARRAY (SELECT sku FROM cart_lines WHERE cart_id = $1))
        AND EXISTS (SELECT 1 FROM usable_cart)
      ORDER BY p.sku
      FOR UPDATE OF p
    ), same_prices AS (
      -- Under the product locks: the priced lines are the cart's lines, each at the price and tax rate
      -- that was priced.
      SELECT 1 WHERE (SELECT count(*) FROM lines) = (SELECT count(*) FROM priced)
        AND NOT EXISTS (
          SELECT 1 FROM lines l LEFT JOIN priced f ON f.sku = l.sku
          WHERE f.sku IS NULL OR f.unit_price <> l.price_amount OR f.tax_rate <> l.tax_rate)
    ), session AS MATERIALIZED (
      -- The terminal's open register session, if any, share-locked until commit: a close (which locks
      -- it FOR UPDATE) waits for this order and counts it; an order after the close finds none (the
      -- row's new version fails `status = 'open'`).
      SELECT id FROM register_sessions WHERE owner = $2 AND status = 'open' AND EXISTS (SELECT 1 FROM usable_cart)
      FOR KEY SHARE
    ), placeable AS (
      -- All or nothing: only when the cart has lines, priced as they are now, every line is in stock and
      -- priced in the shop's currency ($5; amounts of two currencies are never added), and the terminal's
      -- register is open when the shop requires it ($22).
      SELECT 1 WHERE EXISTS (SELECT 1 FROM lines) AND EXISTS (SELECT 1 FROM same_prices)
        AND NOT EXISTS (SELECT 1 FROM lines WHERE quantity > stock OR currency <> $5)
        AND (NOT $22 OR EXISTS (SELECT 1 FROM session))
    ), claimed AS (
      -- The key row under its primary key: a concurrent request with the same key waits here for this
      -- one's commit. When the key is taken, nothing below is written and the caller runs this again.
      INSERT INTO idempotency_keys (owner, key, cart_id, order_id)
      SELECT $2, $3, $1, $4 FROM placeable
      ON CONFLICT DO NOTHING
      RETURNING 1
    ), numbered AS (
      -- The owner's next number (`OrderNumbering`), taken only when the order is written. ON CONFLICT
      -- DO UPDATE locks the owner's counter row and reads its latest version, not the snapshot's, so
      -- two orders of one till take two numbers in turn; other tills' rows are not touched. The lock
      -- is the last one taken (after cart and products), so it adds no deadlock. A missing row starts
      -- after the owner's highest number, and a row behind that number catches up to it.
      INSERT INTO order_counters AS counter (owner, last)
      SELECT $2, COALESCE(
        (SELECT max(number) FROM orders WHERE owner = $2) + \(OrderNumbering.step), \(OrderNumbering.first))
      FROM claimed
      ON CONFLICT (owner) DO UPDATE SET last = greatest(counter.last + \(OrderNumbering.step), excluded.last)
      RETURNING last
    ), placed AS (
      INSERT INTO orders (
        id, number, owner, status, total_amount, currency, cart_id, staff_code, discount_total, tax_basis,
        session_id)
      SELECT $4, last, $2, 'placed', $9, $5, $1, $6, $10, $8, (SELECT id FROM session)
      FROM numbered
      RETURNING number, created_at, session_id
    ), decremented AS (
      -- Checked above under the locks; the stock >= 0 constraint would still abort the whole statement.
      UPDATE products p SET stock = p.stock - l.quantity
      FROM lines l
      WHERE p.sku = l.sku AND EXISTS (SELECT 1 FROM claimed)
    ), written_lines AS (
      INSERT INTO order_lines (
        order_id, sku, name, quantity, unit_price_amount, line_total_amount, tax_rate, discount_amount,
        net_amount, tax_amount)
      SELECT $4, l.sku, l.name, l.quantity, l.price_amount, f.gross, f.tax_rate, f.discount, f.net, f.tax
      FROM lines l JOIN priced f ON f.sku = l.sku WHERE EXISTS (SELECT 1 FROM claimed)
    ), written_taxes AS (
      INSERT INTO order_taxes (order_id, rate, net_amount, tax_amount, gross_amount)
      SELECT $4, t.rate, t.net, t.tax, t.gross FROM unnest($18, $19, $20, $21) AS t(rate, net, tax, gross)
      WHERE EXISTS (SELECT 1 FROM claimed)
    ), closed AS (
      UPDATE carts SET status = 'checked_out'
      WHERE id = $1 AND EXISTS (SELECT 1 FROM claimed)
    )
    SELECT
      (SELECT cart_id FROM known_key) AS key_cart_id, (SELECT order_id FROM known_key) AS key_order_id,
      (SELECT status FROM cart) AS cart_status,
      (SELECT version IS DISTINCT FROM $7 FROM cart) AS cart_changed,
      NOT EXISTS (SELECT 1 FROM same_prices) AS prices_changed,
      EXISTS (SELECT 1 FROM session) AS in_session,
      -- From the statement's snapshot: whether the terminal had an open session when it started.
      EXISTS (SELECT 1 FROM register_sessions WHERE owner = $2 AND status = 'open') AS session_seen,
      EXISTS (SELECT 1 FROM claimed) AS claimed,
      placed.number AS number, \(PostgresRows.timestamp("placed.created_at")) AS created_at,
      placed.session_id AS session_id,
      \(PostgresRows.checkoutLineColumns.unqualified.select(from: "lines"))
    FROM (SELECT 1) AS one
    LEFT JOIN placed ON true
    LEFT JOIN lines ON true
    ORDER BY lines.sku
    """

  var cartId: String
  var owner: String
  var key: String
  var orderId: String
  /// The shop's currency: every line must be priced in it.
  var currency: String
  /// The person placing the order.
  var staff: String
  /// Refuse the order when the terminal has no open register session.
  var requireSession: Bool
  /// The cart's version (`xmin`) the figures were priced from ("" when there was no such cart).
  var cartVersion: String
  /// The cart's discounts as priced.
  var discounts: [CartDiscount]
  /// The figures to write; `lines` holds the priced cart's lines, in its order.
  var draft: OrderDraft

  func makeBindings() throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: 22)
    bindings.append(cartId)
    bindings.append(owner)
    bindings.append(key)
    bindings.append(orderId)
    bindings.append(currency)
    bindings.append(staff)
    bindings.append(cartVersion)
    bindings.append(draft.basis.rawValue)
    bindings.append(draft.total.amount)
    bindings.append(draft.discountTotal.amount)
    let lines = draft.lines
    bindings.append(lines.map(\.sku))
    for column in [
      lines.map(\.unitPrice.amount), lines.map(\.taxRate), lines.map(\.discount.amount),
      lines.map(\.net.amount),
      lines.map(\.tax.amount), lines.map(\.lineTotal.amount), draft.taxes.map(\.rate),
      draft.taxes.map(\.net.amount), draft.taxes.map(\.tax.amount), draft.taxes.map(\.gross.amount),
    ] {
      bindings.append(column)
    }
    bindings.append(requireSession)
    return bindings
  }

  /// One row per cart line (one row without a line when there is none), the verdict repeated in each.
  struct Row {
    var keyCartId: String?
    var keyOrderId: String?
    var cartStatus: String?
    var cartChanged: Bool?
    var pricesChanged: Bool
    var inSession: Bool
    var sessionSeen: Bool
    var claimed: Bool
    var number: Int?
    var createdAt: String?
    var sessionId: String?
    var line: CheckoutLine?
  }

  func decodeRow(_ row: PostgresRow) throws -> Row {
    let row = row.makeRandomAccess()
    return Row(
      keyCartId: try row.decode("key_cart_id"), keyOrderId: try row.decode("key_order_id"),
      cartStatus: try row.decode("cart_status"), cartChanged: try row.decode("cart_changed"),
      pricesChanged: try row.decode("prices_changed"), inSession: try row.decode("in_session"),
      sessionSeen: try row.decode("session_seen"),
      claimed: try row.decode("claimed"), number: try row.decode("number"),
      createdAt: try row.decode("created_at"), sessionId: try row.decode("session_id"),
      line: try PostgresRows.checkoutLine(row))
  }

  /// What the statement's rows mean, in the order the API ranks them: a known key first (replay or
  /// reuse), then the cart, then its lines.
  func outcome(of rows: [Row]) throws -> OrderOutcome {
    guard let first = rows.first else { throw StoreError.engine("the order statement answered no row") }
    if let keyCartId = first.keyCartId {
      return .knownKey(cartId: keyCartId, orderId: first.keyOrderId)
    }
    guard let rawStatus = first.cartStatus else { throw StoreError.notFound(what: "cart") }
    // The cart changed since it was priced: the figures may be stale, nothing was written.
    if first.cartChanged == true { return .retry }
    let status = try StoredValue.cartStatus(rawStatus)
    guard status == .open else { throw StoreError.cartClosed }
    // A product's price or tax rate changed since the cart was priced: nothing was written.
    if first.pricesChanged { return .retry }
    // A session open when the statement started but not when its lock was granted: the close won.
    try PlacementRule.checkSession(
      cartStatus: status, required: requireSession, open: first.inSession, closedMeanwhile: first.sessionSeen)
    // A cart the rule refuses made the statement write nothing (a line in another currency included:
    // the statement's `placeable` refuses it too). The lines are the locked rows, with the prices and
    // rates checked above, so the figures are the ones written.
    let draft = try PlacementRule.decide(
      cartId: cartId, status: status, lines: rows.compactMap(\.line), discounts: discounts,
      basis: draft.basis, currency: currency)
    // Placeable, but another request took the key after the snapshot: the next run sees its row.
    guard first.claimed else { return .retry }
    guard let number = first.number, let createdAt = first.createdAt else {
      throw StoreError.engine("the order statement claimed the key but placed no order")
    }
    return .placed(
      Order(
        id: orderId, number: number, status: .placed, lines: draft.lines, total: draft.total,
        createdAt: createdAt, payment: nil, staff: staff, discountTotal: draft.discountTotal,
        taxes: draft.taxes, taxBasis: draft.basis, sessionId: first.sessionId))
  }
}

/// What one run of `PlaceOrderStatement` decided; refusals are thrown as `StoreError`s.
enum OrderOutcome {
  case placed(Order)
  /// The key was used before: for this cart (a replay of `orderId`) or another one.
  case knownKey(cartId: String, orderId: String?)
  /// Nothing was written; run the statement again.
  case retry
}
