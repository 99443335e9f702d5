import TillCore

/// A key press or a scan, as the key pipeline holds them.
public enum KeyInput: Sendable, Hashable {
  case key(Key)
  case scan(String)
}

/// The one key pipeline: every key and scan acts on the state that the keys before it lead to, including
/// the back-end answers those keys wait for.
///
/// While a call whose answer can change what a key means is on its way (a product list, a code lookup,
/// a cart edit, a discount, an order, a payment, the orders list, a receipt's text), keys are held in order and applied one by one as
/// answers arrive; a failed answer releases them too, so they act on the failure as it is shown. Keys
/// that only edit the search query, and the help keys, apply at once, so search-as-you-type stays instant.
/// The live stock refresh holds nothing, and neither does a call the clock resends after it failed for want
/// of a network (`background`), so the till stays usable while the back end is away; an order being
/// placed is the exception, so keys typed for its payment still reach the pay dialog.
extension AppState {
  /// How long keys wait before the status line says so: longer than a frame.
  public static let keysWaitingNoticeDelay = Duration.milliseconds(60)

  /// Whether a call is on its way whose answer the next key may depend on.
  public var awaitingAnswer: Bool {
    let list = productsLoading && !background.contains(.products)
    let categories = categoriesInFlight && !background.contains(.categories)
    let code = codeInFlight && !codeAwaitingRetry && !background.contains(.code)
    let newCart = cartRequested && cart == nil && !background.contains(.cart)
    let edit = (inFlight.map { !$0.awaitingRetry } ?? false) && !background.contains(.increment)
    let orderList = ordersLoading && !background.contains(.orders)
    return list || moreInFlight || categories || code || newCart || edit || placingOrder || paymentInFlight
      || orderList || cancelInFlight || signIn.sending || signingOut || discountInFlight != nil
      || receiptLoading || register.sending || refundInFlight
  }

  /// Takes a key or a scan: applied now, or held behind the answer it must wait for.
  mutating func receive(_ input: KeyInput) -> [Effect] {
    lastKeyAt = clock.now()
    if size.columns < Size.minimum.columns || size.rows < Size.minimum.rows {
      // Nothing is visible to act on: only Ctrl+C (quit, asking first when needed) is taken.
      return input == .key(.control("c")) ? quit() : []
    }
    if !heldKeys.isEmpty || (awaitingAnswer && !appliesWhileWaiting(input)) {
      heldKeys.append(input)
      guard heldKeys.count == 1 else { return [] }
      holdSerial += 1
      return [.noticeKeysWaiting(hold: holdSerial)]
    }
    return apply(input)
  }

  /// Applies held keys, oldest first, as long as nothing they depend on is on its way.
  mutating func releaseHeldKeys() -> [Effect] {
    var effects: [Effect] = []
    while let next = heldKeys.first, !awaitingAnswer || appliesWhileWaiting(next) {
      heldKeys.removeFirst()
      effects += apply(next)
    }
    if heldKeys.isEmpty { showWaitingKeys = false }
    return effects
  }

  mutating func keysWaitingNoticeDue(hold: Int) -> [Effect] {
    if hold == holdSerial && !heldKeys.isEmpty { showWaitingKeys = true }
    return []
  }

  /// Keys that depend on no answer apply at once: those that only edit the search query (the list they
  /// ask for replaces whatever is loading), and the help overlay's keys (no answer opens or closes it).
  func appliesWhileWaiting(_ input: KeyInput) -> Bool {
    // Typing a code and PIN depends on no answer, but on the sign-in (or the lock's sign-out) before it.
    if staff == nil { return !signIn.sending && !signingOut }
    guard case .key(let key) = input else { return false }
    if showHelp || isHelpKey(key) { return true }
    guard searching, mode == .browse else { return false }
    switch key {
    case .character(let character): return !character.isNewline
    case .backspace, .escape: return true
    default: return false
    }
  }

  private mutating func apply(_ input: KeyInput) -> [Effect] {
    switch input {
    case .key(let key): return handle(key)
    case .scan(let code):
      // A scan on a code-and-PIN form is a product held to a locked till, never a person's code: it
      // is dropped, so it can neither be looked up nor spend one of the limited sign-in attempts.
      if staff == nil || isApproving { return [] }
      return scanned(code)
    }
  }

  /// The status line's waiting notice, or nil.
  public var keysWaitingText: String? {
    guard showWaitingKeys, !heldKeys.isEmpty else { return nil }
    return heldKeys.count == 1 ? "1 key waiting…" : "\(heldKeys.count) keys waiting…"
  }
}
