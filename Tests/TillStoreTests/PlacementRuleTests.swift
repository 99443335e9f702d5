import Testing
import TillCore

@testable import TillStore

/// One placement decision: the cart an engine read under its locks and what the rule must answer.
struct PlacementCase: Sendable, CustomTestStringConvertible {
  var name: String
  var status: Cart.Status = .open
  var lines: [CheckoutLine]
  var discounts: [CartDiscount] = []
  var expected: Result<OrderDraft, StoreError>

  var testDescription: String { name }

  static func line(
    _ sku: String, quantity: Int, price: Int = 250, currency: String = "EUR", stock: Int = 10, rate: Int = 0
  ) -> CheckoutLine {
    CheckoutLine(
      sku: sku, name: "Name \(sku)", quantity: quantity, unitPrice: price, currency: currency, stock: stock,
      taxRate: rate)
  }

  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  static func orderLine(_ sku: String, quantity: Int, price: Int) -> Order.Line {
    Order.Line(
      sku: sku, name: "Name \(sku)", quantity: quantity, unitPrice: eur(price),
      lineTotal: eur(quantity * price))
  }

  /// A draft without tax or discounts: one rate-0 row holding the total.
  static func untaxed(_ lines: [Order.Line]) -> OrderDraft {
    let total = eur(lines.reduce(0) { $0 + $1.lineTotal.amount })
    return OrderDraft(
      lines: lines, total: total, discountTotal: eur(0),
      taxes: [TaxTotal(rate: 0, net: total, tax: eur(0), gross: total)], basis: .inclusive)
  }

  static let all: [PlacementCase] = [
    PlacementCase(
      name: "two lines priced now and totalled",
      lines: [line("A", quantity: 2), line("B", quantity: 1, price: 90)],
      expected: .success(
        untaxed([orderLine("A", quantity: 2, price: 250), orderLine("B", quantity: 1, price: 90)]))),
    PlacementCase(
      name: "taxed at 19 % and 7 % with a 10 % order discount, figures per line",
      lines: [line("A", quantity: 2, rate: 1_900), line("B", quantity: 1, price: 100, rate: 700)],
      discounts: [CartDiscount(sku: nil, percent: 10, amount: nil, staff: "1001")],
      expected: .success(
        OrderDraft(
          lines: [
            Order.Line(
              sku: "A", name: "Name A", quantity: 2, unitPrice: eur(250), lineTotal: eur(450), taxRate: 1_900,
              discount: eur(50), net: eur(378), tax: eur(72)),
            Order.Line(
              sku: "B", name: "Name B", quantity: 1, unitPrice: eur(100), lineTotal: eur(90), taxRate: 700,
              discount: eur(10), net: eur(84), tax: eur(6)),
          ], total: eur(540), discountTotal: eur(60),
          taxes: [
            TaxTotal(rate: 700, net: eur(84), tax: eur(6), gross: eur(90)),
            TaxTotal(rate: 1_900, net: eur(378), tax: eur(72), gross: eur(450)),
          ], basis: .inclusive))),
    PlacementCase(
      name: "exactly the stock", lines: [line("A", quantity: 10)],
      expected: .success(untaxed([orderLine("A", quantity: 10, price: 250)]))),
    PlacementCase(
      name: "closed cart", status: .checkedOut, lines: [line("A", quantity: 1)],
      expected: .failure(.cartClosed)),
    PlacementCase(
      name: "closed before empty", status: .checkedOut, lines: [], expected: .failure(.cartClosed)),
    PlacementCase(name: "empty cart", lines: [], expected: .failure(.emptyCart)),
    PlacementCase(
      name: "every short line is named",
      lines: [line("A", quantity: 11), line("B", quantity: 1), line("C", quantity: 4, stock: 3)],
      expected: .failure(
        .insufficientStock([
          Shortage(sku: "A", requested: 11, available: 10), Shortage(sku: "C", requested: 4, available: 3),
        ]))),
    PlacementCase(
      name: "a line in another currency is the back end's fault",
      lines: [line("A", quantity: 1), line("B", quantity: 1, currency: "USD")],
      expected: .failure(
        .engine(
          "the line B (1 × 2.50 USD) is in USD, but the shop's currency is EUR; amounts are never mixed"))),
  ]
}

@Suite("Placement rule: cart facts in, order draft or refusal out")
struct PlacementRuleTests {
  @Test(arguments: PlacementCase.all)
  func decides(_ row: PlacementCase) {
    let decided = decision { () throws(StoreError) in
      try PlacementRule.decide(
        cartId: "cart-1", status: row.status, lines: row.lines, discounts: row.discounts, currency: "EUR")
    }
    #expect(decided == row.expected)
  }

  @Test(
    arguments: [
      ("cart-1", "order-1", Result<String, StoreError>.success("order-1")),
      ("cart-2", "order-1", .failure(.idempotencyKeyReused)),
      ("cart-2", nil, .failure(.idempotencyKeyReused)),
      ("cart-1", nil, .failure(.requestInFlight)),
    ] as [(String, String?, Result<String, StoreError>)])
  func recordedKeyReplaysOnlyItsOwnCart(
    recordedCart: String, recordedOrder: String?, expected: Result<String, StoreError>
  ) {
    let replayed = decision { () throws(StoreError) in
      try PlacementRule.replay(recordedCartId: recordedCart, recordedOrderId: recordedOrder, cartId: "cart-1")
    }
    #expect(replayed == expected)
  }
}
