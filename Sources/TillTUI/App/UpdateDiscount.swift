import TillCore

/// The discount dialog: `%` on a cart line, `$` for the whole order.
public struct DiscountDialog: Sendable, Hashable {
  /// How the typed value is read.
  public enum Unit: Sendable, Hashable {
    case percent, amount
  }

  /// The cart line the discount is for; nil for the whole order.
  public var sku: String?
  /// The line's name, shown in the dialog and the status line.
  public var name: String
  public var text = ""
  public var unit = Unit.percent
  /// The last request sent from this dialog: sent again unchanged (after a network failure) it keeps its
  /// opId, so the server applies it once.
  public var sent: DiscountRequest?
  /// Why the last Enter did not give the discount.
  public var message: StatusMessage?

  public init(sku: String?, name: String) {
    self.sku = sku
    self.name = name
  }

  /// What the discount is called in the status line: "10% off Croissant", "2.50 off the order".
  func label(percent: Int?, amount: Money?) -> String {
    let target = sku == nil ? "the order" : name
    if let percent { return percent == 0 ? "Discount on \(target) taken away" : "\(percent)% off \(target)" }
    if let amount {
      return amount.amount == 0 ? "Discount on \(target) taken away" : "\(amount.decimalString) off \(target)"
    }
    return "Discount on \(target)"
  }
}

extension AppState {
  /// `%`: a discount on the selected cart line (or, from the product list, on the selected product's line).
  mutating func lineDiscountKey() -> [Effect] {
    let line: Cart.Line?
    if focus == .cart {
      let shown = displayedCartLines
      let sku = shown.indices.contains(cartIndex) ? shown[cartIndex].sku : nil
      line = cart?.lines.first { $0.sku == sku && $0.quantity > 0 }
    } else {
      line = cart?.lines.first { $0.sku == selectedProduct?.sku && $0.quantity > 0 }
    }
    guard let line else {
      status = StatusMessage("Pick a line in the cart (Tab), then % for its discount", .warning)
      return []
    }
    mode = .discount(DiscountDialog(sku: line.sku, name: line.name))
    return []
  }

  /// `$`: a discount on the whole order.
  mutating func orderDiscountKey() -> [Effect] {
    guard let cart, cart.lines.contains(where: { $0.quantity > 0 }) else {
      status = StatusMessage("The cart is empty — add something first", .warning)
      return []
    }
    mode = .discount(DiscountDialog(sku: nil, name: "the order"))
    return []
  }

  /// Digits (and a decimal point for an amount) type the value; Tab switches between percent and amount
  /// (`%` and `$` choose one); Enter gives the discount; Esc gives none.
  mutating func discountKey(_ key: Key, _ dialog: DiscountDialog) -> [Effect] {
    var dialog = dialog
    switch key {
    case .character(let character) where character.isASCII && character.isNumber:
      if dialog.text.count < 12 { dialog.text.append(character) }
    case .character(".") where dialog.unit == .amount, .character(",") where dialog.unit == .amount:
      if dialog.text.count < 12 { dialog.text.append(".") }
    case .backspace:
      if !dialog.text.isEmpty { dialog.text.removeLast() }
    case .tab, .backTab:
      dialog.unit = dialog.unit == .percent ? .amount : .percent
      if dialog.unit == .percent { dialog.text.removeAll { $0 == "." } }
    case .character("%"):
      dialog.unit = .percent
      dialog.text.removeAll { $0 == "." }
    case .character("$"):
      dialog.unit = .amount
    case .enter:
      return sendDiscount(dialog)
    case .escape:
      mode = .browse
      // Sent and unanswered (offline), it may have reached the server: the cart shows it once it loads.
      status =
        dialog.sent == nil
        ? StatusMessage("No discount given") : StatusMessage("Discount may not have been given", .warning)
      return []
    default:
      break
    }
    mode = .discount(dialog)
    return []
  }

