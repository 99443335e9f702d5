import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// A database written before tax rates and discounts, migrated: every old order reads with rate 0, no
/// discount, net equal to its total and one rate-0 row; products follow their category at rate 0.
@Suite("Tax and discounts: migrating a database from before them")
struct TaxMigrationTests {
  static let eur = TaxFixture.eur

  @Test(arguments: StoreEngine.allCases)
  func earlierOrdersReadWithoutTax(engine: StoreEngine) async throws {
    let anyStore = try await OrderNumberMigrationTests.storeWithGlobalRows(
      engine, sqliteUpTo: "v5-staff", postgresThrough: 5)
    do {
      let store = try #require(anyStore as? StaffedStore)
      let old = try await store.order(id: "o1", owner: Fixture.owner)
      #expect(
        old.lines == [
          Order.Line(
            sku: "P-1", name: "Pretzel", quantity: 2, unitPrice: Self.eur(100), lineTotal: Self.eur(200),
            taxRate: 0, discount: Self.eur(0), net: Self.eur(200), tax: Self.eur(0))
        ])
      #expect(old.taxes == [TaxTotal(rate: 0, net: Self.eur(200), tax: Self.eur(0), gross: Self.eur(200))])
      #expect(old.discountTotal == Self.eur(0) && old.taxBasis == .inclusive && old.total == Self.eur(200))
      let others = try await store.allOrders(owner: Fixture.otherOwner)
      #expect(others.count == 2 && others.allSatisfy { $0.taxes.map(\.rate) == [0] })

      #expect(try await store.product(sku: "P-1").taxRate == 0)
      #expect(try await store.categories() == [Category(name: "Bakery", count: 1, taxRate: 0)])
      // The migrated catalogue takes rates, and new orders capture them.
      _ = try await store.setCategoryTaxRate(category: "Bakery", rate: 700, by: .admin)
      let cart = try await store.cart(owner: Fixture.owner, with: [("P-1", 1)])
      let discounted = try await store.applyDiscount(
        DiscountRequest(opId: "d", sku: "P-1", percent: 10, amount: nil), cartId: cart.id,
        actor: Fixture.actor(), cashierLimit: 10, approval: nil)
      let placed = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "new"
      ).order
      #expect(placed.taxes == [TaxTotal(rate: 700, net: Self.eur(84), tax: Self.eur(6), gross: Self.eur(90))])
      TaxFixture.expectSameFigures(placed, as: discounted)
      #expect(try await store.order(id: "o1", owner: Fixture.owner) == old)
    } catch {
      await disposeTestStore(anyStore)
      throw error
    }
    await disposeTestStore(anyStore)
  }
}
