import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// The fixture catalogue with German rates (food 7 %, drinks and coffee 19 %), people to act, and the
/// checks every priced cart and order must pass.
enum TaxFixture {
  typealias S = StaffFixture

  static let catalogue: [Product] = Fixture.catalogue.map { product in
    var taxed = product
    taxed.taxRate = ["Coffee": 1_900, "Drinks": 1_900][product.category] ?? 700
    return taxed
  }

  static let cashier = Fixture.actor(staff: S.cashier)
  static let manager = Fixture.actor(staff: S.manager, role: .manager)
  static let approval = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager))

  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  /// A fresh store of `engine` seeded with `catalogue`, opened with `basis`, with the staff fixture's
  /// people.
  static func withStore(
    _ engine: StoreEngine, basis: TaxBasis = .inclusive, _ body: (StaffedStore) async throws -> Void
  ) async throws {
    var anyStore = try await makeTestStore(engine, products: catalogue)
    if basis != .inclusive { anyStore = try await reopenTestStore(anyStore, taxBasis: basis) }
    do {
      let store = try #require(anyStore as? StaffedStore)
      for (code, name, role) in [
        (S.cashier, "Ana", StaffRole.cashier), (S.otherCashier, "Ben", .cashier),
        (S.manager, "Mia", .manager),
      ] {
        _ = try await store.addStaff(code: code, name: name, role: role, pinHash: S.hash(code), by: S.admin)
      }
      try await body(store)
    } catch {
      await disposeTestStore(anyStore)
      throw error
    }
    await disposeTestStore(anyStore)
  }

  /// Applies a discount as `actor` with opId `opId`, capturing the typed outcome.
  static func discount(
    _ store: StaffedStore, cart: Cart, sku: String?, percent: Int? = nil, amount: Int? = nil, opId: String,
    actor: StaffActor = cashier, approval: VerifiedApproval? = nil, limit: Int = 10
  ) async -> Result<Cart, StoreError> {
    await outcome { () async throws(StoreError) in
      try await store.applyDiscount(
        DiscountRequest(opId: opId, sku: sku, percent: percent, amount: amount.map(eur)), cartId: cart.id,
        actor: actor, cashierLimit: limit, approval: approval)
    }
  }

  /// The `discount` rows of the audit trail, newest first.
  static func discountRows(_ store: StaffedStore) async throws -> [AuditEntry] {
    try await S.trail(store).filter { $0.action == "discount" }
  }

  /// Every line's net and tax add up to its gross, the lines to the total, and the per-rate table is the
  /// sum of the lines of each rate.
  static func expectConsistent(
    lines: [(rate: Int, net: Int, tax: Int, gross: Int)], total: Money, taxes: [TaxTotal],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for line in lines {
      #expect(line.net + line.tax == line.gross, sourceLocation: sourceLocation)
    }
    #expect(lines.reduce(0) { $0 + $1.gross } == total.amount, sourceLocation: sourceLocation)
    let rates = Set(lines.map(\.rate)).sorted()
    #expect(taxes.map(\.rate) == rates, sourceLocation: sourceLocation)
    for tax in taxes {
      let ofRate = lines.filter { $0.rate == tax.rate }
      #expect(tax.net.amount == ofRate.reduce(0) { $0 + $1.net }, sourceLocation: sourceLocation)
      #expect(tax.tax.amount == ofRate.reduce(0) { $0 + $1.tax }, sourceLocation: sourceLocation)
      #expect(tax.gross.amount == ofRate.reduce(0) { $0 + $1.gross }, sourceLocation: sourceLocation)
    }
  }

  static func expectConsistent(_ order: Order, sourceLocation: SourceLocation = #_sourceLocation) {
    expectConsistent(
      lines: order.lines.map { ($0.taxRate, $0.net.amount, $0.tax.amount, $0.lineTotal.amount) },
      total: order.total, taxes: order.taxes, sourceLocation: sourceLocation)
    #expect(
      order.discountTotal.amount == order.lines.reduce(0) { $0 + $1.discount.amount },
      sourceLocation: sourceLocation)
  }

  /// The order's figures are the cart's: the same lines, discounts, tax rates, taxes and total.
  static func expectSameFigures(
    _ order: Order, as cart: Cart, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(order.lines.map(\.sku) == cart.lines.map(\.sku), sourceLocation: sourceLocation)
    #expect(order.lines.map(\.lineTotal) == cart.lines.map(\.lineTotal), sourceLocation: sourceLocation)
    #expect(order.lines.map(\.discount) == cart.lines.map(\.discount), sourceLocation: sourceLocation)
    #expect(order.lines.map(\.taxRate) == cart.lines.map(\.taxRate), sourceLocation: sourceLocation)
    #expect(order.total == cart.total, sourceLocation: sourceLocation)
    #expect(order.discountTotal == cart.discountTotal, sourceLocation: sourceLocation)
    #expect(order.taxes == cart.taxes, sourceLocation: sourceLocation)
  }
}
