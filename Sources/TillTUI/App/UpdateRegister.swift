import TillCore

/// The register at the till: F3's keys, the float, pay-ins and pay-outs, no-sale, the X report and the
/// counted close. Every call waits for its answer before the next key acts (`register.sending`), and no
/// money moves without its Enter: an amount is typed, then confirmed.
extension AppState {
  /// F3 in the sale: the register's keys, or the float when it is not open.
  mutating func openRegisterScreen() -> [Effect] {
    if register.session == nil {
      mode = .register(.openFloat(""))
      status = StatusMessage("Open the register: type the cash in the drawer, then Enter")
    } else {
      mode = .register(.menu)
      status = nil
    }
    return []
  }

  mutating func registerKey(_ key: Key, _ screen: RegisterScreen) -> [Effect] {
    switch screen {
    case .openFloat(let text):
      if let edited = Self.editedAmount(text, key) {
        mode = .register(.openFloat(edited))
        return []
      }
      if key == .enter, let float = cash(text, what: "the float") {
        register.sending = true
        status = StatusMessage("Opening the register with \(float)…")
        return [.openRegister(float)]
      }
      if key == .escape {
        mode = .browse
        status = StatusMessage("The register is not open — F3 opens it", .warning)
      }
      return []
    case .menu: return registerMenuKey(key)
    case .move(let dialog): return moveKey(key, dialog)
    case .x, .z:
      if key == .enter || key == .escape {
        mode = .browse
        if register.session == nil, register.required { return openRegisterScreen() }
      }
      return []
    case .count(let text):
      if let edited = Self.editedAmount(text, key) {
        // A count sent without a definite answer stays as it was sent.
        if register.closeKey == nil {
          mode = .register(.count(edited))
        } else {
          status = StatusMessage("The count was sent — Enter sends it again", .warning)
        }
        return []
      }
      if key == .enter, let counted = cash(text, what: "the cash counted"), let session = register.session {
        let key = register.closeKey ?? nextIdentifier("close")
        register.closeKey = key
        register.closeCount = text
        register.sending = true
        status = StatusMessage("Closing the register…")
        return [.closeRegister(sessionId: session.id, counted: counted, idempotencyKey: key)]
      }
      if key == .escape {
        mode = .browse
        status =
          register.closeKey == nil
          ? StatusMessage("The register stays open")
          : StatusMessage("The close was sent without an answer — F3 then z sends it again", .warning)
      }
      return []
    case .confirmNoSale:
      if key == .enter, let session = register.session {
        let request = CashMoveRequest(opId: nextIdentifier("move"), kind: .noSale, reason: "No sale")
        register.sending = true
        status = StatusMessage("Recording the no-sale…")
        return [.recordCashMove(sessionId: session.id, request: request)]
      }
      if key == .escape {
        mode = .browse
        status = StatusMessage("Drawer kept shut")
      }
      return []
    }
  }

  /// x the X report, i a pay-in, o a pay-out, d the drawer opened for no sale, z the close; Esc back.
  private mutating func registerMenuKey(_ key: Key) -> [Effect] {
    guard let session = register.session else { return openRegisterScreen() }
    switch key {
    case .character("x"):
      register.sending = true
      register.showingX = true
      status = StatusMessage("Reading the X report…")
      return [.loadXReport]
    case .character("i"): mode = .register(.move(CashMoveDialog(kind: .payIn)))
    case .character("o"): mode = .register(.move(CashMoveDialog(kind: .payOut)))
    case .character("d"): mode = .register(.confirmNoSale)
    case .character("z"):
      // A close sent before without a definite answer is sent again as it was.
      mode = .register(.count(register.closeKey == nil ? "" : register.closeCount ?? ""))
      status = StatusMessage("Count the cash in the drawer, type it, then Enter")
    case .escape: mode = .browse
    default: break
    }
    return []
  }

  /// The amount, Enter, the reason, Enter sends; Esc gives up (nothing moved).
  private mutating func moveKey(_ key: Key, _ dialog: CashMoveDialog) -> [Effect] {
    var dialog = dialog
    if key == .escape {
      mode = .browse
      status =
        dialog.opId == nil
        ? StatusMessage("\(dialog.title) not made — nothing moved")
        : StatusMessage(
          "\(dialog.title) sent without an answer — the X report shows whether it was recorded", .warning)
      return []
    }
    // A move sent without a definite answer stays as it was sent: Enter sends it again, once.
    if dialog.opId != nil, key != .enter { return [] }
    switch dialog.field {
    case .amount:
      if let edited = Self.editedAmount(dialog.amount, key) {
        dialog.amount = edited
      } else if key == .enter, cash(dialog.amount, what: "the amount") != nil {
        dialog.field = .reason
      }
    case .reason:
      switch key {
      case .character(let character) where !character.isNewline:
        if dialog.reason.count < Limits.maxReasonLength { dialog.reason.append(character) }
      case .backspace where !dialog.reason.isEmpty: dialog.reason.removeLast()
      case .backspace: dialog.field = .amount
      case .enter:
        guard !dialog.reason.allSatisfy(\.isWhitespace), let session = register.session,
          let amount = cash(dialog.amount, what: "the amount")
        else {
          status = StatusMessage("Type a reason, then Enter", .warning)
          break
        }
        let opId = dialog.opId ?? nextIdentifier("move")
        dialog.opId = opId
        mode = .register(.move(dialog))
        register.sending = true
        status = StatusMessage("Recording the \(dialog.title.lowercased())…")
        let request = CashMoveRequest(opId: opId, kind: dialog.kind, amount: amount, reason: dialog.reason)
        return [.recordCashMove(sessionId: session.id, request: request)]
      default: break
      }
    }
    mode = .register(.move(dialog))
    return []
  }

  /// Digits, `.` or `,` and Backspace edit an amount; nil for any other key.
  static func editedAmount(_ text: String, _ key: Key) -> String? {
    switch key {
    case .character(let character)
    where character.isASCII && (character.isNumber || character == "." || character == ","):
      return text.count < 14 ? text + String(character) : text
    case .backspace: return String(text.dropLast())
    default: return nil
    }
  }

  /// `text` as cash in the till's currency (above nothing for a move, zero allowed for a float or a
  /// count), or nil with the reason in the status line.
  mutating func cash(_ text: String, what: String) -> Money? {
    let normalized = String(text.map { $0 == "," ? "." : $0 })
    guard let money = Money.parse(normalized, currency: configuration.currency),
      money.amount <= Limits.maxTenderAmount
    else {
      status = StatusMessage("Type \(what), e.g. 100 or 100.00", .warning)
      return nil
    }
    return money
  }
}
