import TillCore

/// Signing in, locking the till (F2, idle, or the session ending), and each person's sale kept aside
/// while they are away.
extension AppState {
  /// Keys on the sign-in screen: digits into the code or the PIN, Tab (or the arrows) between them,
  /// Enter from the code to the PIN and from the PIN to the server, Esc clears, Ctrl+C quits.
  mutating func signInKey(_ key: Key) -> [Effect] {
    if key == .control("c") {
      quitting = true
      return [.quit]
    }
    if signIn.sending || signIn.edit(key) { return [] }
    switch key {
    case .enter where signIn.field == .code:
      if !signIn.code.isEmpty { signIn.field = .pin }
      return []
    case .enter:
      if let problem = signIn.shapeProblem {
        signIn.message = StatusMessage(problem, .warning)
        signIn.pin = ""
        return []
      }
      signIn.sending = true
      signIn.message = StatusMessage("Signing in…")
      return [.signIn(code: signIn.code, pin: signIn.pin)]
    case .escape:
      signIn = CredentialForm()
    default:
      break
    }
    return []
  }

  /// The sign-in's answer: the person's own sale comes back if they left one; anyone else starts afresh.
  mutating func signedIn(_ result: Result<SignedInStaff, BackendFailure>) -> [Effect] {
    guard signIn.sending, staff == nil else { return [] }
    signIn.sending = false
    switch result {
    case .success(let person):
      noteAnswer()
      staff = person
      serverTerminalName = person.terminal
      signIn = CredentialForm()
      lastKeyAt = clock.now()
      register.session = person.register
      register.required = person.registerRequired
      if let sale = parkedSales.removeValue(forKey: person.code) {
        restore(sale)
        status = StatusMessage("Welcome back, \(person.name) — your sale is as you left it", .success)
      } else {
        status = StatusMessage("Signed in as \(person.name)", .success)
      }
      // Where the shop sells only with the register open, the float comes first.
      if person.register == nil, person.registerRequired, mode == .browse { return openRegisterScreen() }
      return []
    case .failure(.offline):
      // Nothing was checked, but the PIN does not stay on an unattended screen: the code stays, and the
      // person types the PIN again.
      online = false
      signIn.pin = ""
      signIn.field = .pin
      signIn.message = StatusMessage("Cannot reach the till server — type the PIN to try again", .error)
      return []
    case .failure(let failure):
      noteAnswer()
      signIn.pin = ""
      signIn.field = .pin
      signIn.message = StatusMessage(Self.signInText(failure), .error)
      return []
    }
  }

  /// Why a sign-in (or an approval) did not go through, in words for the person at the till.
  static func signInText(_ failure: BackendFailure) -> String {
    switch failure {
    case .offline: return "Cannot reach the till server — try again"
    case .rejected(.signInFailed, _): return "Staff code or PIN not recognised — try again"
    case .rejected(.approvalRefused, _): return "Manager code or PIN not accepted — try again"
    case .rejected(.tooManyAttempts, let message): return message
    case .rejected(.invalidField, _): return "A staff code is 1 to 12 digits, a PIN 4 to 8 digits"
    case .rejected(.unauthorized, _): return "This till's access token is not accepted — ask a manager"
    default: return Messages.describe(failure)
    }
  }

  /// F2: back to the sign-in screen, the sale kept for this person. Not while an order or a payment is
  /// on its way: that answer belongs on this person's screen.
  mutating func lockKey() -> [Effect] {
    guard canLock else {
      status = StatusMessage("Finish the checkout or payment first, then lock", .warning)
      return []
    }
    return lock(StatusMessage("Locked — sign in to carry on"), signOut: true)
  }

  /// Whether nothing is going on that the person must see through.
  var canLock: Bool {
    if case .payment(.sending) = mode { return false }
    return !placingOrder && !paymentInFlight && mode != .checkout && discountInFlight == nil
      && !register.sending
  }

  /// Keeps the person's sale aside, shows the sign-in screen with `message`, and (unless the server
  /// already ended it) ends their session.
  mutating func lock(_ message: StatusMessage, signOut: Bool) -> [Effect] {
    guard let person = staff else { return [] }
    let sale = parkSale()
    parkedSales[person.code] = sale.isEmpty ? nil : sale
    staff = nil
    signIn = CredentialForm(message: message)
    mode = .browse
    focus = .products
    showHelp = false
    entry = ""
    multiplier = nil
    status = nil
    orders = []
    orderIndex = 0
    ordersLoading = false
    ordersFailed = false
    cancelTarget = nil
    receiptScroll = 0
    background.subtract([.cart, .increment, .code, .orders])
    guard signOut else { return [] }
    signingOut = true
    return [.signOut]
  }

