import Testing
import TillCore

@testable import TillTUI

/// The register at the till, in the pure update: the float after sign-in where the shop requires it,
/// F3's keys, moves sent once per opId with their Enter, a pay-out's manager approval, the blind count
/// and the close's key kept across retries, and keys typed ahead waiting for each answer.
@Suite("update: the register")
struct RegisterUpdateTests {
  static func euro(_ cents: Int) -> Money { Money(amount: cents, currency: "EUR") }
  static let session = RegisterSession(
    id: "s-1", terminal: "T1", status: .open, openingFloat: euro(100_00), openedAt: "2026-12-02T08:00:00Z",
    openedBy: "1001")

  /// A signed-in till whose shop requires the register open, and whose register is not.
  static func required() -> AppState {
    var state = AppState(configuration: Fixtures.configuration, size: Size(columns: 100, rows: 30))
    var person = Fixtures.cashier
    person.registerRequired = true
    _ = state.signInAs(person)
    return state
  }

  /// A signed-in till with its register open.
  static func opened() -> AppState {
    var state = Fixtures.state()
    state.register.session = session
    return state
  }

  @Test func theFloatComesFirstWhereTheShopRequiresIt() {
    var state = Self.required()
    #expect(state.mode == .register(.openFloat("")))
    // Keys typed at once: the float, Enter, then a search — the search waits for the register's answer.
    let effects = state.type("100") + state.press(.enter) + state.type("/cr")
    #expect(effects.contains(.openRegister(Self.euro(100_00))))
    #expect(state.register.sending && state.heldKeys.count == 3)
    _ = state.update(.registerOpened(.success(Self.session)))
    #expect(state.register.session == Self.session && state.mode == .browse)
    #expect(state.searching && state.searchText == "cr", "the keys typed ahead act on the open register")
  }

  @Test func withoutTheRequirementSignInSellsAndF3OpensTheRegister() {
    var state = Fixtures.state()
    #expect(state.mode == .browse)
    _ = state.press(.function(3))
    #expect(state.mode == .register(.openFloat("")))
    _ = state.press(.escape)
    #expect(state.mode == .browse && state.status?.text.contains("F3") == true)
  }

  @Test func aPayOutIsSentOnceWithItsEnterAndAskedOfAManager() {
    var state = Self.opened()
    _ = state.press(.function(3))
    #expect(state.mode == .register(.menu))
    _ = state.press(.character("o"))
    var effects = state.type("5") + state.press(.enter) + state.type("safe")
    #expect(effects.isEmpty, "nothing is sent before the reason's Enter")
    effects = state.press(.enter)
    guard case .recordCashMove(let sessionId, let request)? = effects.first else {
      Issue.record("no cash move sent: \(effects)")
      return
    }
    #expect(sessionId == "s-1" && request.kind == .payOut && request.amount == Self.euro(5_00))
    _ = state.update(.cashMoveRecorded(request, .failure(.rejected(kind: .approvalRequired, message: "x"))))
    guard case .approval(let dialog) = state.mode else {
      Issue.record("no approval dialog: \(state.mode)")
      return
    }
    #expect(dialog.purpose == .cashMove(request, sessionId: "s-1"))
    effects = state.typeCredentials("2001", "4321") + state.press(.enter)
    guard case .recordCashMove(_, let approved)? = effects.first else {
      Issue.record("the approved move was not sent: \(effects)")
      return
    }
    #expect(approved.opId == request.opId && approved.approval == Approval(code: "2001", pin: "4321"))
    let move = CashMove(
      id: "m", sessionId: "s-1", kind: .payOut, amount: Self.euro(5_00), reason: "safe", staff: "1001",
      approvedBy: "2001", createdAt: "2026-12-02T10:00:00Z")
    _ = state.update(.cashMoveRecorded(approved, .success(move)))
    #expect(state.mode == .browse && state.status?.text == "Pay-out of 5.00 EUR recorded")
  }

  @Test func theCloseKeepsItsKeyAcrossARetryAndShowsTheZ() {
    var state = Self.opened()
    _ = state.press(.function(3), .character("z"))
    #expect(state.mode == .register(.count("")))
    var effects = state.type("112") + state.press(.enter)
    guard case .closeRegister(let sessionId, let counted, let key)? = effects.first else {
      Issue.record("no close sent: \(effects)")
      return
    }
    #expect(sessionId == "s-1" && counted == Self.euro(112_00))
    _ = state.update(.registerClosed(key: key, .failure(.offline("connection refused"))))
    #expect(state.mode == .register(.count("112")), "the count stays after a network failure")
    effects = state.press(.enter)
    #expect(effects == [.closeRegister(sessionId: "s-1", counted: Self.euro(112_00), idempotencyKey: key)])
    let report = SessionReport(
      session: Self.session, salesCount: 0, salesTotal: Self.euro(0), payments: [], taxes: [],
      discountTotal: Self.euro(0), cancels: CountedTotal(count: 0, amount: Self.euro(0)),
      payIns: CountedTotal(count: 0, amount: Self.euro(0)),
      payOuts: CountedTotal(count: 0, amount: Self.euro(0)),
      noSales: 0, people: [], cash: nil)
    let z = ZReport(
      id: "z-1", number: 4, terminal: "T1", closedAt: "2026-12-02T18:00:00Z", closedBy: "1001",
      report: report,
      countedCash: Self.euro(112_00), variance: Self.euro(12_00))
    _ = state.update(.registerClosed(key: key, .success(z)))
    #expect(state.mode == .register(.z(z)) && state.register.session == nil)
  }

