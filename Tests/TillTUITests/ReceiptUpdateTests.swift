import Testing
import TillCore

@testable import TillTUI

/// The receipt after a payment is the server's text (48 columns when the screen has room, else 42);
/// a printer and a receipts folder get theirs off the key loop, and a printer that fails only says so.
/// The orders list reprints a paid order's receipt as a copy.
@Suite("update: receipts, printer, reprints")
struct ReceiptUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 2)]
  static let cash = Payment(
    id: "pay-1", orderId: "order-1", method: .cash, status: .succeeded, amount: euro(380),
    tendered: euro(500), change: euro(120), attempt: 1, idempotenceKey: nil, declineReason: nil)
  static let text = """
        Bäckerei Sonne
    Receipt 1                       Order #7
    2 × Croissant                       3.80
    TOTAL                               3.80
    VAT  7%   net 3.55  tax 0.25  gross 3.80
    """

  /// An order placed and cash typed; `configuration` decides the printer and the receipts folder.
  static func paying(_ configuration: AppConfiguration = Fixtures.configuration) -> AppState {
    var state = Fixtures.state()
    state.configuration = configuration
    state.cart = Fixtures.cart(lines)
    state.cartRequested = true
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(lines))))
    state.answerList()
    _ = state.press(.character("1"))
    _ = state.type("5")
    #expect(
      state.press(.enter) == [
        .pay(orderId: "order-1", request: .cash(tendered: euro(500)), key: "S-pay-2")
      ])
    return state
  }

  static func paid(_ state: inout AppState) -> [Effect] {
    state.update(.paymentFinished(orderId: "order-1", .success(PaymentAnswer(payment: cash))))
  }

  @Test func thePaidReceiptIsTheServersTextAtTheScreensWidth() {
    var state = Self.paying()
    #expect(Self.paid(&state) == [.loadReceipt(orderId: "order-1", width: 48, copy: false)])
    #expect(state.receiptLoading && state.awaitingAnswer)
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .success(Self.text)))
    let screen = render(state, size: state.size).text
    #expect(screen.contains("VAT  7%   net 3.55  tax 0.25  gross 3.80"))
    #expect(screen.contains("Enter: next customer"))
    #expect(!state.receiptLoading)

    // Every screen the till runs on (80 columns and more) has room for 48; 42 is for narrower ones.
    state.size = Size(columns: 50, rows: 30)
    #expect(state.receiptTextWidth == 42)
  }

  @Test func keysTypedOnTheReceiptWaitForItsText() {
    var state = Self.paying()
    _ = Self.paid(&state)
    _ = state.press(.enter)
    guard case .receipt = state.mode else {
      Issue.record("Enter acted before the receipt arrived: \(state.mode)")
      return
    }
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .success(Self.text)))
    #expect(state.mode == .browse)
  }

  @Test func aReceiptThatCannotBeLoadedShowsTheSummary() {
    var state = Self.paying()
    _ = Self.paid(&state)
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .failure(.offline("refused"))))
    #expect(!state.awaitingAnswer)
    let screen = render(state, size: state.size).text
    #expect(screen.contains("Paid cash"))
    #expect(state.status?.text.hasPrefix("Receipt text not loaded") == true)
  }

  @Test func thePrinterAndTheFolderGetTheOriginalWithoutHoldingKeys() {
    var configuration = Fixtures.configuration
    configuration.printerPath = "/dev/usb/lp0"
    configuration.receiptsDirectory = "/var/receipts"
    var state = Self.paying(configuration)
    #expect(
      Self.paid(&state) == [
        .loadReceipt(orderId: "order-1", width: 48, copy: false),
        .printReceipt(orderId: "order-1", copy: false, path: "/dev/usb/lp0", width: 42),
        .saveReceipt(orderId: "order-1", copy: false, directory: "/var/receipts", terminal: "T1"),
      ])
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: false, .success(Self.text)))
    #expect(!state.awaitingAnswer, "the printer's answer holds no key")
    // A missing device fails at once, while the receipt is still on the screen.
    _ = state.update(
      .receiptWritten(
        orderId: "order-1", copy: false, target: .printer, failure: "/dev/usb/lp0: No such device"))
    #expect(state.status?.text == "printer failed — reprint from orders (o): /dev/usb/lp0: No such device")
    _ = state.press(.enter)
    #expect(state.mode == .browse)
    #expect(state.status == StatusMessage("printer failed — reprint from orders (o)", .error), "kept in view")
    #expect(state.unprintedOrders == ["order-1"])
  }

  @Test func theOrdersListMarksAnUnprintedOrderUntilACopyPrints() {
    var configuration = Fixtures.configuration
    configuration.printerPath = "/tmp/printer"
    var state = Self.ordersList(configuration)
    state.unprintedOrders = ["order-1"]
    #expect(render(state, size: state.size).text.contains("not printed"))
    _ = state.update(.receiptWritten(orderId: "order-1", copy: true, target: .printer, failure: nil))
    #expect(state.unprintedOrders.isEmpty)
    #expect(!render(state, size: state.size).text.contains("not printed"))
  }

  @Test func aCopyOnTheScreenIsFiledFromTheTextFetchedOnce() {
    var configuration = Fixtures.configuration
    configuration.receiptsDirectory = "/var/receipts"
    var state = Self.ordersList(configuration)
    #expect(state.press(.character("c")) == [.loadReceipt(orderId: "order-1", width: 48, copy: true)])
    let copy = "COPY\n" + Self.text
    #expect(
      state.update(.receiptLoaded(orderId: "order-1", copy: true, .success(copy))) == [
        .saveReceipt(orderId: "order-1", copy: true, directory: "/var/receipts", terminal: "T1", text: copy)
      ])
  }

  static func ordersList(_ configuration: AppConfiguration = Fixtures.configuration) -> AppState {
    var state = Fixtures.state()
    state.configuration = configuration
    var paid = Fixtures.order(lines, number: 7, status: .paid, id: "order-1")
    paid.payment = cash
    let unpaid = Fixtures.order(lines, number: 8, status: .placed, id: "order-2")
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([paid, unpaid])))
    return state
  }

  @Test func cReprintsACopyOnTheScreenWithoutAPrinter() {
    var state = Self.ordersList()
    #expect(state.press(.character("c")) == [.loadReceipt(orderId: "order-1", width: 48, copy: true)])
    _ = state.update(.receiptLoaded(orderId: "order-1", copy: true, .success("COPY\n" + Self.text)))
    let screen = render(state, size: state.size).text
    #expect(screen.contains("Receipt — copy") && screen.contains("COPY"))
    _ = state.press(.enter)
    #expect(state.mode == .orders)
  }

  @Test func cReprintsToThePrinterWhenThereIsOne() {
    var configuration = Fixtures.configuration
    configuration.printerPath = "/tmp/printer"
    var state = Self.ordersList(configuration)
    #expect(
      state.press(.character("c")) == [
        .printReceipt(orderId: "order-1", copy: true, path: "/tmp/printer", width: 42)
      ])
    #expect(state.mode == .orders && !state.awaitingAnswer)
    _ = state.update(.receiptWritten(orderId: "order-1", copy: true, target: .printer, failure: nil))
    #expect(state.status?.text == "Copy of order #7 printed")
  }

  @Test func anUnpaidOrderHasNoReceiptAndF5Reloads() {
    var state = Self.ordersList()
    _ = state.press(.down)
    #expect(state.press(.character("c")).isEmpty)
    #expect(state.status?.text == "Order #8 is not paid — it has no receipt")
    #expect(state.press(.function(5)) == [.loadOrders])
  }
}
