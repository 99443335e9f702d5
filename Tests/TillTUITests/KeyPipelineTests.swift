import Testing
import TillCore

@testable import TillTUI

/// The key pipeline in the pure update: keys wait, in order, for the answers they depend on.
@Suite("update: the key pipeline")
struct KeyPipelineTests {
  @Test func enterTypedBehindASearchAddsWhatTheSearchFound() {
    var state = Fixtures.state(withCart: [])
    #expect(state.selectedProduct?.sku == "BAK-001")
    _ = state.press(.character("/"))
    _ = state.type("caf")
    #expect(state.searchText == "caf", "query edits apply at once")
    _ = state.press(.enter, .enter)
    #expect(state.heldKeys == [.key(.enter), .key(.enter)], "both wait for the filtered list")
    let effects = state.answerList([Fixtures.cafe])
    #expect(increments(effects).map(\.sku) == ["COF-001"], "not the croissant that was under the cursor")
    #expect(state.heldKeys.isEmpty)
  }

  @Test func aStaleListAnswerDoesNotReleaseKeysEarly() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("/"))
    _ = state.type("c")
    let stale = state.productGeneration
    _ = state.type("a")
    _ = state.press(.enter, .enter)
    _ = state.update(
      .productsLoaded(.list(generation: stale), .success(Page(items: Fixtures.products, next: nil))))
    #expect(state.heldKeys.count == 2, "the answer to an older query is dropped; the keys keep waiting")
    #expect(increments(state.answerList([Fixtures.cafe])).map(\.sku) == ["COF-001"])
  }

  @Test func heldKeysApplyInOrderAcrossSeveralAnswers() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("+"), .character("+"), .character("c"))
    #expect(state.heldKeys == [.key(.character("+")), .key(.character("c"))])
    let second = state.answerIncrement([Fixtures.line(Fixtures.croissant, 1)])
    #expect(increments(second).map(\.delta) == [1])
    #expect(state.heldKeys == [.key(.character("c"))], "c waits for the second edit")
    let order = state.answerIncrement([Fixtures.line(Fixtures.croissant, 2)])
    #expect(order == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-3")])
    #expect(state.mode == .checkout)
  }

  @Test func aFailedAnswerReleasesTheKeysOntoTheFailure() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("+"), .character("c"), .escape)
    state.failIncrementOffline()
    #expect(state.heldKeys.isEmpty)
    #expect(state.mode == .browse, "c waited for the edit, then Esc stopped the checkout that could not go")
    #expect(state.status?.text == "Checkout stopped")
  }

  @Test func theWaitingNoticeComesAfterAFrameAndGoesWithTheKeys() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("+"))
    #expect(state.press(.character("+"), .character("+")) == [.noticeKeysWaiting(hold: 1)])
    #expect(state.keysWaitingText == nil)
    _ = state.update(.keysWaitingNoticeDue(hold: 1))
    #expect(state.keysWaitingText == "2 keys waiting…")
    state.answerIncrement([Fixtures.line(Fixtures.croissant, 1)])
    #expect(state.keysWaitingText == "1 key waiting…")
    state.answerIncrement([Fixtures.line(Fixtures.croissant, 2)])
    #expect(state.keysWaitingText == nil)
    _ = state.update(.keysWaitingNoticeDue(hold: 1))
    #expect(state.keysWaitingText == nil, "a notice due for an earlier hold shows nothing")
  }

  @Test func helpOpensAndClosesWithoutWaiting() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("+"))
    _ = state.press(.character("?"))
    #expect(state.showHelp)
    _ = state.press(.escape)
    #expect(!state.showHelp)
    #expect(state.heldKeys.isEmpty)
  }

  @Test func keysDoNothingWhileTheTerminalIsTooSmall() {
    var state = Fixtures.state(withCart: [])
    _ = state.update(.resize(Size(columns: 60, rows: 20)))
    #expect(state.press(.enter, .character("c"), .character("o")).isEmpty)
    #expect(state.mode == .browse && !state.hasPendingEdits)
    #expect(state.press(.control("c")) == [.quit])
  }

  @Test func aScanInTheListAddsAndInADialogIsRefused() {
    var state = Fixtures.state(withCart: [])
    #expect(increments(state.update(.scan("4001000000017"))).map(\.sku) == ["COF-001"])
    state.answerIncrement([Fixtures.line(Fixtures.cafe, 1)])
    _ = state.press(.character("c"))
    _ = state.update(
      .orderPlaced(key: "S-order-2", .success(Fixtures.order([Fixtures.line(Fixtures.cafe, 1)]))))
    state.answerList()
    _ = state.press(.character("1"))
    _ = state.type("5")
    #expect(state.update(.scan("4012802137743")).isEmpty)
    #expect(state.mode == .payment(.cash("5")), "the scan's digits never reach the amount")
    #expect(state.status?.text == "Scan of 4012802137743 ignored — finish this first (Esc goes back)")
    _ = state.press(.escape)
    #expect(state.update(.scan("4012802137743")).isEmpty)
    #expect(state.mode == .payment(.choose), "nor the menu")
  }

  @Test func aScanOnTheReceiptStartsTheNextCustomer() {
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.cafe, 1)])
    let order = Fixtures.order([Fixtures.line(Fixtures.cafe, 1)])
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(order)))
    state.answerList()
    var paid = order
    paid.status = .paid
    let payment = Payment(
      id: "p", orderId: order.id, method: .card, status: .succeeded, amount: order.total, tendered: nil,
      change: nil, attempt: 1, idempotenceKey: nil, declineReason: nil)
    _ = state.update(.paymentFinished(orderId: order.id, .success(PaymentAnswer(payment: payment))))
    // The scan waits for the server's receipt, then acts on the receipt screen.
    #expect(state.update(.scan("4012802137743")) == [.noticeKeysWaiting(hold: state.holdSerial)])
    let effects = state.update(.receiptLoaded(orderId: order.id, copy: false, .success("receipt")))
    #expect(state.mode == .browse)
    #expect(effects == [.createCart(staff: "1001")], "a new cart for the next customer, then the croissant")
    #expect(state.pendingDelta(sku: "BAK-001") == 1)
  }

  @Test func aScanOfflineIsKeptAndAddedWhenTheBackEndReturns() {
    var state = Fixtures.state(withCart: [])
    let lookup = state.update(.scan("4099999999999"))
    #expect(
      lookup == [
        .loadProducts(ProductQuery(text: "4099999999999", limit: 20), .lookup(code: "4099999999999"))
      ])
    _ = state.update(.productsLoaded(.lookup(code: "4099999999999"), .failure(.offline("refused"))))
    #expect(state.status?.text == "Offline — 4099999999999 is kept and added when the till is back online")
    _ = state.press(.character("c"))
    #expect(state.mode == .checkout, "checkout waits for the kept scan")
    #expect(
      state.update(.tick).contains(
        .loadProducts(ProductQuery(text: "4099999999999", limit: 20), .lookup(code: "4099999999999"))))
    let found = Product(
      sku: "NEW-001", name: "Stollen", category: "Bakery", price: euro(990), stock: 5,
      barcode: "4099999999999")
    let added = state.update(
      .productsLoaded(.lookup(code: "4099999999999"), .success(Page(items: [found], next: nil))))
    #expect(increments(added).map { "\($0.sku) \($0.delta)" } == ["NEW-001 1"])
    let order = state.answerIncrement([Fixtures.line(found, 1)])
    #expect(order == [.placeOrder(cartId: "cart-1", idempotencyKey: "S-order-1")], "then the order goes")
  }

  @Test func quitAsksWhileAnOrderIsUnpaid() {
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.cafe, 1)])
    _ = state.press(.character("c"))
    _ = state.update(
      .orderPlaced(key: "S-order-1", .success(Fixtures.order([Fixtures.line(Fixtures.cafe, 1)]))))
    state.answerList()
    _ = state.press(.escape)
    #expect(state.press(.character("q")).isEmpty)
    #expect(state.mode == .confirmQuit)
    #expect(render(state, size: Size(columns: 80, rows: 24)).contains("An order is unpaid."))
  }

  @Test func escapeClearsAFilterKeptWithEnter() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("/"))
    _ = state.type("caf")
    state.answerList([Fixtures.cafe])
    _ = state.press(.enter)
    #expect(state.searchText == "caf" && !state.searching)
    let effects = state.press(.escape)
    #expect(state.searchText.isEmpty)
    #expect(effects == [.loadProducts(ProductQuery(limit: 200), .list(generation: state.productGeneration))])
    state.answerList()
    #expect(state.productIndex == 0 && state.selectedProduct != nil, "a row shows the cursor")
  }
}
