import TillCore

/// The manager-approval dialog: an action answered that it needs a manager; their code and PIN are
/// typed here and the action is sent again carrying them.
extension AppState {
  /// Whether the manager-approval dialog is open.
  var isApproving: Bool {
    if case .approval = mode { return true }
    return false
  }

  /// Digits into the code or the PIN, Tab between them, Enter from the code to the PIN and from the PIN
  /// to the server, Esc gives up (the order stays as it was; a discount is not given).
  mutating func approvalKey(_ key: Key, _ dialog: ApprovalDialog) -> [Effect] {
    var dialog = dialog
    if dialog.form.sending { return [] }
    if dialog.form.edit(key) {
      mode = .approval(dialog)
      return []
    }
    switch key {
    case .enter where dialog.form.field == .code:
      if !dialog.form.code.isEmpty { dialog.form.field = .pin }
    case .enter:
      if let problem = dialog.form.shapeProblem {
        dialog.form.message = StatusMessage(problem, .warning)
        dialog.form.pin = ""
        break
      }
      dialog.form.sending = true
      dialog.form.message = StatusMessage("Asking the server…")
      mode = .approval(dialog)
      let approval = Approval(code: dialog.form.code, pin: dialog.form.pin)
      switch dialog.purpose {
      case .cancel(let order):
        cancelInFlight = true
        cancelTarget = order
        return [.cancelOrder(id: order.id, approval: approval)]
      case .discount(var request, let cartId, _):
        // The same opId: the server applies the discount once, however often it is asked.
        request.approval = approval
        discountInFlight = request
        return [.applyDiscount(cartId: cartId, request: request)]
      case .cashMove(var request, let sessionId):
        request.approval = approval
        register.sending = true
        return [.recordCashMove(sessionId: sessionId, request: request)]
      case .refund(let returning, let method):
        return [
          .refund(
            orderId: returning.order.id, request: returning.request(method: method, approval: approval),
            key: returning.key)
        ]
      }
    case .escape:
      switch dialog.purpose {
      case .cancel(let order):
        mode = .orders
        status = StatusMessage("Order #\(order.number) kept — no approval given")
      case .discount(_, _, let label):
        mode = .browse
        status = StatusMessage("\(label) not given — no approval")
      case .cashMove:
        mode = .browse
        status = StatusMessage("Pay-out not made — no approval")
      case .refund(var returning, _):
        returning.stage = .lines
        mode = .refund(returning)
        status = StatusMessage("Nothing refunded — no approval")
      }
      return []
    default:
      break
    }
    mode = .approval(dialog)
    return []
  }

  /// The answer to a cancel sent with an approval: done, refused (the dialog asks again), or failed for
  /// another reason (the dialog closes and the orders list shows the order as it is).
  mutating func approvalAnswered(_ dialog: ApprovalDialog, _ result: Result<Order, BackendFailure>)
    -> [Effect]
  {
    switch result {
    case .failure(let failure) where Self.asksForApprovalAgain(failure):
      askForApprovalAgain(dialog, failure)
      return []
    case .success(let canceled):
      mode = .orders
      return canceledOrder(
        canceled,
        "Order #\(canceled.number) canceled with manager \(dialog.form.code)'s approval — stock returned")
    case .failure(let failure):
      mode = .orders
      note(failure)
      ordersLoading = true
      background.remove(.orders)
      return [.loadOrders]
    }
  }

  /// The approval dialog stays, with the PIN cleared and the reason shown.
  mutating func askForApprovalAgain(_ dialog: ApprovalDialog, _ failure: BackendFailure) {
    var dialog = dialog
    dialog.form.sending = false
    if case .offline = failure { online = false } else { noteAnswer() }
    dialog.form.pin = ""
    dialog.form.field = .pin
    dialog.form.message = StatusMessage(Self.signInText(failure), .error)
    mode = .approval(dialog)
  }

  /// Failures that leave the approval dialog open, asking for the code and PIN again.
  static func asksForApprovalAgain(_ failure: BackendFailure) -> Bool {
    switch failure {
    case .offline, .rejected(.approvalRefused, _), .rejected(.tooManyAttempts, _),
      .rejected(.invalidField, _):
      return true
    default:
      return false
    }
  }
}
