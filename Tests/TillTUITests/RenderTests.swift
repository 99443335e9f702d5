import Foundation
import Testing
import TillCore
import TillTestSupport

@testable import TillTUI

@Suite("render: golden screens")
struct RenderTests {
  static let wide = Size(columns: 100, rows: 30)
  static let small = Size(columns: 80, rows: 24)
  static let lines = [
    Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.cafe, 1), Fixtures.line(Fixtures.matcha, 2),
  ]

  func withCart() -> AppState {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.down)
    return state
  }

  @Test func mainScreen() {
    expectGolden(render(withCart(), size: Self.wide), "main-100x30")
  }

  @Test func mainScreenAtTheMinimumSize() {
    var state = withCart()
    _ = state.update(.resize(Self.small))
    expectGolden(render(state, size: Self.small), "main-80x24")
  }

  @Test func emptyCartAndHints() {
    expectGolden(render(Fixtures.state(withCart: []), size: Self.small), "empty-80x24")
  }

  @Test func pendingEditsShowBesideTheQuantity() {
    var state = withCart()
    _ = state.press(.up)
    _ = state.type("2*")
    _ = state.press(.enter, .character("+"))
    #expect(
      !render(state, size: Self.wide).contains("key waiting"), "a wait shorter than a frame shows nothing")
    _ = state.update(.keysWaitingNoticeDue(hold: state.holdSerial))
    let screen = render(state, size: Self.wide)
    expectGolden(screen, "pending")
    #expect(screen.contains("3 +2"), "the + waits for the answer to the first edit")
    #expect(screen.contains("⏳ 1 key waiting…"))
  }

  @Test func searchWithMultiplierAndCategory() {
    var state = withCart()
    _ = state.press(.right)
    _ = state.type("4*")
    _ = state.press(.character("/"))
    _ = state.type("crè")
    expectGolden(render(state, size: Self.wide), "search")
  }

  @Test func offlineStatus() {
    var state = withCart()
    _ = state.update(
      .productsLoaded(.refresh(generation: state.productGeneration), .failure(.offline("refused"))))
    let screen = render(state, size: Self.small)
    #expect(screen.contains("offline — retrying"))
    #expect(screen.contains("Offline — retrying"))
  }

  @Test func lowStockAndSoldOutAreMarked() {
    let screen = render(Fixtures.state(), size: Self.wide)
    #expect(screen.line(4).contains("2 left"))
    #expect(screen.line(5).contains("sold out"))
    let soldOutStyles = (0..<40).map { screen[5, $0].style.role }
    #expect(soldOutStyles.allSatisfy { $0 == .soldOut })
    let stockColumn = screen.line(4).distance(of: "2 left")
    #expect(stockColumn.map { screen[4, $0].style.role } == .lowStock)
  }

  @Test func helpOverlay() {
    var state = withCart()
    _ = state.press(.character("?"))
    expectGolden(render(state, size: Self.small), "help")
  }

  @Test func cashPaymentShowsChange() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(Self.lines, number: 12))))
    state.answerList()
    expectGolden(render(state, size: Self.small), "payment-choose")
    _ = state.press(.character("1"))
    _ = state.type("20")
    let screen = render(state, size: Self.small)
    expectGolden(screen, "payment-cash")
    #expect(screen.contains("Change"))
    #expect(screen.contains("2.70 EUR"))
  }

  @Test func cardDeclined() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(Self.lines, number: 12))))
    state.answerList()
    _ = state.press(.character("2"))
    #expect(render(state, size: Self.small).contains("Charge 17.30 EUR to the card?"))
    _ = state.press(.enter)
    #expect(render(state, size: Self.small).contains("Waiting for the card"))
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(.declined(reason: "insufficient funds"))))
    expectGolden(render(state, size: Self.small), "payment-declined")
  }

  @Test func receipt() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    let order = Fixtures.order(Self.lines, number: 12)
    _ = state.update(.orderPlaced(key: "S-order-1", .success(order)))
    state.answerList()
    _ = state.press(.character("1"))
    _ = state.type("20")
    _ = state.press(.enter)
    let payment = Payment(
      id: "p", orderId: "order-1", method: .cash, status: .succeeded, amount: order.total,
      tendered: euro(2000),
      change: euro(2000 - order.total.amount), attempt: 1, idempotenceKey: nil, declineReason: nil)
    _ = state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: payment))))
    let screen = render(state, size: Self.small)
    expectGolden(screen, "receipt")
    #expect(screen.contains("Order #12"))
  }

  @Test func shortageDialog() {
    var state = Fixtures.state(withCart: [
      Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.broetchen, 5),
    ])
    _ = state.press(.character("c"))
    _ = state.update(
      .orderPlaced(
        key: "S-order-1",
        .failure(
          .insufficientStock([
            Shortage(sku: "BAK-001", requested: 3, available: 0),
            Shortage(sku: "BAK-003", requested: 5, available: 2),
          ]))))
    let screen = render(state, size: Self.small)
    expectGolden(screen, "shortage")
    #expect(screen.contains("wanted 5, only 2 left"))
    #expect(screen.contains("wanted 3, sold out"))
  }

  @Test func ordersList() {
    var state = Fixtures.state(withCart: [])
    _ = state.press(.character("o"))
    _ = state.update(
      .ordersLoaded(
        .success([
          Fixtures.order(Self.lines, number: 13, id: "o13"),
          Fixtures.order(Self.lines, number: 12, status: .paid, id: "o12"),
          Fixtures.order(Self.lines, number: 11, status: .canceled, id: "o11"),
        ])))
    expectGolden(render(state, size: Self.small), "orders")
  }

  @Test func quitConfirmation() {
    var state = withCart()
    _ = state.press(.character("q"))
    expectGolden(render(state, size: Self.small), "quit")
  }

  @Test(arguments: [Size(columns: 79, rows: 24), Size(columns: 80, rows: 23), Size(columns: 40, rows: 10)])
  func tooSmall(size: Size) {
    let screen = render(withCart(), size: size)
    #expect(screen.contains("Terminal too small"))
    #expect(screen.contains("Need 80x24, have \(size.columns)x\(size.rows)"))
  }

  @Test func tooSmallGolden() {
    expectGolden(render(withCart(), size: Size(columns: 60, rows: 20)), "too-small")
  }

  @Test(arguments: [Size(columns: 1, rows: 1), Size(columns: 0, rows: 0), Size(columns: 5, rows: 2)])
  func tinySizesDoNotCrash(size: Size) {
    let screen = render(withCart(), size: size)
    #expect(screen.size == size)
  }

  @Test func missingGoldenFileIsAFailureAndAChangeIsNoticed() throws {
    let url = TemporaryDirectory.freshFile("golden", suffix: ".txt")
    #expect(compareGolden("a\n", at: url, update: false) == .missing)
    #expect(compareGolden("a\n", at: url, update: true) == .written)
    #expect(compareGolden("a\n", at: url, update: false) == .match)
    #expect(compareGolden("b\n", at: url, update: false) == .mismatch(expected: "a\n"))
    try FileManager.default.removeItem(at: url)
  }

  @Test func renderIsPure() {
    let state = withCart()
    #expect(render(state, size: Self.wide) == render(state, size: Self.wide))
  }
}

extension String {
  /// The cell column where `needle` starts in a one-cell-per-character line.
  fileprivate func distance(of needle: String) -> Int? {
    guard let range = range(of: needle) else { return nil }
    return self[..<range.lowerBound].count
  }
}
