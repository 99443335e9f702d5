import Testing
import TillClient
import TillCore

@testable import TillTUI

/// What one person leaves behind never reaches the next: a half-filled sign-in form, keys typed for the
/// sale before the till locked, a cart answer that arrives after the lock.
@Suite("update: nothing left over for the next person")
struct LockLeftoversTests {
  @Test func aFilledSignInFormIsEmptiedAfterTheIdleTimeWithoutAKey() {
    let clock = ManualClock()
    var state = LockUpdateTests.sellingState(clock)
    _ = state.press(.function(2))
    _ = state.update(.signedOut)
    _ = state.typeCredentials("1001", "12")
    clock.advance(by: .seconds(299))
    _ = state.update(.tick)
    #expect(state.signIn.code == "1001" && state.signIn.pin == "12")
    clock.advance(by: .seconds(1))
    #expect(state.update(.tick).isEmpty)
    #expect(state.signIn.code.isEmpty && state.signIn.pin.isEmpty && state.signIn.field == .code)
    #expect(state.signIn.message?.text == "Cleared after 5 minutes without a key")
  }

  @Test func keysHeldForTheSaleAreDroppedWhenTheIdleLockStrikes() {
    let clock = ManualClock()
    var state = LockUpdateTests.sellingState(clock)
    _ = state.press(.enter)  // a croissant: the edit is on its way, so the next keys wait
    _ = state.type("42")
    #expect(state.heldKeys.count == 2)
    clock.advance(by: .seconds(300))
    #expect(state.update(.tick).contains(.signOut))
    _ = state.update(.signedOut)
    #expect(state.heldKeys.isEmpty)
    #expect(state.signIn.code.isEmpty, "the sale's keys are not typed into the form")
  }

  @Test func keysHeldForTheSaleAreDroppedWhenTheSessionEnds() throws {
    var state = LockUpdateTests.sellingState(ManualClock())
    _ = state.press(.enter)
    _ = state.type("42")
    let opId = try #require(state.inFlight?.opId)
    _ = state.update(.incrementFinished(opId: opId, .failure(.sessionEnded)))
    #expect(state.staff == nil)
    #expect(state.heldKeys.isEmpty)
    #expect(state.signIn.code.isEmpty, "the sale's keys are not typed into the form")
  }

  @Test func aCartAnswerArrivingAfterTheLockGoesToNobody() {
    let clock = ManualClock()
    var state = LockUpdateTests.sellingState(clock)
    state.cart = nil
    state.cartRequested = false
    #expect(state.press(.enter) == [.createCart(staff: "1001")])
    clock.advance(by: .seconds(300))
    _ = state.update(.tick)
    _ = state.update(.signedOut)
    let anas = Fixtures.cart([], id: "cart-ana")
    #expect(state.update(.cartCreated(staff: "1001", .success(anas))).isEmpty)
    #expect(state.cart == nil, "nobody is signed in")

    state.signInAs(Fixtures.otherCashier)
    #expect(state.press(.enter) == [.createCart(staff: "1002")])
    #expect(state.update(.cartCreated(staff: "1001", .success(anas))).isEmpty)
    #expect(state.cart == nil, "Ana's cart is not Ben's")
    let bens = Fixtures.cart([], id: "cart-ben")
    _ = state.update(.cartCreated(staff: "1002", .success(bens)))
    #expect(state.cart?.id == "cart-ben")
  }

  @Test func aScanInTheApprovalDialogIsDropped() {
    var state = ApprovalUpdateTests.askingForApproval()
    #expect(state.update(.scan("2001")).isEmpty)
    #expect(state.update(.scan("4321")).isEmpty)
    #expect(state.isApproving)
  }

  @Test func aLateRefusalOfAnEarlierSessionIsRetriedNotASessionEnd() {
    #expect(TillClientBackend.failure(for: .staleSession) == .offline(TillClientError.staleSession.message))
  }
}
