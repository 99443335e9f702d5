import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Discounts on carts, on every engine: given, replaced, taken away, refused, past the cashier's limit
/// with and without a manager's approval, and applied once per opId.
@Suite("Discounts: line and order, the cashier's limit, an opId applied once")
struct DiscountStoreTests {
  typealias T = TaxFixture
  typealias S = StaffFixture

  /// Two Croissants (7 %) and a Café crème (19 %).
  static func cart(_ store: StaffedStore) async throws -> Cart {
    try await store.cart(with: [("BAK-002", 2), ("COF-001", 1)])
  }

  @Test(arguments: StoreEngine.allCases)
  func lineAndOrderDiscountsArePricedOnTheCart(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      #expect(cart.total == T.eur(700) && cart.discountTotal == T.eur(0) && cart.discounts.isEmpty)
      #expect(cart.lines.map(\.taxRate) == [700, 1_900])
      _ = try await T.discount(store, cart: cart, sku: "BAK-002", percent: 10, opId: "line").get()
      let priced = try await T.discount(store, cart: cart, sku: nil, amount: 50, opId: "order").get()
      // 10 % of 3.80 is 0.38; the order's 0.50 spreads 0.26 and 0.24 over 3.42 and 3.20.
      #expect(priced.lines.map(\.discount) == [T.eur(64), T.eur(24)])
      #expect(priced.lines.map(\.lineTotal) == [T.eur(316), T.eur(296)])
      #expect(priced.total == T.eur(612) && priced.discountTotal == T.eur(88))
      #expect(
        priced.taxes == [
          TaxTotal(rate: 700, net: T.eur(295), tax: T.eur(21), gross: T.eur(316)),
          TaxTotal(rate: 1_900, net: T.eur(249), tax: T.eur(47), gross: T.eur(296)),
        ])
      #expect(
        priced.discounts == [
          Discount(sku: "BAK-002", percent: 10, amount: nil, staff: S.cashier),
          Discount(sku: nil, percent: nil, amount: T.eur(50), staff: S.cashier),
        ])
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner) == priced)
      let rows = try await T.discountRows(store)
      #expect(rows.map(\.detail) == ["order: 0.50 EUR", "line BAK-002: 10%"])
      #expect(rows.allSatisfy { $0.subject == cart.id && $0.staff == S.cashier && $0.approvedBy == nil })
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func theLatestDiscountReplacesAndZeroRemoves(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      _ = try await T.discount(store, cart: cart, sku: "BAK-002", percent: 10, opId: "a").get()
      let replaced = try await T.discount(store, cart: cart, sku: "BAK-002", amount: 20, opId: "b").get()
      #expect(
        replaced.discounts == [Discount(sku: "BAK-002", percent: nil, amount: T.eur(20), staff: S.cashier)])
      #expect(replaced.total == T.eur(680))
      _ = try await T.discount(store, cart: cart, sku: nil, percent: 5, opId: "c").get()
      _ = try await T.discount(store, cart: cart, sku: "BAK-002", percent: 0, opId: "d").get()
      let cleared = try await T.discount(store, cart: cart, sku: nil, amount: 0, opId: "e").get()
      #expect(cleared.discounts.isEmpty && cleared.total == T.eur(700) && cleared.discountTotal == T.eur(0))
      #expect(try await T.discountRows(store).count == 5)

      // A line taken out takes its discount with it: added again, it is undiscounted.
      _ = try await T.discount(store, cart: cart, sku: "COF-001", percent: 10, opId: "f").get()
      _ = try await store.applyIncrement(
        IncrementRequest(sku: "COF-001", delta: -1, opId: "out"), cartId: cart.id, owner: Fixture.owner)
      let back = try await store.applyIncrement(
        IncrementRequest(sku: "COF-001", delta: 1, opId: "in"), cartId: cart.id, owner: Fixture.owner)
      #expect(back.discounts.isEmpty && back.total == T.eur(700))
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func refusalsChangeNothing(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      _ = try await T.discount(store, cart: cart, sku: "BAK-002", percent: 5, opId: "kept").get()
      #expect(
        await T.discount(store, cart: cart, sku: "SNK-001", percent: 5, opId: "x1")
          == .failure(.notFound(what: "cart line")))
      let tooBig = await T.discount(
        store, cart: cart, sku: "COF-001", amount: 321, opId: "x2", actor: T.manager)
      guard case .failure(.invalidField(field: "amount", _)) = tooBig else {
        Issue.record("an amount above the line is invalid, got \(tooBig)")
        return
      }
      let neither = await outcome { () async throws(StoreError) in
        try await store.applyDiscount(
          DiscountRequest(opId: "x3", sku: nil, percent: nil, amount: nil), cartId: cart.id, actor: T.cashier,
          cashierLimit: 10, approval: nil)
      }
      guard case .failure(.invalidField) = neither else {
        Issue.record("a discount without a value is invalid, got \(neither)")
        return
      }
      let someoneElses = await outcome { () async throws(StoreError) in
        try await store.applyDiscount(
          DiscountRequest(opId: "x4", sku: nil, percent: 5, amount: nil), cartId: cart.id,
          actor: Fixture.actor(owner: Fixture.otherOwner), cashierLimit: 10, approval: nil)
      }
      #expect(someoneElses == .failure(.notFound(what: "cart")))
      let unchanged = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(unchanged.discounts.map(\.percent) == [5] && unchanged.total == T.eur(681))
      #expect(try await T.discountRows(store).count == 1)

      _ = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k")
      #expect(await T.discount(store, cart: cart, sku: nil, percent: 5, opId: "x5") == .failure(.cartClosed))
      #expect(try await T.discountRows(store).count == 1)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func pastTheLimitACashierNeedsAManager(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      #expect(
        await T.discount(store, cart: cart, sku: "BAK-002", percent: 20, opId: "a")
          == .failure(.approvalRequired))
      let wrongHash = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager, 0))
      #expect(
        await T.discount(store, cart: cart, sku: "BAK-002", percent: 20, opId: "a", approval: wrongHash)
          == .failure(.approvalRefused))
      let byCashier = VerifiedApproval(code: S.otherCashier, pinHash: S.hash(S.otherCashier))
      #expect(
        await T.discount(store, cart: cart, sku: "BAK-002", percent: 20, opId: "a", approval: byCashier)
          == .failure(.approvalRefused))
      // Past the limit on the order's value too: 0.71 of 7.00.
      #expect(
        await T.discount(store, cart: cart, sku: nil, amount: 71, opId: "b") == .failure(.approvalRequired))
      let unchanged = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(unchanged.discounts.isEmpty && unchanged.total == T.eur(700))
      #expect(try await T.discountRows(store).isEmpty)

      let approved = try await T.discount(
        store, cart: cart, sku: "BAK-002", percent: 20, opId: "a", approval: T.approval
      ).get()
      #expect(
        approved.discounts == [
          Discount(sku: "BAK-002", percent: 20, amount: nil, staff: S.cashier, approvedBy: S.manager)
        ])
      let byManager = try await T.discount(
        store, cart: cart, sku: nil, percent: 50, opId: "c", actor: T.manager
      ).get()
      #expect(byManager.discounts.last == Discount(sku: nil, percent: 50, amount: nil, staff: S.manager))
      let rows = try await T.discountRows(store)
      #expect(rows.map(\.approvedBy) == [nil, S.manager] && rows.map(\.staff) == [S.manager, S.cashier])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func anOpIdAppliesOnce(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      let first = try await T.discount(
        store, cart: cart, sku: nil, percent: 20, opId: "op", approval: T.approval
      ).get()
      // The retry without the approval is the same op: answered, not applied again, not refused.
      #expect(try await T.discount(store, cart: cart, sku: nil, percent: 20, opId: "op").get() == first)
      #expect(
        await T.discount(store, cart: cart, sku: nil, percent: 25, opId: "op")
          == .failure(.operationReused(opId: "op")))
      #expect(
        await T.discount(store, cart: cart, sku: "BAK-002", percent: 20, opId: "op")
          == .failure(.operationReused(opId: "op")))
      #expect(try await T.discountRows(store).count == 1)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func twentyCopiesOfOneOpApplyOnce(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await Self.cart(store)
      let results = await withTaskGroup(of: Result<Cart, StoreError>.self) { group in
        for _ in 0..<20 {
          group.addTask { await T.discount(store, cart: cart, sku: "COF-001", amount: 32, opId: "same") }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let carts = try results.map { try $0.get() }
      #expect(carts.count == 20 && Set(carts).count == 1)
      #expect(carts.first?.total == T.eur(668))
      #expect(try await T.discountRows(store).count == 1)
      #expect(try await store.cart(id: cart.id, owner: Fixture.owner).discounts.count == 1)
    }
  }
}
