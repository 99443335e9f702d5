import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// What checkout stores: the cart's figures exactly, per line and per rate, read back as stored.
@Suite("Checkout figures: the order stores the cart's prices, discounts and taxes")
struct CheckoutFiguresTests {
  typealias T = TaxFixture
  typealias S = StaffFixture

  @Test(arguments: StoreEngine.allCases)
  func theOrderStoresTheCartsFigures(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      let cart = try await store.cart(with: [("BAK-001", 3), ("COF-002", 2), ("DRK-002", 1), ("SNK-001", 1)])
      _ = try await T.discount(store, cart: cart, sku: "COF-002", percent: 10, opId: "line").get()
      let priced = try await T.discount(store, cart: cart, sku: nil, percent: 7, opId: "order").get()
      #expect(priced.total.amount == priced.lines.reduce(0) { $0 + $1.lineTotal.amount })
      for tax in priced.taxes {
        let ofRate = priced.lines.filter { $0.taxRate == tax.rate }
        #expect(tax.gross.amount == ofRate.reduce(0) { $0 + $1.lineTotal.amount })
        #expect(tax.net.amount + tax.tax.amount == tax.gross.amount)
      }
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k"
      ).order
      T.expectSameFigures(placed, as: priced)
      T.expectConsistent(placed)
      #expect(placed.discountTotal.amount > 0 && placed.taxBasis == .inclusive)
      #expect(placed.taxes.map(\.rate) == [700, 1_900])
      // Read back as stored: one order, the list, and a replay of the key.
      #expect(try await store.order(id: placed.id, owner: Fixture.owner) == placed)
      #expect(try await store.allOrders() == [placed])
      let replay = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k")
      #expect(replay.replayed && replay.order == placed)

      // A later rate change moves carts, never a stored order.
      _ = try await store.setCategoryTaxRate(category: "Bakery", rate: 1_000, by: S.admin)
      _ = try await store.setCategoryTaxRate(category: "Coffee", rate: 0, by: S.admin)
      #expect(try await store.order(id: placed.id, owner: Fixture.owner) == placed)
      let next = try await store.cart(with: [("BAK-001", 3), ("COF-002", 2)])
      #expect(next.lines.map(\.taxRate) == [1_000, 0])
      let nextOrder = try await store.placeOrder(
        cartId: next.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k2"
      ).order
      T.expectSameFigures(nextOrder, as: next)
      #expect(nextOrder.taxes.map(\.rate) == [0, 1_000])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func pricesWithoutTaxGetTheTaxAdded(engine: StoreEngine) async throws {
    try await T.withStore(engine, basis: .exclusive) { store in
      let cart = try await store.cart(with: [("COF-001", 1), ("BAK-002", 1)])
      // 3.20 + 19 % = 0.608 → 0.61; 1.90 + 7 % = 0.133 → 0.13.
      #expect(cart.lines.map(\.lineTotal) == [T.eur(203), T.eur(381)])
      #expect(
        cart.taxes == [
          TaxTotal(rate: 700, net: T.eur(190), tax: T.eur(13), gross: T.eur(203)),
          TaxTotal(rate: 1_900, net: T.eur(320), tax: T.eur(61), gross: T.eur(381)),
        ])
      #expect(cart.total == T.eur(584))
      let order = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k"
      ).order
      #expect(order.taxBasis == .exclusive)
      T.expectSameFigures(order, as: cart)
      T.expectConsistent(order)
      #expect(try await store.order(id: order.id, owner: Fixture.owner).taxBasis == .exclusive)
    }
  }

  /// A discount racing checkout: it lands before the cart closes (and the order carries it) or it is
  /// refused because the cart closed. Never an order priced without a discount that was confirmed.
  @Test(arguments: StoreEngine.allCases)
  func aDiscountRacingCheckoutIsInTheOrderOrRefused(engine: StoreEngine) async throws {
    try await T.withStore(engine) { store in
      var withDiscount = 0
      var refused = 0
      for round in 0..<12 {
        let cart = try await store.cart(with: [("COF-002", 1), ("BAK-001", 2)])
        async let discount = T.discount(store, cart: cart, sku: nil, percent: 10, opId: "d\(round)")
        async let placement = outcome { () async throws(StoreError) in
          try await store.placeOrder(
            cartId: cart.id, owner: Fixture.owner, staff: S.cashier, idempotencyKey: "k\(round)")
        }
        let (given, placed) = await (discount, placement)
        let order = try placed.get().order
        T.expectConsistent(order)
        switch given {
        case .success:
          withDiscount += 1
          #expect(order.discountTotal == T.eur(34), "a confirmed discount is in the order")
        case .failure(let error):
          refused += 1
          #expect(error == .cartClosed)
          #expect(order.discountTotal == T.eur(0))
        }
      }
      #expect(withDiscount + refused == 12)
      #expect(try await T.discountRows(store).count == withDiscount)
    }
  }
}
