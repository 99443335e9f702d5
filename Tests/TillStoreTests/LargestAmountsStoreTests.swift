import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Amounts at their bounds, and one currency per shop, in the store")
struct LargestAmountsStoreTests {
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  /// As many products as a cart may hold lines, each at the largest price with stock for the largest line.
  static let topProducts = (1...Limits.maxCartLines).map { index in
    BadCatalogue.product(
      "TOP-\(index)", price: Limits.maxUnitPrice, stock: Limits.maxLineQuantity, barcode: "BC-TOP-\(index)")
  }

  @Test(arguments: StoreEngine.allCases)
  func theLargestCartOrderAndChangeAreExact(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Self.topProducts) { anyStore in
      let store = try #require(anyStore as? any Store & PaymentStore)
      let owner = Fixture.owner
      var cart = try await store.createCart(owner: owner, staff: Fixture.staff)
      for product in Self.topProducts {
        cart = try await store.applyIncrement(
          IncrementRequest(sku: product.sku, delta: Limits.maxLineQuantity, opId: "max-\(product.sku)"),
          cartId: cart.id, owner: owner)
      }
      #expect(cart.lines.count == Limits.maxCartLines)
      #expect(cart.lines.allSatisfy { $0.lineTotal == Self.eur(Limits.maxLineTotal) })
      #expect(cart.total == Self.eur(1_999_800_000_000_000) && cart.total.amount == Limits.maxOrderTotal)

      let order = try await store.placeOrder(
        cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: "max"
      ).order
      #expect(order.total == Self.eur(Limits.maxOrderTotal) && order.lines.count == Limits.maxCartLines)
      #expect(try await store.order(id: order.id, owner: owner) == order)
      // The largest cash tender is below the largest total: refused, the order stays payable.
      let cash = await outcome { () async throws(StoreError) in
        try await store.payCash(
          orderId: order.id, owner: owner, staff: Fixture.staff, tendered: Self.eur(Limits.maxTenderAmount))
      }
      #expect(cash.map(\.payment) == .failure(.insufficientTender(total: order.total)))
      let canceled = try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: owner), approval: nil)
      #expect(canceled.status == .canceled && canceled.total == order.total)
      #expect(try await store.stock(of: "TOP-1") == Limits.maxLineQuantity)

      // Change from the largest Int the store is handed (the server bounds tenders far lower).
      let single = try await store.cart(with: [("TOP-2", Limits.maxLineQuantity)])
      let second = try await store.placeOrder(
        cartId: single.id, owner: owner, staff: Fixture.staff, idempotencyKey: "one"
      ).order
      let paid = try await store.payCash(
        orderId: second.id, owner: owner, staff: Fixture.staff, tendered: Self.eur(Int.max))
      #expect(paid.payment.change == Self.eur(Int.max - Limits.maxLineTotal))
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func amountsOutsideTheShopsCurrencyAreNeverAdded(engine: StoreEngine) async throws {
    let products = [
      BadCatalogue.product("EUR-3", price: 300, stock: 5),
      BadCatalogue.product("EUR-5", price: 500, stock: 5),
    ]
    let seeded = try await makeTestStore(engine, products: products)
    let cart = try await seeded.cart(with: [("EUR-3", 1), ("EUR-5", 1)])
    #expect(cart.total == Self.eur(800))
    // The same database served by a back end whose shop currency is USD: every price is in another one.
    let usd = try await Self.reopen(seeded, currency: "USD")
    let mixed = "is in EUR, but the shop's currency is USD"
    let read = await outcome { () async throws(StoreError) in
      try await usd.cart(id: cart.id, owner: Fixture.owner)
    }
    #expect(Self.message(of: read)?.contains(mixed) == true, "\(read)")
    let placed = await outcome { () async throws(StoreError) in
      try await usd.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k")
    }
    #expect(Self.message(of: placed)?.contains(mixed) == true, "\(placed)")
    let fresh = try await usd.createCart(owner: Fixture.owner, staff: Fixture.staff)
    let added = await outcome { () async throws(StoreError) in
      try await usd.applyIncrement(
        IncrementRequest(sku: "EUR-3", delta: 1, opId: "mixed"), cartId: fresh.id, owner: Fixture.owner)
    }
    #expect(Self.message(of: added)?.contains(mixed) == true, "\(added)")
    #expect(try await usd.stock(of: "EUR-3") == 5)
    #expect(try await usd.stock(of: "EUR-5") == 5)

    // Refused without a trace: in the shop's own currency the same key places the order, first time.
    let eur = try await Self.reopen(usd, currency: "EUR")
    let placement = try await eur.placeOrder(
      cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "k")
    #expect(!placement.replayed && placement.order.total == Self.eur(800))
    #expect(try await eur.cart(id: fresh.id, owner: Fixture.owner).lines.isEmpty)
    await disposeTestStore(eur)
  }

  static func message<T>(of result: Result<T, StoreError>) -> String? {
    guard case .failure(.engine(let message)) = result else { return nil }
    return message
  }

  /// Closes `store` and opens its database again with another shop currency.
  static func reopen(_ store: any Store, currency: String) async throws -> any Store {
    await store.close()
    if let sqlite = store as? SQLiteStore {
      return try await SQLiteStore.open(path: sqlite.path, currency: currency)
    }
    let postgres = try #require(store as? PostgresStore)
    return try await PostgresStore.connect(to: postgres.url, currency: currency, maximumConnections: 4)
  }
}
