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
  /// to the server, Esc gives up (the order stays as it was).
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
      cancelInFlight = true
      cancelTarget = dialog.order
      let approval = Approval(code: dialog.form.code, pin: dialog.form.pin)
      return [.cancelOrder(id: dialog.order.id, approval: approval)]
    case .escape:
      mode = .orders
      status = StatusMessage("Order #\(dialog.order.number) kept — no approval given")
      return []
    default:
      break
    }
    mode = .approval(dialog)
    return []
  }

  /// The answer to the action sent with an approval: done, refused (the dialog asks again), or
  /// failed for another reason (the dialog closes and the orders list shows the order as it is).
  mutating func approvalAnswered(_ dialog: ApprovalDialog, _ result: Result<Order, BackendFailure>)
    -> [Effect]
  {
    var dialog = dialog
    dialog.form.sending = false
    switch result {
    case .success(let canceled):
      mode = .orders
      return canceledOrder(
        canceled,
        "Order #\(canceled.number) canceled with manager \(dialog.form.code)'s approval — stock returned")
    case .failure(let failure):
      switch failure {
      case .offline, .rejected(.approvalRefused, _), .rejected(.tooManyAttempts, _),
        .rejected(.invalidField, _):
        if case .offline = failure { online = false } else { noteAnswer() }
        dialog.form.pin = ""
        dialog.form.field = .pin
        dialog.form.message = StatusMessage(Self.signInText(failure), .error)
        mode = .approval(dialog)
        return []
      default:
        mode = .orders
        note(failure)
        ordersLoading = true
        background.remove(.orders)
        return [.loadOrders]
      }
    }
  }
}
