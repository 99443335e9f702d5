import Testing
import TillCore

@testable import TillTUI

/// The sign-in screen's update: typing a code and a PIN, submitting, and every answer it can get.
@Suite("update: sign-in")
struct SignInUpdateTests {
  /// A fresh till: catalogue loaded, nobody signed in.
  static func lockedState() -> AppState {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(Fixtures.categories)))
    _ = state.answerList()
    return state
  }

  @Test func aTillStartsAtTheSignInScreenWithNothingFilledIn() {
    let state = Self.lockedState()
    #expect(state.staff == nil)
    #expect(state.signIn == CredentialForm())
    #expect(state.signIn.code.isEmpty && state.signIn.pin.isEmpty)
  }

  @Test func codeTabPinEnterSendsTheSignIn() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "1234")
    #expect(state.signIn.code == "1001" && state.signIn.pin == "1234")
    #expect(state.press(.enter) == [.signIn(code: "1001", pin: "1234")])
    #expect(state.signIn.sending)
  }

  @Test func enterOnTheCodeMovesToThePinAndBackspaceTakesADigitBack() {
    var state = Self.lockedState()
    _ = state.type("10011")
    _ = state.press(.backspace)
    #expect(state.press(.enter).isEmpty)
    #expect(state.signIn.field == .pin)
    _ = state.type("12345")
    _ = state.press(.backspace)
    #expect(state.press(.enter) == [.signIn(code: "1001", pin: "1234")])
  }

  @Test func aPinOfTheWrongShapeIsNotSent() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "12")
    #expect(state.press(.enter).isEmpty)
    #expect(state.signIn.message?.text == "A PIN is 4 to 8 digits")
    #expect(state.signIn.pin.isEmpty)
    #expect(!state.signIn.sending)
  }

  @Test func lettersAndMenuKeysDoNothingOnTheSignInScreen() {
    var state = Self.lockedState()
    let effects = state.press(.character("c"), .character("o"), .character("+"), .character("?"))
    #expect(effects.isEmpty)
    #expect(state.signIn.code.isEmpty && state.mode == .browse && !state.showHelp)
    #expect(state.cart == nil && !state.cartRequested)
  }

  @Test func signedInShowsTheNameAndClearsTheForm() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "1234")
    _ = state.press(.enter)
    _ = state.update(.signedIn(.success(Fixtures.cashier)))
    #expect(state.staff == Fixtures.cashier)
    #expect(state.signIn == CredentialForm())
    #expect(state.status?.text == "Signed in as Ana Cashier")
  }

  @Test(arguments: [
    (
      BackendFailure.rejected(kind: .signInFailed, message: "x"),
      "Staff code or PIN not recognised — try again"
    ),
    (
      BackendFailure.rejected(
        kind: .tooManyAttempts, message: "Too many wrong PINs: try again in 30 seconds."),
      "Too many wrong PINs: try again in 30 seconds."
    ),
  ])
  func aRefusedSignInSaysWhyAndAsksForThePinAgain(failure: BackendFailure, message: String) {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "9999")
    _ = state.press(.enter)
    _ = state.update(.signedIn(.failure(failure)))
    #expect(state.staff == nil)
    #expect(state.signIn.message?.text == message)
    #expect(state.signIn.code == "1001" && state.signIn.pin.isEmpty && state.signIn.field == .pin)
    #expect(!state.signIn.sending)
  }

  @Test func offlineKeepsTheCodeButNotThePinLeftOnTheScreen() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "1234")
    _ = state.press(.enter)
    _ = state.update(.signedIn(.failure(.offline("refused"))))
    #expect(!state.online)
    #expect(state.signIn.message?.text == "Cannot reach the till server — type the PIN to try again")
    #expect(state.signIn.code == "1001" && state.signIn.pin.isEmpty && state.signIn.field == .pin)
    #expect(state.press(.enter).isEmpty, "nothing to send until the PIN is typed again")
    _ = state.type("1234")
    #expect(state.press(.enter) == [.signIn(code: "1001", pin: "1234")])
  }

  @Test func keysTypedWhileTheSignInIsOnItsWayActOnItsAnswer() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "1234")
    _ = state.press(.enter)
    // Typed ahead: the first product goes into the cart once the sign-in has answered.
    #expect(state.press(.enter).first == .noticeKeysWaiting(hold: 1))
    #expect(state.heldKeys == [.key(.enter)])
    let effects = state.update(.signedIn(.success(Fixtures.cashier)))
    #expect(effects == [.createCart(staff: "1001")])
    #expect(state.pendingDelta(sku: "BAK-001") == 1)
  }

  @Test func keysTypedAfterAWrongPinGoIntoTheFormAgain() {
    var state = Self.lockedState()
    _ = state.typeCredentials("1001", "9999")
    _ = state.press(.enter)
    _ = state.type("1234")
    _ = state.press(.enter)
    #expect(state.heldKeys.count == 5)
    let effects = state.update(.signedIn(.failure(.rejected(kind: .signInFailed, message: "x"))))
    #expect(effects == [.signIn(code: "1001", pin: "1234")])
  }

  @Test func aScanOnTheSignInScreenIsDroppedNeverSentNorLookedUp() {
    var state = Self.lockedState()
    #expect(state.update(.scan("4012802137743")).isEmpty)
    _ = state.typeCredentials("1001", "12")
    #expect(state.update(.scan("34")).isEmpty, "a scan never presses Enter on the form")
    #expect(state.signIn.code == "1001" && state.signIn.pin == "12" && !state.signIn.sending)
    #expect(state.pendingCodes.isEmpty)
  }

  @Test func escClearsTheFormAndCtrlCQuits() {
    var state = Self.lockedState()
    _ = state.type("1001")
    _ = state.press(.escape)
    #expect(state.signIn == CredentialForm())
    #expect(state.press(.control("c")) == [.quit])
  }

  @Test func theClockSendsNoSaleCallsWhileNobodyIsSignedIn() {
    var state = Self.lockedState()
    state.queue = [PendingOperation(sku: "BAK-001", delta: 1)]
    let effects = state.update(.tick)
    #expect(!effects.contains(.createCart(staff: "1001")))
    #expect(!effects.contains(.loadOrders))
  }
}
