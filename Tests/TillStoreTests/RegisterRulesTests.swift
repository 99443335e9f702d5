import Testing
import TillCore

@testable import TillStore

/// The trading day's decisions, row by row, as both engines ask them.
@Suite("Register rules: cash moves and the close")
struct RegisterRulesTests {
  static let cashier = StaffActor(owner: "o", terminal: "till-1", staff: "1001", role: .cashier)
  static let manager = StaffActor(owner: "o", terminal: "till-1", staff: "2001", role: .manager)
  static let approval = VerifiedApproval(code: "2002", pinHash: "hash-a")
  static let approver = StaffFacts(enabled: true, role: .manager, pinHash: "hash-a")
  static func euros(_ cents: Int) -> Money { Money(amount: cents, currency: "EUR") }
  static let payOut = CashMoveRequest(opId: "op", kind: .payOut, amount: euros(500), reason: "safe")
  static let recorded = CashMove(
    id: "m", sessionId: "s", kind: .payOut, amount: euros(500), reason: "safe", staff: "1001",
    approvedBy: "2002",
    createdAt: "2026-12-02T10:00:00Z")

  struct MoveCase: Sendable, CustomTestStringConvertible {
    var name: String
    var request: CashMoveRequest = RegisterRulesTests.payOut
    var facts: CashMoveFacts
    var actor: StaffActor = RegisterRulesTests.cashier
    var approval: VerifiedApproval?
    var expected: Result<CashMoveDecision, StoreError>
    var testDescription: String { name }
  }

  static let moveCases: [MoveCase] = [
    MoveCase(
      name: "a manager's pay-out needs no approval", facts: CashMoveFacts(sessionStatus: .open),
      actor: manager,
      expected: .success(.record(approvedBy: nil))),
    MoveCase(
      name: "a cashier's pay-in needs none",
      request: CashMoveRequest(opId: "op", kind: .payIn, amount: euros(500), reason: "change"),
      facts: CashMoveFacts(sessionStatus: .open), expected: .success(.record(approvedBy: nil))),
    MoveCase(
      name: "a cashier's pay-out without approval", facts: CashMoveFacts(sessionStatus: .open),
      expected: .failure(.approvalRequired)),
    MoveCase(
      name: "a cashier's pay-out approved", facts: CashMoveFacts(sessionStatus: .open, approver: approver),
      approval: approval, expected: .success(.record(approvedBy: "2002"))),
    MoveCase(
      name: "approver disabled since the PIN check",
      facts: CashMoveFacts(
        sessionStatus: .open, approver: StaffFacts(enabled: false, role: .manager, pinHash: "hash-a")),
      approval: approval, expected: .failure(.approvalRefused)),
    MoveCase(
      name: "approver's PIN reset since the check",
      facts: CashMoveFacts(
        sessionStatus: .open, approver: StaffFacts(enabled: true, role: .manager, pinHash: "hash-b")),
      approval: approval, expected: .failure(.approvalRefused)),
    MoveCase(
      name: "approver is a cashier",
      facts: CashMoveFacts(
        sessionStatus: .open, approver: StaffFacts(enabled: true, role: .cashier, pinHash: "hash-a")),
      approval: approval, expected: .failure(.approvalRefused)),
    MoveCase(
      name: "closed session", facts: CashMoveFacts(sessionStatus: .closed), actor: manager,
      expected: .failure(.sessionClosed)),
    MoveCase(
      name: "unknown session", facts: CashMoveFacts(sessionStatus: nil), actor: manager,
      expected: .failure(.notFound(what: "register session"))),
    MoveCase(
      name: "a retry is answered even after the close",
      facts: CashMoveFacts(
        sessionStatus: .closed,
        applied: AppliedCashMove(
          move: recorded, fingerprint: RegisterRules.fingerprint(payOut, currency: "EUR"))),
      expected: .success(.replay(recorded))),
    MoveCase(
      name: "an opId of another session's move",
      facts: CashMoveFacts(
        sessionStatus: .open,
        applied: AppliedCashMove(
          move: CashMove(
            id: "m", sessionId: "other", kind: .payOut, amount: euros(500), reason: "safe", staff: "1001",
            approvedBy: "2002", createdAt: "2026-12-02T10:00:00Z"),
          fingerprint: RegisterRules.fingerprint(payOut, currency: "EUR"))),
      actor: manager, expected: .failure(.operationReused(opId: "op"))),
    MoveCase(
      name: "an opId reused for another amount",
      request: CashMoveRequest(opId: "op", kind: .payOut, amount: euros(501), reason: "safe"),
      facts: CashMoveFacts(
        sessionStatus: .open,
        applied: AppliedCashMove(
          move: recorded, fingerprint: RegisterRules.fingerprint(payOut, currency: "EUR"))),
      actor: manager, expected: .failure(.operationReused(opId: "op"))),
  ]

