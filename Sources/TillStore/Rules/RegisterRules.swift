import Foundation
import TillCore

/// What a cash move is decided on, read by the engine under the session's lock.
struct CashMoveFacts: Hashable, Sendable {
  /// The session named, when it is the terminal's (nil: not found).
  var sessionStatus: RegisterSession.Status?
  /// The move recorded under this opId on the terminal, when there is one, and its fingerprint.
  var applied: AppliedCashMove?
  /// The approval's approver as stored now (nil when no approval came or its code names nobody).
  var approver: StaffFacts?
}

/// A cash move recorded before under an opId, with the fingerprint of the request that made it.
struct AppliedCashMove: Hashable, Sendable {
  var move: CashMove
  var fingerprint: String
}

/// What the engine does with a cash move.
enum CashMoveDecision: Hashable, Sendable {
  /// The same op was recorded before: answer that move, write nothing.
  case replay(CashMove)
  /// Write the move (with the manager who approved it, if one had to) and its audit row.
  case record(approvedBy: String?)
}

/// What a close is decided on, read by the engine after taking the session's lock exclusively.
struct CloseFacts: Hashable, Sendable {
  /// The session as it is now, when it is the terminal's (nil: not found).
  var status: RegisterSession.Status?
  /// The session's Z report, when it is closed: its key and counted cash decide a replay.
  var closedWith: ClosedWith?
  /// The session's orders that are not paid or canceled (none may be left at the close).
  var openOrders: [OpenOrder]

  /// How a closed session was closed.
  struct ClosedWith: Hashable, Sendable {
    var key: String
    var countedCash: Money
    var reportId: String
  }
}

enum CloseDecision: Hashable, Sendable {
  /// Closed before with this key and count: answer that Z report.
  case replay(reportId: String)
  /// Write the Z report and close the session.
  case close
}

/// The trading day's rules, in the order the API ranks their refusals; both engines ask these and only
/// fetch the facts and write what they answer.
public enum RegisterRules {
  /// The float, a cash move's amount or a count: money in the shop's currency, 0 up to the largest cash
  /// tender (`Limits.maxTenderAmount`), so every sum of a day's cash stays far below overflow.
  static func checkCash(_ money: Money, field: String, currency: String) throws(StoreError) {
    guard money.currency == currency else {
      throw .invalidField(field: "\(field).currency", reason: "The shop's currency is \(currency).")
    }
    guard (0...Limits.maxTenderAmount).contains(money.amount) else {
      let largest = Money(amount: Limits.maxTenderAmount, currency: currency)
      throw .invalidField(field: field, reason: "An amount of cash is from 0 to \(largest).")
    }
  }

  /// A cash move's own shape: a pay-in or pay-out moves more than nothing, a no-sale moves nothing;
  /// the reason is 1–`Limits.maxReasonLength` characters.
  static func check(_ request: CashMoveRequest, currency: String) throws(StoreError) {
    switch request.kind {
    case .payIn, .payOut:
      guard let amount = request.amount else {
        throw .invalidField(field: "amount", reason: "A \(request.kind.rawValue) names its amount.")
      }
      try checkCash(amount, field: "amount", currency: currency)
      guard amount.amount > 0 else {
        throw .invalidField(field: "amount", reason: "A \(request.kind.rawValue) moves more than nothing.")
      }
    case .noSale:
      if let amount = request.amount, amount.amount != 0 {
        throw .invalidField(field: "amount", reason: "A no-sale moves no money.")
      }
    }
    let reason = request.reason.trimmingCharacters(in: .whitespaces)
    guard !reason.isEmpty, request.reason.count <= Limits.maxReasonLength else {
      throw .invalidField(
        field: "reason", reason: "A reason of 1 to \(Limits.maxReasonLength) characters is needed.")
    }
  }

  /// What makes two requests with one opId the same cash move: kind, amount and reason.
  static func fingerprint(_ request: CashMoveRequest, currency: String) -> String {
    let amount = request.amount?.amount ?? 0
    return "\(request.kind.rawValue) \(amount) \(currency) \(request.reason.utf8.count):\(request.reason)"
  }

  /// Whether `actor` needs a manager's approval for a move of `kind` (public so the server checks an
  /// approval's PIN only when the store will ask for one): a cashier's pay-out does.
  public static func needsApproval(_ kind: CashMove.Kind, actor: StaffActor) -> Bool {
    kind == .payOut && actor.role != .manager
  }

  /// The move for `request` in the session `sessionId`. An opId recorded before is answered again, even
  /// after the close, when it was for this session with the same kind, amount and reason.
  static func decide(
    _ request: CashMoveRequest, sessionId: String, facts: CashMoveFacts, actor: StaffActor, currency: String,
    approval: VerifiedApproval?
  ) throws(StoreError) -> CashMoveDecision {
    if let applied = facts.applied {
      guard applied.move.sessionId == sessionId,
        applied.fingerprint == fingerprint(request, currency: currency)
      else {
        throw .operationReused(opId: request.opId)
      }
      return .replay(applied.move)
    }
    guard let status = facts.sessionStatus else { throw .notFound(what: "register session") }
    guard status == .open else { throw .sessionClosed }
    guard needsApproval(request.kind, actor: actor) else { return .record(approvedBy: nil) }
    guard let approval else { throw .approvalRequired }
    guard let approver = facts.approver, approver.enabled, approver.role == .manager,
      approver.pinHash == approval.pinHash
    else { throw .approvalRefused }
    return .record(approvedBy: approval.code)
  }

