import TillCore

/// The back end's answers to the register's calls.
extension AppState {
  mutating func registerOpened(_ result: Result<RegisterSession, BackendFailure>) -> [Effect] {
    register.sending = false
    switch result {
    case .success(let session):
      noteAnswer()
      register.session = session
      mode = .browse
      status = StatusMessage("Register open with \(session.openingFloat) in the drawer", .success)
      return []
    case .failure(.rejected(.sessionAlreadyOpen, _)):
      // Opened meanwhile (another person on this terminal, or a first attempt whose answer was lost):
      // the X report names the session.
      noteAnswer()
      mode = .browse
      register.sending = true
      status = StatusMessage("The register is open already")
      return [.loadXReport]
    case .failure(let failure):
      note(failure)
      return []
    }
  }

  mutating func xReportLoaded(_ result: Result<SessionReport, BackendFailure>) -> [Effect] {
    register.sending = false
    let asked = register.showingX
    register.showingX = false
    switch result {
    case .success(let report):
      noteAnswer()
      register.session = report.session
      if asked {
        mode = .register(.x(report))
        status = StatusMessage("X report — Enter or Esc to go back")
      }
      return []
    case .failure(.rejected(.noOpenSession, _)):
      noteAnswer()
      register.session = nil
      // Keys typed for the screen before are not a float.
      heldKeys = []
      return openRegisterScreen()
    case .failure(let failure):
      note(failure)
      if asked { mode = .browse }
      return []
    }
  }

  mutating func cashMoveRecorded(_ request: CashMoveRequest, _ result: Result<CashMove, BackendFailure>)
    -> [Effect]
  {
    register.sending = false
    switch result {
    case .success(let move):
      noteAnswer()
      mode = .browse
      guard move.kind == .noSale else {
        status = StatusMessage("\(Self.title(move.kind)) of \(move.amount) recorded", .success)
        return []
      }
      guard let printer = configuration.printerPath else {
        status = StatusMessage("No sale recorded — open the drawer by hand", .success)
        return []
      }
      status = StatusMessage("Drawer opened — no sale recorded", .success)
      return [.openDrawer(path: printer)]
    case .failure(.rejected(.approvalRequired, _)):
      noteAnswer()
      guard let session = register.session else { return [] }
      mode = .approval(ApprovalDialog(cashMove: request, sessionId: session.id))
      status = StatusMessage("A pay-out needs a manager: their code and PIN", .warning)
      return []
    case .failure(.rejected(.sessionClosed, _)), .failure(.rejected(.notFound, _)):
      noteAnswer()
      register.session = nil
      status = StatusMessage("The register was closed — nothing moved", .warning)
      mode = .browse
      return []
    case .failure(let failure):
      // Offline: the dialog stays with its opId; Enter sends the same move again, applied once.
      if !note(failure), case .register(.move) = mode { mode = .browse }
      return []
    }
  }

  /// A cash move sent again with a manager's approval: done, refused (the dialog asks again), or failed.
  mutating func approvedMoveAnswered(_ dialog: ApprovalDialog, _ result: Result<CashMove, BackendFailure>)
    -> [Effect]
  {
    guard case .cashMove(let request, _) = dialog.purpose else { return [] }
    if case .failure(let failure) = result, Self.asksForApprovalAgain(failure) {
      register.sending = false
      askForApprovalAgain(dialog, failure)
      return []
    }
    let effects = cashMoveRecorded(request, result)
    // Any other refusal closes the dialog: the status line names the reason.
    if case .approval = mode { mode = .browse }
    return effects
  }

  mutating func registerClosed(key: String, _ result: Result<ZReport, BackendFailure>) -> [Effect] {
    register.sending = false
    guard key == register.closeKey else { return [] }
    switch result {
    case .success(let z):
      noteAnswer()
      register.session = nil
      register.closeKey = nil
      register.closeCount = nil
      mode = .register(.z(z))
      status = StatusMessage("Register closed — Z \(z.number)", .success)
      guard let printer = configuration.printerPath else { return [] }
      return [
        .printZReport(
          z, shopName: configuration.shopName, path: printer, width: configuration.printerWidth)
      ]
    case .failure(.rejected(.sessionHasOpenOrders, let message)):
      noteAnswer()
      register.closeKey = nil
      register.closeCount = nil
      mode = .browse
      status = StatusMessage(message, .warning)
      return []
    case .failure(.rejected(.sessionClosed, _)):
      noteAnswer()
      register.session = nil
      register.closeKey = nil
      register.closeCount = nil
      mode = .browse
      status = StatusMessage("The register was closed already — the back office has its Z", .warning)
      return []
    case .failure(let failure):
      // Offline: the count stays; Enter sends it again under the same key, so one Z at most.
      if !note(failure) {
        register.closeKey = nil
        register.closeCount = nil
        mode = .browse
      }
      return []
    }
  }

  /// The drawer's answer: a failure is said.
  mutating func drawerPulsed(failure: String?) {
    guard let failure else { return }
    status = StatusMessage("No sale recorded, but the drawer did not open: \(failure)", .warning)
  }

  /// The printer's answer for a Z report: a failure is said (the Z itself is kept by the back end).
  mutating func zReportPrinted(number: Int, failure: String?) {
    guard let failure else { return }
    status = StatusMessage("Z \(number) not printed: \(failure) — the back office has it", .warning)
  }

  static func title(_ kind: CashMove.Kind) -> String {
    kind == .payIn ? "Pay-in" : kind == .payOut ? "Pay-out" : "No sale"
  }
}
