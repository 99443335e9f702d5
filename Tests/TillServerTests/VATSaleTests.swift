import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// A whole sale through the API with two tax rates, a line discount and an order discount: the cart's
/// figures are the order's, the order's are the receipt's, and every table adds up.
@Suite("A sale with two tax rates and discounts", .serialized)
struct VATSaleTests {
  @Test(
    "cart total == order total == receipt total; the tax table sums to it", arguments: StoreEngine.allCases)
  func fullSale(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let start = try await cashier.cart(with: [("TEA", 3), ("CAKE", 1), ("BUN", 2)])
      #expect(start.total.amount == 1_990)
      _ = try await cashier.discount(
        start.id, DiscountRequest(opId: "sale-line", sku: "CAKE", percent: 10, amount: nil)
      ).decoded(Cart.self)
      let cart = try await cashier.discount(
        start.id,
        DiscountRequest(opId: "sale-order", sku: nil, percent: nil, amount: PaymentFixtures.eur(150))
      ).decoded(Cart.self)
      #expect(cart.total.amount == 1_740)
      #expect(cart.discountTotal.amount == 250)
      #expect(cart.taxes.map(\.rate) == [700, 1900])
      DiscountRouteTests.expectConsistent(cart)

      let placed = try await cashier.placeOrder(cart: cart.id).decoded(Order.self, expecting: 201)
      #expect(placed.total == cart.total)
      #expect(placed.discountTotal == cart.discountTotal)
      #expect(placed.taxes == cart.taxes)
      #expect(placed.taxBasis == .inclusive)
      #expect(placed.receiptNumber == nil && placed.paidAt == nil)
      let cartLines = Dictionary(uniqueKeysWithValues: cart.lines.map { ($0.sku, $0) })
      for line in placed.lines {
        let cartLine = try #require(cartLines[line.sku])
        #expect(line.lineTotal == cartLine.lineTotal && line.discount == cartLine.discount)
        #expect(line.taxRate == cartLine.taxRate)
        #expect(line.net.amount + line.tax.amount == line.lineTotal.amount)
      }
      #expect(placed.lines.map(\.lineTotal.amount).reduce(0, +) == placed.total.amount)
      for tax in placed.taxes {
        let lines = placed.lines.filter { $0.taxRate == tax.rate }
        #expect(lines.map(\.net.amount).reduce(0, +) == tax.net.amount)
        #expect(lines.map(\.tax.amount).reduce(0, +) == tax.tax.amount)
      }

      let cash = PaymentRequest.cash(tendered: PaymentFixtures.eur(2_000))
      _ = try await cashier.pay(placed.id, cash).decoded(Payment.self, expecting: 201)
      let paid = try await cashier.order(placed.id)
      #expect(paid.status == .paid && paid.receiptNumber == 1 && paid.paidAt != nil)
      #expect(paid.total == placed.total && paid.taxes == placed.taxes && paid.lines == placed.lines)

      let receipt = try await cashier.receipt(paid.id).text
      let totalRow = try #require(receipt.split(separator: "\n").first { $0.hasPrefix("TOTAL EUR") })
      #expect(totalRow.hasSuffix("17.40"), "\(totalRow)")
      #expect(receipt.contains("-2.50"), "the discounts row:\n\(receipt)")
      for tax in paid.taxes {
        for figure in [tax.net, tax.tax, tax.gross] {
          #expect(receipt.contains(figure.decimalString), "\(figure) missing:\n\(receipt)")
        }
      }
      #expect(receipt.contains("Change") && receipt.contains("2.60"))
    }
  }
}
