import TillCore

/// The back end's one source of truth: catalogue, stock, carts, orders.
///
/// Every guarantee lives behind this protocol, inside the engine's transactions: no overselling,
/// no lost increment, an operation id applied once, one order per idempotency key. Implementations
/// (SQLite, PostgreSQL) each read the facts in their own SQL, ask the engine-neutral rules under
/// `Rules/` (`IncrementRule`, `PlacementRule`, `OrderNumbering`, `PaymentRules`, `KeysetPaging`,
/// `StoreIdentifiers`, `CatalogueRules`, `CheckoutLine`, `CartPricing`, `DiscountRule`, `OwnedTables`)
/// what to do, and apply the answer; one conformance suite runs against all of them. No engine type
/// appears here, so the server and tests stay engine-neutral.
public protocol Store: Sendable {
  /// A short engine name for health answers and logs, e.g. "sqlite".
  var engine: String { get }
  /// What the store counted of its own work since it was opened (for metrics).
  var counters: StoreCounters { get }

  /// Loads `catalogue` (its category tax rates and products) when the catalogue is empty; answers how
  /// many products were inserted (0 when not empty). A catalogue that breaks a rule of
  /// `CatalogueRules` is refused first, whether empty or not.
  func seedIfEmpty(with catalogue: SeedCatalogue) async throws(StoreError) -> Int

  /// Products ordered by SKU, matching name, SKU or barcode case-insensitively, keyset-paginated.
  func products(matching query: ProductQuery) async throws(StoreError) -> Page<Product>
  func product(sku: String) async throws(StoreError) -> Product
  func categories() async throws(StoreError) -> [Category]
  /// Sets a category's tax rate (basis points, 0 to `Limits.maxTaxRate`) and, in the same transaction,
  /// the effective rate of every product of it that has no rate of its own; `tax-rate` audit row.
  func setCategoryTaxRate(category: String, rate: Int, by actor: AuditActor) async throws(StoreError)
    -> Category
  /// Gives a product its own tax rate, or with `nil` makes it follow its category's rate again;
  /// `tax-rate` audit row.
  func setProductTaxRate(sku: String, rate: Int?, by actor: AuditActor) async throws(StoreError) -> Product
  /// Restock (positive) or write-off (negative); never below zero, and a restock never above
  /// `Limits.maxStock`. Writes a `stock-adjustment` audit row naming `actor`, in the same transaction.
  func adjustStock(sku: String, delta: Int, reason: String, by actor: AuditActor) async throws(StoreError)
    -> Product

  /// A new open cart of the terminal `owner`, recording the staff code of the person who opened it.
  func createCart(owner: String, staff: String) async throws(StoreError) -> Cart
  func cart(id: String, owner: String) async throws(StoreError) -> Cart
  /// Applies `quantity = max(0, quantity + delta)` atomically and records `opId` in the same
  /// transaction; the same `opId` again changes nothing and answers the current cart.
  func applyIncrement(_ increment: IncrementRequest, cartId: String, owner: String) async throws(StoreError)
    -> Cart

  /// Gives, replaces or (with 0) removes the discount on a line or on the whole order, as
  /// `DiscountRule` decides: the same `opId` applies once, past `cashierLimit` percent a cashier needs a
  /// manager's approval (checked in this transaction); `discount` audit row. Answers the priced cart.
  func applyDiscount(
    _ request: DiscountRequest, cartId: String, actor: StaffActor, cashierLimit: Int,
    approval: VerifiedApproval?
  ) async throws(StoreError) -> Cart

  /// Checks every line against stock under lock, decrements, writes the order, closes the cart —
  /// all or nothing. The same key and cart again answers the same order with `replayed == true`.
  /// The order records `staff`, the person who placed it (`Order.staff`), and belongs to the terminal's
  /// open register session (`Order.sessionId`), taken under a shared lock so a close counts it or it
  /// comes after the close. With `requireSession`, an order without an open session is refused:
  /// `.noOpenSession`, or `.sessionClosed` when the session closed while the order waited for it.
  func placeOrder(
    cartId: String, owner: String, staff: String, idempotencyKey: String, requireSession: Bool
  ) async throws(StoreError) -> OrderPlacement
  func order(id: String, owner: String) async throws(StoreError) -> Order
  /// The owner's orders, newest first; `after` is the cursor from the previous page.
  func orders(owner: String, status: Order.Status?, limit: Int, after: String?) async throws(StoreError)
    -> Page<Order>

  /// The database's owner-id secret (`OwnerSecret.byteCount` random bytes), made and stored on the first
  /// call against a database; every later call, from any process on that database, answers the same.
  func ownerSecret() async throws(StoreError) -> [UInt8]
  /// Gives every row of an old owner id (in each of `OwnedTables`) its new id, all in one transaction;
  /// answers how many rows changed (0 when done before).
  func renameOwners(_ renames: [OwnerRename]) async throws(StoreError) -> Int

