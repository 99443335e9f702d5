import TillCore

/// The sign-in screen: the title bar, a box with the staff code and the masked PIN, why the last
/// attempt failed (or why the till locked), the demo staff when the back end is the demo one, the hints.
/// Nothing of a sale shows while nobody is signed in.
func renderSignIn(_ state: AppState, into screen: inout Screen) {
  renderHeader(state, into: &screen)
  var lines = credentialLines(state.signIn)
  if state.configuration.showsDemoStaff {
    lines += [
      DialogLine(""), DialogLine("Demo staff:", .dim), DialogLine("  cashier 1001, PIN 1234", .dim),
      DialogLine("  manager 2001, PIN 4321", .dim),
    ]
  }
  drawBox(title: "Sign in", lines: lines, width: 48, into: &screen)
  renderHints(state, into: &screen)
}

/// The manager-approval dialog (over the orders list for a cancel, over the cart for a discount).
func renderApproval(_ dialog: ApprovalDialog, into screen: inout Screen) {
  let action: String
  switch dialog.purpose {
  case .cancel(let order):
    action = "Cancel order #\(order.number) (\(money(order.total)) \(order.total.currency))"
  case .discount(_, _, let label):
    action = label + " — past the cashier's limit"
  case .cashMove(let request, _):
    action = "Pay-out of \(request.amount.map(money) ?? "") (\(request.reason))"
  case .refund(let returning, let method):
    action =
      "Refund \(money(returning.estimate(for: method))) \(method == .cash ? "in cash" : "to the card") from order #\(returning.order.number)"
  }
  let lines =
    [
      DialogLine(action), DialogLine("A manager must approve: their code and PIN.", .dim), DialogLine(""),
    ] + credentialLines(dialog.form)
  drawBox(title: "Manager approval", lines: lines, width: dialogWidth, into: &screen)
}

/// The code and PIN fields (the PIN as dots, the field being typed marked) and the form's message.
func credentialLines(_ form: CredentialForm) -> [DialogLine] {
  let cursor = form.sending ? "" : "▏"
  let code = "Staff code: " + form.code + (form.field == .code ? cursor : "")
  let pin = "PIN:        " + form.maskedPIN + (form.field == .pin ? cursor : "")
  let lines = [
    DialogLine(code, form.field == .code ? .input : .normal),
    DialogLine(pin, form.field == .pin ? .input : .normal),
  ]
  return lines + messageLines(form.message)
}

/// A dialog's message under a blank line, styled by its severity; nothing without one.
func messageLines(_ message: StatusMessage?) -> [DialogLine] {
  guard let message else { return [] }
  let style: Style =
    switch message.severity {
    case .error: .error
    case .warning: .warning
    case .success: .success
    case .info: .dim
    }
  return [DialogLine(""), DialogLine(message.text, style)]
}
