import TillCore

/// What the receipt screen shows: the paid order, the payment that paid it, and whether that payment
/// was made before this till asked (then nothing new was taken and no change is due).
public struct Receipt: Sendable, Hashable {
  public var order: Order
  public var payment: Payment
  public var alreadyPaid: Bool
  /// The server's text receipt once it arrives (shown instead of the till's own summary).
  public var text: String?
  /// A reprint from the orders list (marked COPY); closing it goes back to the list.
  public var copy: Bool

  public init(
    order: Order, payment: Payment, alreadyPaid: Bool = false, text: String? = nil, copy: Bool = false
  ) {
    self.order = order
    self.payment = payment
    self.alreadyPaid = alreadyPaid
    self.text = text
    self.copy = copy
  }

  /// Rows the payment takes below the text receipt (see `paymentLines`).
  var paymentRowCount: Int {
    if copy { return 0 }
    if alreadyPaid { return 3 }
    return payment.method == .cash && payment.tendered != nil ? 2 : 1
  }

  /// The receipt's last line: where Enter goes.
  var closingHint: String { copy ? "Enter: back to the orders" : "Thank you! Enter: next customer" }

  /// The text receipt's lines (none until it arrives).
  var textLines: [String] {
    guard let text else { return [] }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }
}

/// Receipts: the server's text on the screen, the ESC/POS bytes to the printer, text copies on disk.
extension AppState {
  /// The receipt's width in columns: 48 when the screen has room for it in its box, else 42.
  var receiptTextWidth: Int { size.columns >= 48 + 6 ? 48 : 42 }

  /// The printer and the receipts folder, as far as they are set; none of them holds a key.
  func issueReceipt(orderId: String, copy: Bool) -> [Effect] {
    var effects: [Effect] = []
    if let path = configuration.printerPath {
      effects.append(
        .printReceipt(orderId: orderId, copy: copy, path: path, width: configuration.printerWidth))
    }
    if let directory = configuration.receiptsDirectory {
      let terminal = staff?.terminal ?? configuration.terminalName
      effects.append(.saveReceipt(orderId: orderId, copy: copy, directory: directory, terminal: terminal))
    }
    return effects
  }

  /// `c` in the orders list: a copy of a paid order's receipt, to the printer when there is one, else on
  /// the screen and (with a receipts folder) into a copy file. Each reprint fetches the copy once: the
  /// server audits every copy it hands out.
  mutating func reprint(_ selected: Order) -> [Effect] {
    guard selected.status == .paid, let payment = selected.payment else {
      status = StatusMessage("Order #\(selected.number) is not paid — it has no receipt", .warning)
      return []
    }
    if configuration.printerPath != nil {
      status = StatusMessage("Printing a copy of order #\(selected.number)…")
      return issueReceipt(orderId: selected.id, copy: true)
    }
    mode = .receipt(Receipt(order: selected, payment: payment, copy: true))
    receiptScroll = 0
    receiptLoading = true
    status = StatusMessage("Copy of order #\(selected.number)'s receipt")
    return [.loadReceipt(orderId: selected.id, width: receiptTextWidth, copy: true)]
  }

  mutating func receiptLoaded(orderId: String, copy: Bool, _ result: Result<String, BackendFailure>)
    -> [Effect]
  {
    receiptLoading = false
    guard case .receipt(var receipt) = mode, receipt.order.id == orderId, receipt.copy == copy else {
      return []
    }
    switch result {
    case .success(let text):
      noteAnswer()
      receipt.text = text
      mode = .receipt(receipt)
      if copy, let directory = configuration.receiptsDirectory {
        let terminal = staff?.terminal ?? configuration.terminalName
        return [
          .saveReceipt(orderId: orderId, copy: true, directory: directory, terminal: terminal, text: text)
        ]
      }
    case .failure(let failure):
      note(failure)
      status = StatusMessage(
        "Receipt text not loaded (\(Messages.describe(failure))) — the summary is shown", .warning)
    }
    return []
  }

  /// A printer that failed never holds up the sale: the status line says so, and the orders list reprints.
  mutating func receiptWritten(orderId: String, copy: Bool, target: ReceiptTarget, failure: String?) {
    switch (target, failure) {
    case (.printer, .some(let reason)):
      unprintedOrders.insert(orderId)
      status = Self.printerFailed(reason)
    case (.file, .some(let reason)):
      status = StatusMessage("Receipt file not written: \(reason)", .warning)
    case (.printer, .none):
      unprintedOrders.remove(orderId)
      guard copy else { return }
      let number = orders.first { $0.id == orderId }.map { " of order #\($0.number)" } ?? ""
      status = StatusMessage("Copy\(number) printed", .success)
    default:
      break
    }
  }

  /// The status line after a print failed: what to do first, then the reason.
  static func printerFailed(_ reason: String) -> StatusMessage {
    StatusMessage("printer failed — reprint from orders (o): \(reason)", .error)
  }
}
