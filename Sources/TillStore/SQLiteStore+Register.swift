import Foundation
import GRDB
import TillCore

extension SQLiteStore: RegisterStore {
  public func openSession(openingFloat: Money, by actor: StaffActor) async throws(StoreError)
    -> RegisterSession
  {
    try RegisterRules.checkOpen(openingFloat, by: actor, currency: currency)
    return try await write { db in
      // The single writer: nobody opens this terminal's session between the check and the insert; the
      // partial unique index backs it.
      if let open = try Self.openSession(owner: actor.owner, in: db) {
        throw StoreError.sessionAlreadyOpen(open)
      }
      let session = RegisterSession(
        id: StoreIdentifiers.newIdentifier(), terminal: actor.terminal, status: .open,
        openingFloat: openingFloat, openedAt: SQLiteRows.timestamp(), openedBy: actor.staff)
      try db.run(
        """
        INSERT INTO register_sessions (id, owner, terminal, status, opening_float, currency, opened_at, opened_by)
        VALUES (?, ?, ?, 'open', ?, ?, ?, ?)
        """,
        [
          session.id, actor.owner, session.terminal, openingFloat.amount, openingFloat.currency,
          session.openedAt, actor.staff,
        ])
      try Self.insert(.sessionOpen(session, by: actor), at: Date(), in: db)
      return session
    }
  }

  public func currentSession(owner: String) async throws(StoreError) -> RegisterSession? {
    guard StoreIdentifiers.canName(owner) else { return nil }
    return try await read { db in try Self.openSession(owner: owner, in: db) }
  }

  public func sessionReport(id: String, owner: String) async throws(StoreError) -> SessionReport {
    try StoreIdentifiers.requireNamed("register session", id, owner)
    return try await read { db in
      guard let session = try Self.session(id: id, owner: owner, in: db) else {
        throw StoreError.notFound(what: "register session")
      }
      return try RegisterRules.report(of: try Self.sessionFacts(session, in: db))
    }
  }

