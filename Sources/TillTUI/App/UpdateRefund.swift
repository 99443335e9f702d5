import TillCore

/// A return from the orders list: `r` on a paid order, the units of each line and whether they go back
/// on the shelf, `1` cash or `2` card, Enter to send it (a cashier is asked for a manager's code and PIN
/// in place), then the refund's receipt. Money goes back only on that Enter; the return keeps one key,
/// so sending it again after a lost answer is answered with the refund made, never a second one.
extension AppState {
  /// Whether a refund is on its way (keys typed meanwhile wait for its answer).
  var refundInFlight: Bool {
    switch mode {
    case .refund(let returning):
      if case .sending = returning.stage { return true }
      return false
    case .approval(let dialog):
      if case .refund = dialog.purpose { return dialog.form.sending }
      return false
    default: return false
    }
  }

  /// `r` on an order of the list: a paid order gives back lines; an order not yet paid gives back the
  /// parts paid of it; anything else has nothing to give back.
  mutating func startReturn(_ order: Order) -> [Effect] {
    let partlyPaid = order.status == .placed && order.paid.amount > 0
    guard order.status == .paid || partlyPaid else {
      status = StatusMessage(
        "Order #\(order.number) is \(order.status.rawValue) with nothing paid — nothing to give back",
        .warning)
      return []
    }
    mode = .refund(ReturnDialog(order: order, key: nextIdentifier("refund")))
    status = StatusMessage(
      partlyPaid
        ? "Give back the paid parts: 1 the cash paid, 2 the latest card part"
        : "What comes back: ↑↓ a line, + / - units, d damaged; then 1 cash or 2 card")
    return []
  }

  mutating func returnKey(_ key: Key, _ returning: ReturnDialog) -> [Effect] {
    var returning = returning
    switch returning.stage {
    case .sending:
      return []
    case .done:
      guard key == .enter || key == .escape else { return [] }
      return backToOrders(StatusMessage("Return of order #\(returning.order.number) done"))
    case .confirm(let method):
      if key == .escape { returning.stage = .lines }
      if key == .enter {
        returning.stage = .sending(method)
        mode = .refund(returning)
        status = StatusMessage(method == .card ? "Refunding to the card…" : "Recording the cash refund…")
        return [
          .refund(orderId: returning.order.id, request: returning.request(method: method), key: returning.key)
        ]
      }
      mode = .refund(returning)
      return []
    case .lines:
      return returnLinesKey(key, &returning)
    }
  }

  private mutating func returnLinesKey(_ key: Key, _ returning: inout ReturnDialog) -> [Effect] {
    let lines = returning.order.lines
    // Paid parts have no lines to pick: only the tender and Esc mean anything.
    let selected =
      returning.givesBackParts || !lines.indices.contains(returning.index) ? nil : lines[returning.index]
    switch key {
    case .up: returning.index = max(0, returning.index - 1)
    case .down: returning.index = max(0, min(lines.count - 1, returning.index + 1))
    case .character("+"), .right:
      if let selected {
        returning.quantities[selected.sku] = min(
          selected.quantity, (returning.quantities[selected.sku] ?? 0) + 1)
      }
    case .character("-"), .left:
      if let selected {
        returning.quantities[selected.sku] = max(0, (returning.quantities[selected.sku] ?? 0) - 1)
      }
    case .character("d"):
      if let selected {
        if returning.damaged.contains(selected.sku) {
          returning.damaged.remove(selected.sku)
        } else {
          returning.damaged.insert(selected.sku)
        }
      }
    case .character("1"), .character("2"):
      let method: Payment.Method = key == .character("1") ? .cash : .card
      if returning.givesBackParts {
        guard returning.estimate(for: method).amount > 0 else {
          status = StatusMessage("No \(method == .cash ? "cash" : "card") part was paid", .warning)
          return []
        }
      } else {
        guard !returning.request(method: method).lines.isEmpty else {
          status = StatusMessage("Choose what comes back first: + on a line", .warning)
          return []
        }
      }
      returning.stage = .confirm(method)
      status = StatusMessage(
        "Refund \(returning.estimate(for: method).decimalString) \(method == .cash ? "in cash" : "to the card")? Enter: yes, Esc: back"
      )
    case .escape:
      return backToOrders(StatusMessage("Nothing refunded"))
    default: break
    }
    mode = .refund(returning)
    return []
  }

