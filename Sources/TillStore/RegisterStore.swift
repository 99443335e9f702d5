import TillCore

/// The trading day: register sessions, cash moves and Z reports. Engines implement it beside `Store`;
/// each reads the facts in its own SQL and applies what `RegisterRules` and `SessionReport.make` decide.
///
/// A terminal has at most one open session (a unique index on the open ones). Orders placed while it is
/// open belong to it (`Store.placeOrder` takes the session under a shared lock); its close takes the
/// session's lock exclusively, so an order racing the close is either written before the close looks,
/// and then counted in its Z, or finds the session closed and is refused. Payments and cancels belong to
/// their order's session: a close is refused while any of its orders is unpaid, so nothing moves money
/// in a closed session.
public protocol RegisterStore: Sendable {
  /// Opens a session on the actor's terminal with `openingFloat` in the drawer; `session-open` audit row.
  /// `.sessionAlreadyOpen` (with the open one) when the terminal has one.
  func openSession(openingFloat: Money, by actor: StaffActor) async throws(StoreError) -> RegisterSession
  /// The terminal's open session, or nil.
  func currentSession(owner: String) async throws(StoreError) -> RegisterSession?
  /// The X report of the owner's session `id` as it stands: changes nothing.
  func sessionReport(id: String, owner: String) async throws(StoreError) -> SessionReport
  /// Records a pay-in, pay-out or no-sale in the open session `sessionId`, once per `opId` (the same
  /// `opId` again answers the move made; with another body, `.operationReused`). A pay-out by a cashier
  /// needs a manager's approval, re-checked in this transaction. Audit row of the move's kind.
  func recordCashMove(
    _ request: CashMoveRequest, sessionId: String, by actor: StaffActor, approval: VerifiedApproval?
  ) async throws(StoreError) -> CashMoveRecord
  /// Closes the session in one transaction: refused while an order of it is unpaid (listing them), else
  /// writes its Z report (the terminal's next Z number, the counted cash and the variance), marks it
  /// closed and writes the `session-close` audit row. The same key again answers the same Z.
  func closeSession(id: String, countedCash: Money, idempotencyKey: String, by actor: StaffActor)
    async throws(StoreError) -> ZClosing
  /// Z reports, newest first; `terminal` narrows to one terminal's (by name).
  func zReports(terminal: String?, limit: Int, after: String?) async throws(StoreError) -> Page<ZReport>
  func zReport(id: String) async throws(StoreError) -> ZReport
}

/// A cash move and whether this request made it (false: an earlier request with its `opId` did).
public struct CashMoveRecord: Hashable, Sendable {
  public var move: CashMove
  public var created: Bool

  public init(move: CashMove, created: Bool) {
    self.move = move
    self.created = created
  }
}

/// A Z report and whether this request wrote it (false: a replay of the close with the same key).
public struct ZClosing: Hashable, Sendable {
  public var report: ZReport
  public var replayed: Bool

  public init(report: ZReport, replayed: Bool) {
    self.report = report
    self.replayed = replayed
  }
}