  public func recordCashMove(
    _ request: CashMoveRequest, sessionId: String, by actor: StaffActor, approval: VerifiedApproval?
  ) async throws(StoreError) -> CashMoveRecord {
    let currency = currency
    try RegisterRules.checkMove(
      request, sessionId: sessionId, by: actor, approval: approval, currency: currency)
    return try await write { db in
      let session = try Self.session(id: sessionId, owner: actor.owner, in: db)
      var approver: StaffFacts?
      if let approval {
        try Self.clearAttempts(afterRightPINOf: approval.code, on: actor.terminal, now: Date(), in: db)
        approver = try Self.credentials(code: approval.code, in: db)?.facts
      }
      let applied = try db.fetchRow(
        "SELECT \(Self.cashMoveColumns.list), fingerprint FROM cash_moves WHERE owner = ? AND op_id = ?",
        [actor.owner, request.opId]
      ).map {
        AppliedCashMove(move: try Self.cashMove($0), fingerprint: try $0.decode(forColumn: "fingerprint"))
      }
      let facts = CashMoveFacts(sessionStatus: session?.status, applied: applied, approver: approver)
      switch try RegisterRules.decide(
        request, sessionId: sessionId, facts: facts, actor: actor, currency: currency, approval: approval)
      {
      case .replay(let move):
        return CashMoveRecord(move: move, created: false)
      case .record(let approvedBy):
        let move = RegisterRules.cashMove(
          request, sessionId: sessionId, currency: currency, by: actor, approvedBy: approvedBy,
          at: SQLiteRows.timestamp())
        try db.run(
          """
          INSERT INTO cash_moves (
            id, session_id, owner, op_id, fingerprint, kind, amount, currency, reason, staff_code, approved_by,
            created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            move.id, sessionId, actor.owner, request.opId,
            RegisterRules.fingerprint(request, currency: currency),
            move.kind.rawValue, move.amount.amount, currency, move.reason, move.staff, approvedBy,
            move.createdAt,
          ])
        try Self.insert(.cashMove(move, by: actor), at: Date(), in: db)
        return CashMoveRecord(move: move, created: true)
      }
    }
  }

  public func closeSession(id: String, countedCash: Money, idempotencyKey: String, by actor: StaffActor)
    async throws(StoreError) -> ZClosing
  {
    try RegisterRules.checkClose(
      id: id, countedCash: countedCash, key: idempotencyKey, by: actor, currency: currency)
    return try await write { db in
      // Under the single writer nothing joins the session while it is being closed.
      let session = try Self.session(id: id, owner: actor.owner, in: db)
      let closedWith = try db.fetchRow(
        "SELECT id, idempotency_key, counted_amount, currency FROM z_reports WHERE session_id = ?", [id]
      ).map { row in
        CloseFacts.ClosedWith(
          key: try row.decode(forColumn: "idempotency_key"),
          countedCash: Money(
            amount: try row.decode(forColumn: "counted_amount"),
            currency: try row.decode(forColumn: "currency")),
          reportId: try row.decode(forColumn: "id"))
      }
      let facts = CloseFacts(
        status: session?.status, closedWith: closedWith,
        openOrders: try Self.openOrders(sessionId: id, in: db))
      switch try RegisterRules.decideClose(facts: facts, key: idempotencyKey, countedCash: countedCash) {
      case .replay(let reportId):
        return ZClosing(report: try Self.zReport(id: reportId, in: db), replayed: true)
      case .close:
        guard let session else { throw StoreError.notFound(what: "register session") }
        let number = try RegisterRules.nextZNumber(
          after: try db.fetchInt("SELECT MAX(number) FROM z_reports WHERE owner = ?", [actor.owner]))
        let closedAt = SQLiteRows.timestamp()
        let z = try RegisterRules.zReport(
          id: StoreIdentifiers.newIdentifier(), number: number, facts: try Self.sessionFacts(session, in: db),
          closedAt: closedAt, by: actor, countedCash: countedCash)
        try db.run(
          """
          INSERT INTO z_reports (
            id, owner, terminal, number, session_id, idempotency_key, counted_amount, variance_amount, currency,
            closed_at, closed_by, report)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
          [
            z.id, actor.owner, z.terminal, number, id, idempotencyKey, countedCash.amount, z.variance.amount,
            countedCash.currency, closedAt, actor.staff, try StoredReport.encode(z.report),
          ])
        try db.run(
          "UPDATE register_sessions SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?",
          [closedAt, actor.staff, id])
        try Self.insert(.sessionClose(z, by: actor), at: Date(), in: db)
        return ZClosing(report: z, replayed: false)
      }
    }
  }

  public func zReports(terminal: String?, limit: Int, after: String?) async throws(StoreError) -> Page<
    ZReport
  > {
    guard let paging = KeysetPaging(limit: limit) else { return KeysetPaging.empty() }
    if let terminal, !StoreIdentifiers.canName(terminal) { return KeysetPaging.empty() }
    var conditions: [String] = []
    var arguments: StatementArguments = []
    if let terminal {
      conditions.append("terminal = ?")
      arguments += [terminal]
    }
    if let after {
      guard let cursor = ZReportCursor(after) else { return KeysetPaging.empty() }
      conditions.append("(closed_at, number, id) < (?, ?, ?)")
      arguments += [cursor.closedAt, cursor.number, cursor.id]
    }
    arguments += [paging.fetchLimit]
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql =
      "SELECT \(Self.zReportColumns.list) FROM z_reports \(filter) ORDER BY closed_at DESC, number DESC, id DESC LIMIT ?"
    let reports = try await read { [arguments] db in try db.fetchRows(sql, arguments).map(Self.zReport) }
    return paging.page(reports) { ZReportCursor(of: $0).text }
  }

  public func zReport(id: String) async throws(StoreError) -> ZReport {
    try StoreIdentifiers.requireNamed("Z report", id)
    return try await read { db in try Self.zReport(id: id, in: db) }
  }
}