  @Test func aCloseRefusedForUnpaidOrdersSaysSoAndStaysOpen() {
    var state = Self.opened()
    let effects = state.press(.function(3), .character("z")) + state.type("10") + state.press(.enter)
    guard case .closeRegister(_, _, let key)? = effects.first else {
      Issue.record("no close sent")
      return
    }
    _ = state.update(
      .registerClosed(key: key, .failure(.rejected(kind: .sessionHasOpenOrders, message: "Pay or cancel #7")))
    )
    #expect(state.mode == .browse && state.register.session == Self.session)
    #expect(state.status?.text == "Pay or cancel #7")
  }

  @Test func aCheckoutWithoutAnOpenRegisterOffersToOpenIt() {
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.croissant, 1)])
    let effects = state.press(.character("c"))
    guard
      case .placeOrder(_, let key)? = effects.first(where: {
        if case .placeOrder = $0 { true } else { false }
      })
    else {
      Issue.record("no order placed: \(effects)")
      return
    }
    _ = state.update(.orderPlaced(key: key, .failure(.rejected(kind: .noOpenSession, message: "x"))))
    #expect(state.mode == .register(.openFloat("")))
    #expect(state.cart != nil, "the cart stays, to be checked out once the register is open")
  }

  @Test func scansAndStrayKeysInTheRegisterMoveNoMoney() {
    var state = Self.opened()
    _ = state.press(.function(3), .character("o"))
    let effects = state.update(.scan("4012802137743")) + state.type("abc")
    #expect(effects.isEmpty && state.mode == .register(.move(CashMoveDialog(kind: .payOut))))
  }

  @Test func keysTypedForAPaymentAreNotTakenAsTheFloat() {
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.croissant, 1)])
    let effects = state.press(.character("c")) + state.type("150") + state.press(.enter)
    guard
      case .placeOrder(_, let key)? = effects.first(where: {
        if case .placeOrder = $0 { true } else { false }
      })
    else {
      Issue.record("no order placed: \(effects)")
      return
    }
    _ = state.update(.orderPlaced(key: key, .failure(.rejected(kind: .noOpenSession, message: "x"))))
    #expect(
      state.mode == .register(.openFloat("")) && state.heldKeys.isEmpty, "the payment's keys are dropped")
  }

  @Test func aRefusedApprovedPayOutClosesTheDialog() {
    var state = Self.opened()
    let request = CashMoveRequest(opId: "op-1", kind: .payOut, amount: Self.euro(5_00), reason: "safe")
    state.mode = .approval(ApprovalDialog(cashMove: request, sessionId: "s-1"))
    _ = state.typeCredentials("2001", "4321") + state.press(.enter)
    _ = state.update(.cashMoveRecorded(request, .failure(.server("500"))))
    #expect(state.mode == .browse && !state.register.sending)
  }

  @Test func aCountSentWithoutAnAnswerStaysAsSentAndIsSentAgainUnderItsKey() {
    var state = Self.opened()
    let effects = state.press(.function(3), .character("z")) + state.type("50") + state.press(.enter)
    guard case .closeRegister(_, _, let key)? = effects.first else {
      Issue.record("no close sent")
      return
    }
    _ = state.update(.registerClosed(key: key, .failure(.offline("connection refused"))))
    _ = state.type("9")
    #expect(state.mode == .register(.count("50")), "the count sent cannot be changed")
    _ = state.press(.escape)
    let again = state.press(.function(3), .character("z"), .enter)
    #expect(again == [.closeRegister(sessionId: "s-1", counted: Self.euro(50_00), idempotencyKey: key)])
  }

  @Test func aNoSaleNeedsItsEnterAndTheLockWaitsForARegisterCall() {
    var state = Self.opened()
    #expect(state.press(.function(3), .character("d")).isEmpty, "d alone records nothing")
    #expect(state.mode == .register(.confirmNoSale))
    let effects = state.press(.enter)
    guard case .recordCashMove(_, let request)? = effects.first else {
      Issue.record("no no-sale sent: \(effects)")
      return
    }
    #expect(request.kind == .noSale && !state.canLock, "no lock while the register's call is on its way")
  }
}
