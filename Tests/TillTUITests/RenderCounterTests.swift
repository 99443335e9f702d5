import Testing
import TillCore

@testable import TillTUI

/// Golden screens of what the counter's keys can lead to: an order paid before this till asked, a receipt
/// longer than the screen, a line taken to zero, a tender far above the total, a pending card.
@Suite("render: receipts, removed lines, money confirmations")
struct RenderCounterTests {
  static let small = Size(columns: 80, rows: 24)

  /// An unpaid order #12 on the pay dialog, the product list answered.
  func placed(_ lines: [Cart.Line]) -> AppState {
    var state = Fixtures.state(withCart: lines, size: Self.small)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(lines, number: 12))))
    state.answerList()
    return state
  }

  func cash(_ order: Order, tendered: Int, id: String = "pay-1") -> Payment {
    Payment(
      id: id, orderId: order.id, method: .cash, status: .succeeded, amount: order.total,
      tendered: euro(tendered), change: euro(tendered - order.total.amount), attempt: 1, idempotenceKey: nil,
      declineReason: nil)
  }

  @Test func anOrderPaidElsewhereIsShownAsAlreadyPaid() {
    let lines = [Fixtures.line(Fixtures.croissant, 1)]
    var state = placed(lines)
    _ = state.press(.character("1"))
    _ = state.type("5")
    _ = state.press(.enter)
    let earlier = cash(Fixtures.order(lines, number: 12), tendered: 1000, id: "pay-other")
    _ = state.update(
      .paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: earlier, alreadyPaid: true))))
    let screen = render(state, size: Self.small)
    expectGolden(screen, "receipt-already-paid")
    #expect(screen.contains("Receipt — already paid"))
    #expect(screen.contains("Order #12 was already paid by cash"))
    #expect(screen.contains("Paid earlier by cash"))
    #expect(!screen.contains("Change"), "the change was handed out when that payment was made")
    #expect(state.status?.text == "Order #12 was already paid — nothing new was taken")
  }

  @Test func aLongReceiptScrollsAndKeepsItsTotalsInView() {
    let products = (1...30).map { number in
      Product(
        sku: "SKU-\(number)", name: "Item \(number)", category: "Bakery", price: euro(100 + number),
        stock: 50,
        barcode: "9\(number)")
    }
    let lines = products.map { Fixtures.line($0, 1) }
    var state = placed(lines)
    _ = state.press(.character("1"))
    _ = state.type("100")
    _ = state.press(.enter)
    let order = Fixtures.order(lines, number: 12)
    _ = state.update(
      .paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: cash(order, tendered: 10_000)))))
    // The server's receipt is not to be had: the till's own summary stays, and the keys go on.
    _ = state.update(
      .receiptLoaded(
        orderId: "order-1", copy: false, .failure(.rejected(kind: .receiptNotIssued, message: "x"))))
    let top = render(state, size: Self.small)
    #expect(top.contains("Item 1 "))
    #expect(top.contains("Total") && top.contains("Paid cash") && top.contains("Change"))
    #expect(top.contains("0 above · 20 below — 30 lines"))
    _ = state.press(.pageDown, .pageDown, .pageDown, .down)
    let bottom = render(state, size: Self.small)
    expectGolden(bottom, "receipt-scrolled")
    #expect(bottom.contains("Item 30"))
    #expect(!bottom.contains("Item 1 "))
    #expect(bottom.contains("Change") && bottom.contains("65.35"))
    _ = state.press(.home)
    #expect(render(state, size: Self.small).contains("Item 1 "))
  }

  @Test func aLineTakenToZeroStaysInPlaceAsRemoved() {
    let lines = [
      Fixtures.line(Fixtures.croissant, 1), Fixtures.line(Fixtures.cafe, 2),
      Fixtures.line(Fixtures.matcha, 1),
    ]
    var state = Fixtures.state(withCart: lines, size: Self.small)
    _ = state.press(.tab, .down, .character("-"))
    state.answerIncrement(
      lines.enumerated().map { $1.sku == "COF-001" ? Fixtures.line(Fixtures.cafe, 1) : $1 })
    _ = state.press(.character("-"))
    state.answerIncrement([lines[0], lines[2]])
    #expect(increments(state.press(.character("-"), .character("-"))).isEmpty, "presses on it do nothing")
    let screen = render(state, size: Self.small)
    expectGolden(screen, "cart-removed-line")
    #expect(screen.contains("removed Café crème"))
    #expect(state.status?.text == "Café crème is already removed")
    _ = state.press(.down)
    #expect(!render(state, size: Self.small).contains("removed Café"), "the cursor left it: it goes")
    #expect(state.displayedCartLines[state.cartIndex].sku == "TEA-007")
  }

  @Test func aTenderFarAboveTheTotalAsksOnceMore() {
    var state = placed([Fixtures.line(Fixtures.croissant, 1)])
    _ = state.press(.character("1"))
    _ = state.type("2547")
    #expect(state.press(.enter).isEmpty, "nothing is recorded yet")
    let screen = render(state, size: Self.small)
    expectGolden(screen, "payment-confirm-tender")
    #expect(screen.contains("far more than is to pay"))
    #expect(
      state.press(.enter) == [
        .pay(orderId: "order-1", request: .cash(tendered: euro(254_700)), key: "S-pay-2")
      ],
      "a second Enter records it")
  }

  @Test func aTenderAboveTheLargestIsRefusedSayingWhatIsAllowed() {
    var state = placed([Fixtures.line(Fixtures.croissant, 1)])
    _ = state.press(.character("1"))
    _ = state.type("99999999999")
    let screen = render(state, size: Self.small)
    #expect(screen.contains("Too much: at most 100000000.00 in cash"))
    #expect(!screen.contains("99999999997"), "no absurd change")
    #expect(state.press(.enter).isEmpty)
    #expect(state.status?.text == "At most 100000000.00 can be taken in cash")
  }

  @Test func aPendingCardOffersNoCash() {
    var state = placed([Fixtures.line(Fixtures.croissant, 1)])
    _ = state.press(.character("2"), .enter)
    let pending = Payment(
      id: "pay-1", orderId: "order-1", method: .card, status: .pending, amount: euro(190), tendered: nil,
      change: nil, attempt: 1, idempotenceKey: "order-order-1-payment-1", declineReason: nil)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: pending))))
    let screen = render(state, size: Self.small)
    expectGolden(screen, "payment-card-pending")
    #expect(!screen.contains("1  Cash"))
    #expect(state.press(.character("1")).isEmpty)
    #expect(state.mode == .payment(.cardPending))
    #expect(state.status?.text == "No cash while the card payment is pending — wait, or r to ask again")
    #expect(state.press(.character("r")) == [.loadOrders], "r reads the order; it sends no payment")
  }
}

@Suite("update: a total above the largest cash tender")
struct LargestTenderTests {
  @Test func cashForATotalAboveTheLargestTenderSaysPayByCard() {
    let dear = Product(
      sku: "GOLD-1", name: "Gold bar", category: "Bakery", price: euro(1_000_000_000), stock: 50, barcode: "7"
    )
    let lines = [Fixtures.line(dear, 20)]
    var state = Fixtures.state(withCart: lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(lines))))
    state.answerList()
    _ = state.press(.character("1"))
    _ = state.type("100000000")
    #expect(state.press(.enter).isEmpty)
    #expect(
      state.status?.text
        == "That is more than the largest cash tender (100000000.00) — pay by card or in parts")
  }
}