  /// Whether the database answers and its schema is this build's: a round trip to the database, for
  /// readiness probes. An unreachable database throws.
  func schemaStatus() async throws(StoreError) -> SchemaStatus

  /// Releases connections and files.
  func close() async
}

/// Why a store operation was refused. Each case maps to one problem type of the API.
public enum StoreError: Error, Equatable, Sendable {
  /// `what` names the missing thing, e.g. "cart", "product", "order".
  case notFound(what: String)
  case cartClosed
  case emptyCart
  /// Every short line of the cart, not just the first.
  case insufficientStock([Shortage])
  case quantityLimit(sku: String, limit: Int)
  case cartLineLimit(limit: Int)
  case stockBelowZero(sku: String, available: Int)
  /// A restock would take the stock above `limit` (`Limits.maxStock`).
  case stockAboveLimit(sku: String, available: Int, limit: Int)
  /// The opId was applied before with another sku or delta.
  case operationReused(opId: String)
  /// The idempotency key was used before for another request body.
  case idempotencyKeyReused
  /// A request with this key is still in flight.
  case requestInFlight
  case orderNotCancelable(status: Order.Status)
  case orderNotPayable(status: Order.Status)
  /// A card payment for the order is pending: no other payment or cancel until it settles.
  case paymentPending(Payment)
  /// Cash tendered is below the order total (or the part being paid).
  case insufficientTender(total: Money)
  /// A part payment is more than the order still owes (`due`; zero when paid).
  case amountExceedsDue(due: Money)
  /// The order has parts paid (`paid`): it cannot be canceled until they are refunded.
  case orderPartlyPaid(paid: Money)
  /// Only a paid order is refunded, or the tendered parts of one not yet paid.
  case orderNotRefundable(status: Order.Status)
  /// The parts of an order not yet paid hold nothing more paid by `method` to give back.
  case nothingTendered(method: Payment.Method)
  /// A card refund of a tendered part is pending: no payment or cancel until it settles.
  case refundPending
  /// Every line asked for beyond what is left of it (sold minus refunded).
  case refundExceedsSold([RefundShortfall])
  /// No card payment of the order can take the whole refund back; `refundable` is the most one can.
  case cardRefundUnavailable(refundable: Money)
  /// The money's currency is not the order's.
  case currencyMismatch(expected: String)
  /// A catalogue to load breaks a rule of `CatalogueRules`; the message names the product, in one line.
  case invalidCatalogue(String)
  /// A person with this staff code exists already.
  case staffExists(code: String)
  /// The action is someone else's to take: it needs a manager's approval, and none came.
  case approvalRequired
  /// A field of the request has a value the store cannot take (the server checks first; this keeps the
  /// store safe on its own), e.g. a discount larger than what it applies to.
  case invalidField(field: String, reason: String)
  /// The approval named no enabled manager with that PIN (checked in the action's transaction).
  case approvalRefused
  /// The person was disabled, or their PIN changed, between the PIN check and the session's start.
  case signInRefused
  /// The order is not paid, so it has no receipt (yet, or ever when canceled).
  case receiptNotIssued(status: Order.Status)
  /// The terminal has an open register session (this one) already.
  case sessionAlreadyOpen(RegisterSession)
  /// The terminal has no open register session.
  case noOpenSession
  /// The register session is closed (or was closed while this request waited for it).
  case sessionClosed
  /// The session cannot close while these orders are unpaid or have a card payment pending.
  case sessionHasOpenOrders([OpenOrder])
  /// The engine failed (I/O, connection, corruption): our fault, never the client's.
  case engine(String)
}

extension Store {
  /// `placeOrder` where an order may be placed without an open register session.
  public func placeOrder(cartId: String, owner: String, staff: String, idempotencyKey: String)
    async throws(StoreError) -> OrderPlacement
  {
    try await placeOrder(
      cartId: cartId, owner: owner, staff: staff, idempotencyKey: idempotencyKey, requireSession: false)
  }

  /// Loads `products` when the catalogue is empty, each category's tax rate taken from its products
  /// (see `SeedCatalogue.init(products:)`).
  public func seedIfEmpty(with products: [Product]) async throws(StoreError) -> Int {
    try await seedIfEmpty(with: SeedCatalogue(products: products))
  }
}

extension StoreError {
  /// Why a stock adjustment of `delta` on a product with `stock` changed nothing: it went below zero,
  /// or a restock went above `Limits.maxStock`.
  static func refusedAdjustment(sku: String, delta: Int, stock: Int) -> StoreError {
    delta > 0 && stock > Limits.maxStock - delta
      ? .stockAboveLimit(sku: sku, available: stock, limit: Limits.maxStock)
      : .stockBelowZero(sku: sku, available: stock)
  }
}