  static func decideClose(facts: CloseFacts, key: String, countedCash: Money) throws(StoreError)
    -> CloseDecision
  {
    guard let status = facts.status else { throw .notFound(what: "register session") }
    if status == .closed {
      guard let closed = facts.closedWith, closed.key == key else { throw .sessionClosed }
      guard closed.countedCash == countedCash else { throw .idempotencyKeyReused }
      return .replay(reportId: closed.reportId)
    }
    guard facts.openOrders.isEmpty else { throw .sessionHasOpenOrders(facts.openOrders) }
    return .close
  }

  /// The terminal's next Z number after its highest (nil before its first): 1, 2, 3, … without a gap,
  /// taken in the close's transaction, where the session's lock keeps two closes of one terminal apart
  /// (only one session of a terminal is open at a time) and a unique index backs it.
  static func nextZNumber(after last: Int?) throws(StoreError) -> Int {
    guard let last else { return 1 }
    let (next, overflow) = last.addingReportingOverflow(1)
    guard !overflow else { throw .engine("the terminal's Z numbers are exhausted after \(last)") }
    return next
  }

  /// The Z report the close writes, from the session's facts under the lock.
  static func zReport(
    id: String, number: Int, facts: SessionFacts, closedAt: String, by actor: StaffActor, countedCash: Money
  ) throws(StoreError) -> ZReport {
    var session = facts.session
    session.status = .closed
    session.closedAt = closedAt
    session.closedBy = actor.staff
    session.zReportId = id
    let report: SessionReport
    let variance: Money
    do {
      var closed = facts
      closed.session = session
      report = try SessionReport.make(from: closed)
      variance = try countedCash.subtracting(report.cash?.expected ?? .zero(countedCash.currency))
    } catch {
      throw .engine("the session's stored figures do not add up: \(error)")
    }
    return ZReport(
      id: id, number: number, terminal: session.terminal, closedAt: closedAt, closedBy: actor.staff,
      report: report, countedCash: countedCash, variance: variance)
  }
}

extension RegisterRules {
  /// An open's names and float, before anything is read.
  static func checkOpen(_ float: Money, by actor: StaffActor, currency: String) throws(StoreError) {
    try StoreIdentifiers.checkNewOwner(actor.owner)
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try checkCash(float, field: "openingFloat", currency: currency)
  }

  /// A cash move's names and shape: the session first, then the opId (one that cannot be recorded is
  /// answered like one recorded for another move), then the move itself.
  static func checkMove(
    _ request: CashMoveRequest, sessionId: String, by actor: StaffActor, approval: VerifiedApproval?,
    currency: String
  ) throws(StoreError) {
    try StoreIdentifiers.requireNamed("register session", sessionId, actor.owner)
    guard StoreIdentifiers.canName(request.opId) else { throw .operationReused(opId: request.opId) }
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal, approval?.code)
    try check(request, currency: currency)
  }

  /// A close's names, key and count: a key that cannot be recorded is answered like one used before.
  static func checkClose(id: String, countedCash: Money, key: String, by actor: StaffActor, currency: String)
    throws(StoreError)
  {
    try StoreIdentifiers.requireNamed("register session", id, actor.owner)
    guard StoreIdentifiers.canName(key) else { throw .idempotencyKeyReused }
    try StoreIdentifiers.checkActing(actor.staff, actor.terminal)
    try checkCash(countedCash, field: "countedCash", currency: currency)
  }

  /// The report of `facts`; stored figures that do not add up are the back end's fault.
  static func report(of facts: SessionFacts) throws(StoreError) -> SessionReport {
    do {
      return try SessionReport.make(from: facts)
    } catch {
      throw .engine("the session's stored figures do not add up: \(error)")
    }
  }

  /// The cash move to write for `request` (a no-sale moves zero), reason trimmed and storable.
  static func cashMove(
    _ request: CashMoveRequest, sessionId: String, currency: String, by actor: StaffActor,
    approvedBy: String?, at createdAt: String
  ) -> CashMove {
    CashMove(
      id: StoreIdentifiers.newIdentifier(), sessionId: sessionId, kind: request.kind,
      amount: Money(amount: request.kind == .noSale ? 0 : request.amount?.amount ?? 0, currency: currency),
      reason: StoreIdentifiers.storable(request.reason.trimmingCharacters(in: .whitespaces)),
      staff: actor.staff, approvedBy: approvedBy, createdAt: createdAt)
  }
}

/// The Z report list's cursor: the last report's close time, Z number and id (newest first; a
/// terminal's Z numbers break ties within a second, ids between terminals), as `<closedAt> <number> <id>`.
/// A cursor that does not parse has nothing after it.
struct ZReportCursor: Hashable, Sendable {
  var closedAt: String
  var number: Int
  var id: String

  init(of report: ZReport) {
    closedAt = report.closedAt
    number = report.number
    id = report.id
  }

  init?(_ text: String) {
    let parts = text.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 3, StoreIdentifiers.canName(text), let number = Int(parts[1]) else { return nil }
    closedAt = String(parts[0])
    self.number = number
    id = String(parts[2])
  }

  var text: String { "\(closedAt) \(number) \(id)" }
}