  /// Enter in the discount dialog: checks the value's shape, then sends it once the cart is saved.
  private mutating func sendDiscount(_ dialog: DiscountDialog) -> [Effect] {
    var dialog = dialog
    var percent: Int?
    var amount: Money?
    switch dialog.unit {
    case .percent:
      guard let value = Int(dialog.text), (0...100).contains(value) else {
        dialog.message = StatusMessage("Type a percentage from 0 to 100", .warning)
        mode = .discount(dialog)
        return []
      }
      percent = value
    case .amount:
      // The cart's own currency: the server refuses an amount in any other.
      let currency = cart?.total.currency ?? configuration.currency
      guard let value = Money.parse(dialog.text, currency: currency) else {
        dialog.message = StatusMessage("Type an amount, e.g. 2.50", .warning)
        mode = .discount(dialog)
        return []
      }
      amount = value
    }
    guard let cart, !hasPendingEdits else {
      // Only while the network is away (otherwise keys wait for the cart's answers before this one).
      dialog.message = StatusMessage("Wait — the cart is still being saved", .warning)
      mode = .discount(dialog)
      return []
    }
    let sameAsSent = dialog.sent.map { $0.sku == dialog.sku && $0.percent == percent && $0.amount == amount }
    let opId =
      sameAsSent == true ? dialog.sent?.opId ?? nextIdentifier("discount") : nextIdentifier("discount")
    let request = DiscountRequest(opId: opId, sku: dialog.sku, percent: percent, amount: amount)
    dialog.sent = request
    dialog.message = StatusMessage("Giving the discount…")
    mode = .discount(dialog)
    discountInFlight = request
    return [.applyDiscount(cartId: cart.id, request: request)]
  }

  /// The server's answer to a discount: the priced cart, a manager's approval needed, or why not.
  mutating func discountApplied(opId: String, _ result: Result<Cart, BackendFailure>) -> [Effect] {
    guard let request = discountInFlight, request.opId == opId else { return [] }
    discountInFlight = nil
    if case .approval(let dialog) = mode, case .discount(_, _, let label) = dialog.purpose {
      switch result {
      case .success(let answer):
        mode = .browse
        return discountGiven(answer, "\(label) — approved by manager \(dialog.form.code)")
      case .failure(let failure) where Self.asksForApprovalAgain(failure):
        askForApprovalAgain(dialog, failure)
      case .failure(let failure):
        mode = .browse
        note(failure)
        status = StatusMessage(Self.discountText(failure), .error)
        forgetCartIfGone(failure)
      }
      return []
    }
    guard case .discount(var dialog) = mode else {
      if case .success(let answer) = result, answer.id == cart?.id { cart = answer }
      return []
    }
    let label = dialog.label(percent: request.percent, amount: request.amount)
    switch result {
    case .success(let answer):
      mode = .browse
      return discountGiven(answer, label)
    case .failure(.rejected(.approvalRequired, _)):
      noteAnswer()
      guard let cart else { return [] }
      mode = .approval(ApprovalDialog(discount: request, cartId: cart.id, label: label))
      status = StatusMessage("Past your discount limit — a manager's code and PIN", .warning)
    case .failure(let failure):
      let offline = note(failure)
      // Refused outright, nothing was given: only an unanswered one keeps its opId for the retry.
      if !offline { dialog.sent = nil }
      dialog.message = StatusMessage(
        offline ? "Offline — not given yet; Enter tries again" : Self.discountText(failure), .error)
      mode = .discount(dialog)
      if forgetCartIfGone(failure) { mode = .browse }
    }
    return []
  }

  /// A cart checked out elsewhere or expired: later edits go to a fresh one. Answers whether it was gone.
  @discardableResult
  mutating func forgetCartIfGone(_ failure: BackendFailure) -> Bool {
    guard case .rejected(let kind, let message) = failure,
      kind == .cartClosed || (kind == .notFound && !Self.isMissingLine(message))
    else { return false }
    cart = nil
    cartRequested = false
    return true
  }

  /// A 404 about the discounted line rather than the cart itself.
  static func isMissingLine(_ message: String) -> Bool { message.lowercased().contains("line") }

  /// A discount went through: the cart shows the server's figures.
  mutating func discountGiven(_ answer: Cart, _ message: String) -> [Effect] {
    noteAnswer()
    cart = answer
    cartIndex = max(0, min(cartIndex, displayedCartLines.count - 1))
    status = StatusMessage(message, .success)
    return []
  }

  /// Why a discount was not given, in words for the person at the till.
  static func discountText(_ failure: BackendFailure) -> String {
    switch failure {
    case .rejected(.invalidField, let message) where message.contains("larger than"):
      return "Not given: the discount is more than what it applies to"
    case .rejected(.invalidField, let message): return "Not given: \(message)"
    case .rejected(.notFound, let message) where isMissingLine(message):
      return "Not given: that line is no longer in the cart"
    case .rejected(.notFound, _), .rejected(.cartClosed, _):
      return "Not given: that cart is closed — start again"
    case .rejected(.approvalRefused, _): return "Manager code or PIN not accepted"
    default: return Messages.describe(failure)
    }
  }
}