  /// The answer to the refund sent under `key`, in the return dialog or in its approval dialog.
  mutating func refundFinished(key: String, _ result: Result<Refund, BackendFailure>) -> [Effect] {
    var returning: ReturnDialog
    var method: Payment.Method
    switch mode {
    case .refund(let dialog):
      guard dialog.key == key, case .sending(let sent) = dialog.stage else { return [] }
      (returning, method) = (dialog, sent)
    case .approval(let approval):
      guard case .refund(let dialog, let sent) = approval.purpose, dialog.key == key else { return [] }
      if case .failure(let failure) = result, Self.asksForApprovalAgain(failure) {
        askForApprovalAgain(approval, failure)
        return []
      }
      (returning, method) = (dialog, sent)
    default:
      return []
    }
    switch result {
    case .success(let refund):
      noteAnswer()
      returning.stage = .done(refund, receipt: nil)
      mode = .refund(returning)
      guard refund.status == .succeeded else {
        status = StatusMessage(
          "Card refund of \(refund.amount.decimalString) pending at the card service", .warning)
        return []
      }
      status = StatusMessage(
        "Refunded \(refund.amount.decimalString) \(refund.method == .cash ? "in cash — from the drawer" : "to the card")",
        .success)
      receiptLoading = true
      return [.loadRefundReceipt(orderId: returning.order.id, refundId: refund.id, width: receiptTextWidth)]
        + issueRefundReceipt(refund)
    case .failure(.rejected(.approvalRequired, _)):
      noteAnswer()
      returning.stage = .lines
      mode = .approval(ApprovalDialog(refund: returning, method: method))
      status = StatusMessage("A refund needs a manager: their code and PIN")
      return []
    case .failure(let failure):
      let offline = note(failure)
      // A lost answer keeps the tender chosen: Enter sends it again under the same key.
      returning.stage = offline ? .confirm(method) : .lines
      mode = .refund(returning)
      if offline { status = StatusMessage("Offline — refund not confirmed; Enter tries again", .warning) }
      return []
    }
  }

  mutating func refundReceiptLoaded(refundId: String, _ result: Result<String, BackendFailure>) -> [Effect] {
    receiptLoading = false
    guard case .refund(var returning) = mode, case .done(let refund, _) = returning.stage,
      refund.id == refundId
    else { return [] }
    switch result {
    case .success(let text):
      returning.stage = .done(refund, receipt: text)
      mode = .refund(returning)
    case .failure(let failure):
      note(failure)
    }
    return []
  }

  private mutating func backToOrders(_ message: StatusMessage) -> [Effect] {
    mode = .orders
    status = message
    ordersLoading = true
    background.remove(.orders)
    return [.loadOrders]
  }

  /// A succeeded refund's receipt to the printer and the receipts folder, as far as they are set, like
  /// a sale's; none of them holds a key.
  func issueRefundReceipt(_ refund: Refund) -> [Effect] {
    var effects: [Effect] = []
    if let path = configuration.printerPath {
      effects.append(
        .printRefundReceipt(
          orderId: refund.orderId, refundId: refund.id, path: path, width: configuration.printerWidth))
    }
    if let directory = configuration.receiptsDirectory, let number = refund.receiptNumber {
      effects.append(
        .saveRefundReceipt(
          orderId: refund.orderId, refundId: refund.id, receiptNumber: number, directory: directory,
          terminal: staff?.terminal ?? configuration.terminalName))
    }
    return effects
  }

  /// A refund's receipt that could not be printed or kept: the money went back all the same, and the
  /// receipt is on the screen; the status line says what failed.
  mutating func refundReceiptWritten(target: ReceiptTarget, failure: String?) {
    guard let failure else { return }
    switch target {
    case .printer:
      status = StatusMessage("printer failed — the refund's receipt is on the screen: \(failure)", .error)
    case .file:
      status = StatusMessage("Refund receipt file not written: \(failure)", .warning)
    }
  }
}
