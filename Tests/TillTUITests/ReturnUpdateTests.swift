import Testing
import TillCore

@testable import TillTUI

/// A return from the orders list, in the pure update: the units and the shelf per line, the tender, Enter
/// to send it under the return's one key, a manager's code and PIN in place for a cashier, the refund's
/// receipt; a lost answer keeps the key and the tender.
@Suite("update: returns")
struct ReturnUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.broetchen, 2)]

  /// The orders list with a paid order of `lines` (order-1) above an unpaid one (order-2).
  static func ordersList() -> AppState {
    var state = Fixtures.state()
    let paid = Fixtures.order(lines, number: 7, status: .paid, id: "order-1")
    let unpaid = Fixtures.order(lines, number: 8, status: .placed, id: "order-2")
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([paid, unpaid])))
    return state
  }

  static func refund(_ status: Refund.Status, method: Payment.Method = .cash) -> Refund {
    Refund(
      id: "refund-1", orderId: "order-1", sequence: 1, method: method, status: status, amount: euro(250),
      lines: [], receiptNumber: status == .succeeded ? 9 : nil, staff: "1001", approvedBy: "2001",
      createdAt: "2026-12-02T10:00:00Z")
  }

  @Test func aCashierReturnsTwoLinesWithTheManagersPINInPlace() {
    var state = Self.ordersList()
    #expect(state.press(.character("r")).isEmpty)
    guard case .refund(let opened) = state.mode else {
      Issue.record("r should open the return, not \(state.mode)")
      return
    }
    _ = state.press(.character("+"), .character("+"), .down, .character("+"), .character("d"))
    #expect(state.press(.character("1")).isEmpty, "1 chooses cash; only Enter sends")
    let sent = state.press(.enter)
    let request = RefundRequest(
      lines: [
        .init(sku: Fixtures.croissant.sku, quantity: 2, restock: true),
        .init(sku: Fixtures.broetchen.sku, quantity: 1, restock: false),
      ], method: .cash)
    #expect(sent == [.refund(orderId: "order-1", request: request, key: opened.key)])
    #expect(state.awaitingAnswer, "keys wait for the refund's answer")

    _ = state.update(
      .refundFinished(key: opened.key, .failure(.rejected(kind: .approvalRequired, message: ""))))
    guard case .approval = state.mode else {
      Issue.record("a cashier is asked for a manager, not \(state.mode)")
      return
    }
    _ = state.typeCredentials("2001", "4321")
    var approved = request
    approved.approval = Approval(code: "2001", pin: "4321")
    #expect(
      state.press(.enter) == [.refund(orderId: "order-1", request: approved, key: opened.key)], "the same key"
    )

    let loaded = state.update(.refundFinished(key: opened.key, .success(Self.refund(.succeeded))))
    #expect(
      loaded == [.loadRefundReceipt(orderId: "order-1", refundId: "refund-1", width: state.receiptTextWidth)])
    _ = state.update(.refundReceiptLoaded(refundId: "refund-1", .success("REFUND 1 OF ORDER 7\nTOTAL -2.50")))
    #expect(render(state, size: state.size).text.contains("REFUND 1 OF ORDER 7"))
    #expect(state.press(.enter) == [.loadOrders])
    #expect(state.mode == .orders)
  }

  @Test func aLostAnswerKeepsTheKeyAndTheTender() {
    var state = Self.ordersList()
    _ = state.press(.character("r"), .character("+"), .character("2"))
    let first = state.press(.enter)
    guard case .refund(let returning) = state.mode, case .refund(_, _, let key) = first.first else {
      Issue.record("Enter should send the refund: \(first)")
      return
    }
    _ = state.update(.refundFinished(key: key, .failure(.offline("lost"))))
    guard case .refund(let after) = state.mode, case .confirm(.card) = after.stage else {
      Issue.record("the tender should stay chosen: \(state.mode)")
      return
    }
    #expect(after.key == returning.key)
    #expect(state.press(.enter) == first, "Enter sends the same refund under the same key")
    _ = state.update(.refundFinished(key: key, .success(Self.refund(.pending, method: .card))))
    #expect(state.status?.text == "Card refund of 2.50 pending at the card service")
  }

  @Test func onlyAPaidOrderIsReturnedAndNothingGoesBackWithoutUnits() {
    var state = Self.ordersList()
    _ = state.press(.down)
    #expect(state.press(.character("r")).isEmpty)
    #expect(
      state.mode == .orders
        && state.status?.text == "Order #8 is placed with nothing paid — nothing to give back")
    _ = state.press(.up, .character("r"))
    #expect(state.press(.character("1")).isEmpty)
    #expect(state.status?.text == "Choose what comes back first: + on a line")
    #expect(state.press(.escape) == [.loadOrders])
  }

  /// An order not yet paid with a card part of 1.00 paid: `r` gives the part back (no lines), by the
  /// tender it was paid with; cash, which was not paid, is refused on the spot.
  @Test func thePaidPartsOfAnOrderNotYetPaidGoBackByTheirTender() {
    var state = Fixtures.state()
    let card = Payment(
      id: "pay-1", orderId: "order-2", method: .card, status: .succeeded, amount: euro(100), tendered: nil,
      change: nil, attempt: 1, idempotenceKey: "order-order-2-payment-1", declineReason: nil)
    var partlyPaid = Fixtures.order(Self.lines, number: 8, status: .placed, id: "order-2")
    partlyPaid.payments = [card]
    partlyPaid.paid = euro(100)
    _ = state.press(.character("o"))
    _ = state.update(.ordersLoaded(.success([partlyPaid])))
    #expect(state.press(.character("r")).isEmpty)
    guard case .refund(let opened) = state.mode else {
      Issue.record("r should open the paid parts, not \(state.mode)")
      return
    }
    #expect(render(state, size: state.size).text.contains("Paid parts of order #8"))
    #expect(state.press(.character("+"), .character("1")).isEmpty)
    #expect(state.status?.text == "No cash part was paid")
    #expect(state.press(.character("2")).isEmpty, "2 chooses the card; only Enter sends")
    #expect(render(state, size: state.size).text.contains("Refund 1.00 to the card?"))
    #expect(
      state.press(.enter) == [
        .refund(orderId: "order-2", request: RefundRequest(lines: [], method: .card), key: opened.key)
      ])
  }

  /// A refund's receipt goes where a sale's goes: the printer and the receipts folder, holding no key;
  /// a printer that fails says so, and the receipt stays on the screen.
  @Test func theRefundsReceiptGoesToThePrinterAndTheFolder() {
    var state = Self.ordersList()
    state.configuration.printerPath = "/dev/usb/lp0"
    state.configuration.receiptsDirectory = "/var/receipts"
    _ = state.press(.character("r"), .character("+"), .character("1"))
    guard case .refund(let opened) = state.mode else {
      Issue.record("r should open the return, not \(state.mode)")
      return
    }
    _ = state.press(.enter)
    var refund = Self.refund(.succeeded)
    refund.orderId = "order-1"
    #expect(
      state.update(.refundFinished(key: opened.key, .success(refund))) == [
        .loadRefundReceipt(orderId: "order-1", refundId: "refund-1", width: state.receiptTextWidth),
        .printRefundReceipt(orderId: "order-1", refundId: "refund-1", path: "/dev/usb/lp0", width: 42),
        .saveRefundReceipt(
          orderId: "order-1", refundId: "refund-1", receiptNumber: 9, directory: "/var/receipts",
          terminal: "T1"),
      ])
    _ = state.update(.refundReceiptLoaded(refundId: "refund-1", .success("REFUND 1 OF ORDER 7")))
    #expect(!state.awaitingAnswer, "the printer's answer holds no key")
    _ = state.update(.refundReceiptWritten(target: .printer, failure: "/dev/usb/lp0: No such device"))
    #expect(
      state.status?.text
        == "printer failed — the refund's receipt is on the screen: /dev/usb/lp0: No such device")
    #expect(render(state, size: state.size).text.contains("REFUND 1 OF ORDER 7"))

    var pending = state
    pending.mode = .refund(ReturnDialog(order: opened.order, key: "k2"))
    guard case .refund(var sending) = pending.mode else { return }
    sending.stage = .sending(.card)
    pending.mode = .refund(sending)
    #expect(
      pending.update(.refundFinished(key: "k2", .success(Self.refund(.pending, method: .card)))).isEmpty,
      "a card refund still pending has no receipt to print yet")
  }
}
