import Synchronization
import Testing
import TillCore

@testable import TillTUI

/// A clock a test moves by hand, so the idle lock is exact.
final class ManualClock: Sendable {
  private let time = Mutex(Duration.seconds(1000))

  var clock: TillClock { TillClock { self.time.withLock { $0 } } }

  func advance(by duration: Duration) { time.withLock { $0 += duration } }
}

/// Locking the till: F2, the idle lock, a session the server ended; each person's sale kept aside.
@Suite("update: lock and idle lock")
struct LockUpdateTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 2)]

  /// The cashier signed in with two croissants in the cart, the clock in the test's hand.
  static func sellingState(_ clock: ManualClock, lockAfter: Duration? = .seconds(300)) -> AppState {
    var state = AppState(
      configuration: AppConfiguration(
        shopName: "Bäckerei Sonne", terminalName: "T1", sessionId: "S", lockAfter: lockAfter),
      size: Size(columns: 100, rows: 30))
    state.clock = clock.clock
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(Fixtures.categories)))
    _ = state.answerList()
    state.signInAs(Fixtures.cashier)
    state.cart = Fixtures.cart(lines)
    state.cartRequested = true
    return state
  }

  @Test func f2LocksSignsOutAndKeepsTheCartForItsPerson() {
    var state = Self.sellingState(ManualClock())
    #expect(state.press(.function(2)) == [.signOut])
    #expect(state.staff == nil)
    #expect(state.cart == nil)
    #expect(state.parkedSales["1001"]?.cart == Fixtures.cart(Self.lines))
    #expect(state.signIn.message?.text == "Locked — sign in to carry on")
  }

  @Test func theSamePersonGetsTheirCartBack() {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.function(2))
    _ = state.update(.signedOut)
    state.signInAs(Fixtures.cashier)
    #expect(state.cart == Fixtures.cart(Self.lines))
    #expect(state.parkedSales.isEmpty)
    #expect(state.status?.text == "Welcome back, Ana Cashier — your sale is as you left it")
  }

  @Test func anotherPersonStartsTheirOwnCartAndTheFirstOneIsStillKept() {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.function(2))
    _ = state.update(.signedOut)
    state.signInAs(Fixtures.otherCashier)
    #expect(state.cart == nil && !state.cartRequested)
    #expect(state.displayedCartLines.isEmpty)
    // Ben adds a croissant: a cart of his own is created. F2 waits for the cart and the edit.
    #expect(state.press(.enter) == [.createCart(staff: "1002")])
    #expect(state.press(.function(2)) == [.noticeKeysWaiting(hold: 1)])
    let bens = Fixtures.cart([], id: "cart-2")
    #expect(increments(state.update(.cartCreated(staff: "1002", .success(bens)))).count == 1)
    let signOut = state.answerIncrement([Fixtures.line(Fixtures.croissant, 1)])
    #expect(signOut == [.signOut])
    _ = state.update(.signedOut)
    state.signInAs(Fixtures.cashier)
    #expect(state.cart == Fixtures.cart(Self.lines))
    #expect(state.parkedSales["1002"]?.cart?.lines.map(\.quantity) == [1])
  }

  @Test func keysTypedAfterF2WaitForTheSignOutThenGoToTheSignInScreen() {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.function(2))
    _ = state.type("1002")
    #expect(state.heldKeys.count == 4)
    _ = state.update(.signedOut)
    #expect(state.signIn.code == "1002")
  }

  @Test func anEditOnItsWayIsKeptToBeSentAgainUnderTheSameOperation() throws {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.enter)
    let opId = try #require(state.inFlight?.opId)
    state.failIncrementOffline()
    _ = state.press(.function(2))
    #expect(state.parkedSales["1001"]?.inFlight?.opId == opId)
    _ = state.update(.signedOut)
    state.signInAs(Fixtures.cashier)
    let effects = state.update(.tick)
    #expect(increments(effects).map(\.opId) == [opId])
  }

  @Test func noLockWhileAnOrderIsBeingPlaced() {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.character("c"))
    #expect(state.placingOrder)
    state.heldKeys = []
    #expect(state.lockKey().isEmpty)
    #expect(state.staff == Fixtures.cashier)
  }

  @Test func theTillLocksItselfAfterTheIdleTimeMeasuredFromTheLastKey() {
    let clock = ManualClock()
    var state = Self.sellingState(clock)
    clock.advance(by: .seconds(200))
    _ = state.press(.down)
    clock.advance(by: .seconds(299))
    #expect(!state.update(.tick).contains(.signOut))
    #expect(state.staff != nil)
    clock.advance(by: .seconds(1))
    #expect(state.update(.tick).contains(.signOut))
    #expect(state.staff == nil)
    #expect(state.signIn.message?.text == "Locked after 5 minutes without a key")
    #expect(state.parkedSales["1001"]?.cart == Fixtures.cart(Self.lines))
  }

  @Test func lockAfterNilNeverLocks() {
    let clock = ManualClock()
    var state = Self.sellingState(clock, lockAfter: nil)
    clock.advance(by: .seconds(100_000))
    #expect(!state.update(.tick).contains(.signOut))
    #expect(state.staff != nil)
  }

  @Test func anEndedSessionLocksWithoutSigningOutAndKeepsTheEdit() throws {
    var state = Self.sellingState(ManualClock())
    _ = state.press(.enter)
    let opId = try #require(state.inFlight?.opId)
    let effects = state.update(.incrementFinished(opId: opId, .failure(.sessionEnded)))
    #expect(!effects.contains(.signOut))
    #expect(state.staff == nil)
    #expect(state.signIn.message?.text == "Your session has ended — sign in again")
    #expect(state.parkedSales["1001"]?.inFlight?.awaitingRetry == true)
    #expect(state.online)
  }

  @Test func theHelpAndHintsNameF2AndF3() {
    var state = Self.sellingState(ManualClock())
    #expect(hints(for: state).contains { $0.key == "F2" && $0.label == "lock" })
    #expect(hints(for: state).contains { $0.key == "F3" && $0.label == "register" })
    _ = state.press(.function(1))
    #expect(
      render(state, size: state.size).text.contains("F2 / F3         lock (the sale is kept) / the register"))
  }
}