  @Test(arguments: moveCases)
  func cashMove(_ row: MoveCase) {
    let result = decision { () throws(StoreError) in
      try RegisterRules.decide(
        row.request, sessionId: "s", facts: row.facts, actor: row.actor, currency: "EUR",
        approval: row.approval)
    }
    #expect(result == row.expected)
  }

  struct CloseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var facts: CloseFacts
    var key = "k1"
    var counted = RegisterRulesTests.euros(100)
    var expected: Result<CloseDecision, StoreError>
    var testDescription: String { name }
  }

  static let open = [OpenOrder(id: "o", number: 7, paymentPending: true)]
  static let closedWith = CloseFacts.ClosedWith(key: "k1", countedCash: euros(100), reportId: "z")

  static let closeCases: [CloseCase] = [
    CloseCase(
      name: "an open session closes", facts: CloseFacts(status: .open, openOrders: []),
      expected: .success(.close)),
    CloseCase(
      name: "unpaid orders keep it open", facts: CloseFacts(status: .open, openOrders: open),
      expected: .failure(.sessionHasOpenOrders(open))),
    CloseCase(
      name: "the same close again is a replay",
      facts: CloseFacts(status: .closed, closedWith: closedWith, openOrders: []),
      expected: .success(.replay(reportId: "z"))),
    CloseCase(
      name: "the same key with another count",
      facts: CloseFacts(status: .closed, closedWith: closedWith, openOrders: []),
      counted: euros(99), expected: .failure(.idempotencyKeyReused)),
    CloseCase(
      name: "another key on a closed session",
      facts: CloseFacts(status: .closed, closedWith: closedWith, openOrders: []),
      key: "k2", expected: .failure(.sessionClosed)),
    CloseCase(
      name: "unknown session", facts: CloseFacts(status: nil, openOrders: []),
      expected: .failure(.notFound(what: "register session"))),
  ]

  @Test(arguments: closeCases)
  func close(_ row: CloseCase) {
    let result = decision { () throws(StoreError) in
      try RegisterRules.decideClose(facts: row.facts, key: row.key, countedCash: row.counted)
    }
    #expect(result == row.expected)
  }

  @Test func zNumbersCountFromOneWithoutOverflow() {
    #expect(decision { () throws(StoreError) in try RegisterRules.nextZNumber(after: nil) } == .success(1))
    #expect(decision { () throws(StoreError) in try RegisterRules.nextZNumber(after: 41) } == .success(42))
    guard
      case .failure(.engine) = decision({ () throws(StoreError) in
        try RegisterRules.nextZNumber(after: Int.max)
      })
    else {
      Issue.record("Int.max has no next Z number")
      return
    }
  }

  @Test func cursorsRoundTrip() throws {
    let cursor = try #require(ZReportCursor("2026-12-02T18:00:00Z 7 3f2a"))
    #expect(cursor.text == "2026-12-02T18:00:00Z 7 3f2a" && cursor.number == 7)
    #expect(ZReportCursor("no-space") == nil && ZReportCursor("a b") == nil && ZReportCursor("a x c") == nil)
  }
}