  /// Takes the sale out of the state, leaving an empty one. An edit or a code on its way is kept to be
  /// sent again (under the same operation id, so it cannot apply twice).
  private mutating func parkSale() -> ParkedSale {
    var edit = inFlight
    edit?.awaitingRetry = true
    let sale = ParkedSale(
      cart: cart, cartIndex: cartIndex, queue: queue, pendingNames: pendingNames, inFlight: edit,
      pendingCodes: pendingCodes, order: order, focus: focus)
    cart = nil
    cartRequested = false
    cartIndex = 0
    queue = []
    pendingNames = [:]
    inFlight = nil
    removedLine = nil
    pendingCodes = []
    codeInFlight = false
    codeAwaitingRetry = false
    order = nil
    checkoutKey = nil
    orderRetry = false
    return sale
  }

  private mutating func restore(_ sale: ParkedSale) {
    cart = sale.cart
    cartRequested = sale.cart != nil
    cartIndex = sale.cartIndex
    queue = sale.queue
    pendingNames = sale.pendingNames
    inFlight = sale.inFlight
    pendingCodes = sale.pendingCodes
    order = sale.order
    focus = sale.focus
  }

  /// The clock's part in locking: after `lockAfter` without a key, the till locks itself (not in the
  /// middle of an order or a payment; it locks once that is through and the time is still up), and a
  /// half-filled sign-in form is emptied so the next person cannot send what was left on it.
  mutating func idleLock() -> [Effect]? {
    guard let limit = configuration.lockAfter, clock.now() - lastKeyAt >= limit else { return nil }
    guard staff != nil else {
      if !signIn.sending, !signIn.code.isEmpty || !signIn.pin.isEmpty {
        signIn = CredentialForm(
          message: StatusMessage("Cleared after \(Self.words(limit)) without a key", .info))
      }
      return nil
    }
    guard canLock else { return nil }
    // Keys still held were typed for the sale, not for the sign-in form.
    heldKeys = []
    return lock(StatusMessage("Locked after \(Self.words(limit)) without a key", .info), signOut: true)
  }

  static func words(_ duration: Duration) -> String {
    let seconds = duration.components.seconds
    if seconds >= 60 && seconds % 60 == 0 { return seconds == 60 ? "1 minute" : "\(seconds / 60) minutes" }
    return seconds == 1 ? "1 second" : "\(seconds) seconds"
  }

  /// An answer saying the session is over: handled as a network failure (so whatever it carried is
  /// sent again once someone signs in), then the till locks with the sale kept.
  mutating func sessionEnded(_ converted: Action) -> [Effect] {
    let wasOnline = online
    var effects = dispatch(converted)
    online = wasOnline
    if mode == .checkout || placingOrder {
      // Refused before it was looked at: nothing was placed, so the next checkout starts afresh.
      placingOrder = false
      mode = .browse
    }
    paymentInFlight = false
    cancelInFlight = false
    // Keys still held were typed for the sale, not for the sign-in form.
    heldKeys = []
    effects += lock(StatusMessage("Your session has ended — sign in again", .warning), signOut: false)
    return effects
  }
}

extension Action {
  /// The same action with a `sessionEnded` failure read as a network failure; equal to `self` when it
  /// carries none.
  var sessionEndedAsOffline: Action {
    func offline<Value>(_ result: Result<Value, BackendFailure>) -> Result<Value, BackendFailure> {
      if case .failure(.sessionEnded) = result { return .failure(.offline("session ended")) }
      return result
    }
    switch self {
    case .productsLoaded(let load, let result): return .productsLoaded(load, offline(result))
    case .categoriesLoaded(let result): return .categoriesLoaded(offline(result))
    case .cartCreated(let staff, let result): return .cartCreated(staff: staff, offline(result))
    case .incrementFinished(let opId, let result): return .incrementFinished(opId: opId, offline(result))
    case .orderPlaced(let key, let result): return .orderPlaced(key: key, offline(result))
    case .paymentFinished(let orderId, let result): return .paymentFinished(orderId: orderId, offline(result))
    case .orderCanceled(let result): return .orderCanceled(offline(result))
    case .ordersLoaded(let result): return .ordersLoaded(offline(result))
    case .signedIn(let result): return .signedIn(offline(result))
    case .discountApplied(let opId, let result): return .discountApplied(opId: opId, offline(result))
    case .receiptLoaded(let orderId, let copy, let result):
      return .receiptLoaded(orderId: orderId, copy: copy, offline(result))
    case .registerOpened(let result): return .registerOpened(offline(result))
    case .xReportLoaded(let result): return .xReportLoaded(offline(result))
    case .cashMoveRecorded(let request, let result): return .cashMoveRecorded(request, offline(result))
    case .registerClosed(let key, let result): return .registerClosed(key: key, offline(result))
    case .refundFinished(let key, let result): return .refundFinished(key: key, offline(result))
    case .refundReceiptLoaded(let refundId, let result):
      return .refundReceiptLoaded(refundId: refundId, offline(result))
    case .key, .scan, .keysWaitingNoticeDue, .tick, .resize, .signedOut, .receiptWritten, .zReportPrinted,
      .drawerPulsed, .refundReceiptWritten:
      return self
    }
  }
}
