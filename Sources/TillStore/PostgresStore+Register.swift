import Foundation
import PostgresNIO
import TillCore

/// The trading day on PostgreSQL. The session row's lock is what keeps a close apart from everything that
/// joins the session: an order statement and a cash move take it `FOR KEY SHARE` (they do not wait for
/// each other), a close takes it `FOR UPDATE`, so a close waits for those in flight, and those that come
/// after it find the session closed.
extension PostgresStore: RegisterStore {
  /// Another request won a race this one lost (an open whose rival closed, an opId taken meanwhile):
  /// the transaction runs again and sees the winner's row.
  struct LostRace: Error {}

  public func openSession(openingFloat: Money, by actor: StaffActor) async throws(StoreError)
    -> RegisterSession
  {
    try RegisterRules.checkOpen(openingFloat, by: actor, currency: currency)
    let id = StoreIdentifiers.newIdentifier()
    let now = Self.wholeSeconds(Date())
    return try await transaction(retryingAlso: { $0 is LostRace }) { connection in
      // The partial unique index decides between two opens at one moment, on any number of back ends:
      // the second waits for the first's commit, then inserts nothing.
      let rows = try await connection.query(
        """
        INSERT INTO register_sessions AS s (
          id, owner, terminal, status, opening_float, currency, opened_at, opened_by)
        VALUES (\(id), \(actor.owner), \(actor.terminal), 'open', \(openingFloat.amount), \(openingFloat.currency),
          \(now), \(actor.staff))
        ON CONFLICT (owner) WHERE status = 'open' DO NOTHING
        RETURNING \(unescaped: Self.registerSessionColumns.list)
        """, logger: logger
      ).collect()
      guard let row = rows.first else {
        guard let open = try await openSession(owner: actor.owner, on: connection) else { throw LostRace() }
        throw StoreError.sessionAlreadyOpen(open)
      }
      let session = try Self.session(row.makeRandomAccess())
      try await insert(.sessionOpen(session, by: actor), at: Date(), on: connection)
      return session
    }
  }

  public func currentSession(owner: String) async throws(StoreError) -> RegisterSession? {
    guard StoreIdentifiers.canName(owner) else { return nil }
    return try await withConnection { connection in try await openSession(owner: owner, on: connection) }
  }

  public func sessionReport(id: String, owner: String) async throws(StoreError) -> SessionReport {
    try StoreIdentifiers.requireNamed("register session", id, owner)
    // One snapshot for every fact, so the report adds up even while sales go on.
    return try await transaction { connection in
      try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
      guard let session = try await session(id: id, owner: owner, lock: .unlocked, on: connection) else {
        throw StoreError.notFound(what: "register session")
      }
      return try RegisterRules.report(of: try await sessionFacts(session, on: connection))
    }
  }

  public func recordCashMove(
    _ request: CashMoveRequest, sessionId: String, by actor: StaffActor, approval: VerifiedApproval?
  ) async throws(StoreError) -> CashMoveRecord {
    let currency = currency
    try RegisterRules.checkMove(
      request, sessionId: sessionId, by: actor, approval: approval, currency: currency)
    let fingerprint = RegisterRules.fingerprint(request, currency: currency)
    return try await transaction(retryingAlso: { $0 is LostRace }) { connection in
      let session = try await session(id: sessionId, owner: actor.owner, lock: .keyShare, on: connection)
      var approver: StaffFacts?
      if let approval {
        try await clearAttempts(
          afterRightPINOf: approval.code, on: actor.terminal, now: Date(), connection: connection)
        approver = try await credentials(code: approval.code, lock: .share, on: connection)?.facts
      }
      let applied = try await connection.query(
        """
        SELECT \(unescaped: Self.cashMoveColumns.list), fingerprint FROM cash_moves
        WHERE owner = \(actor.owner) AND op_id = \(request.opId)
        """, logger: logger
      ).collect().first.map { row in
        let row = row.makeRandomAccess()
        return AppliedCashMove(move: try Self.cashMove(row), fingerprint: try row.decode("fingerprint"))
      }
      let facts = CashMoveFacts(sessionStatus: session?.status, applied: applied, approver: approver)
      switch try RegisterRules.decide(
        request, sessionId: sessionId, facts: facts, actor: actor, currency: currency, approval: approval)
      {
      case .replay(let move):
        return CashMoveRecord(move: move, created: false)
      case .record(let approvedBy):
        let now = Self.wholeSeconds(Date())
        let move = RegisterRules.cashMove(
          request, sessionId: sessionId, currency: currency, by: actor, approvedBy: approvedBy,
          at: now.formatted(.iso8601))
        // A concurrent request with the same opId may have committed since the read above.
        let inserted = try await connection.query(
          """
          INSERT INTO cash_moves (
            id, session_id, owner, op_id, fingerprint, kind, amount, currency, reason, staff_code, approved_by,
            created_at)
          VALUES (\(move.id), \(sessionId), \(actor.owner), \(request.opId), \(fingerprint), \(move.kind.rawValue),
            \(move.amount.amount), \(currency), \(move.reason), \(move.staff), \(approvedBy), \(now))
          ON CONFLICT (owner, op_id) DO NOTHING RETURNING id
          """, logger: logger
        ).collect()
        guard !inserted.isEmpty else { throw LostRace() }
        try await insert(.cashMove(move, by: actor), at: Date(), on: connection)
        return CashMoveRecord(move: move, created: true)
      }
    }
  }

  public func closeSession(id: String, countedCash: Money, idempotencyKey: String, by actor: StaffActor)
    async throws(StoreError) -> ZClosing
  {
    try RegisterRules.checkClose(
      id: id, countedCash: countedCash, key: idempotencyKey, by: actor, currency: currency)
    return try await transaction { connection in
      // Exclusively: orders and cash moves in flight for this session commit first, and are counted
      // below (each statement reads what committed before it); those after find the session closed.
      let session = try await session(id: id, owner: actor.owner, lock: .update, on: connection)
      let closedWith = try await connection.query(
        "SELECT id, idempotency_key, counted_amount, currency FROM z_reports WHERE session_id = \(id)",
        logger: logger
      ).collect().first.map { row in
        let row = row.makeRandomAccess()
        return CloseFacts.ClosedWith(
          key: try row.decode("idempotency_key"),
          countedCash: Money(amount: try row.decode("counted_amount"), currency: try row.decode("currency")),
          reportId: try row.decode("id"))
      }
      let facts = CloseFacts(
        status: session?.status, closedWith: closedWith,
        openOrders: try await openOrders(sessionId: id, on: connection))
      switch try RegisterRules.decideClose(facts: facts, key: idempotencyKey, countedCash: countedCash) {
      case .replay(let reportId):
        return ZClosing(report: try await zReport(id: reportId, on: connection), replayed: true)
      case .close:
        guard let session else { throw StoreError.notFound(what: "register session") }
        // The session's lock keeps this terminal's closes apart (one open session at a time).
        let last = try await connection.query(
          "SELECT max(number) AS last FROM z_reports WHERE owner = \(actor.owner)", logger: logger
        ).collect().first?.makeRandomAccess().decode("last", as: Int?.self)
        let now = Self.wholeSeconds(Date())
        let z = try RegisterRules.zReport(
          id: StoreIdentifiers.newIdentifier(), number: try RegisterRules.nextZNumber(after: last ?? nil),
          facts: try await sessionFacts(session, on: connection), closedAt: now.formatted(.iso8601),
          by: actor,
          countedCash: countedCash)
        let report = try StoredReport.encode(z.report)
        try await connection.query(
          """
          INSERT INTO z_reports (
            id, owner, terminal, number, session_id, idempotency_key, counted_amount, variance_amount, currency,
            closed_at, closed_by, report)
          VALUES (\(z.id), \(actor.owner), \(z.terminal), \(z.number), \(id), \(idempotencyKey),
            \(countedCash.amount), \(z.variance.amount), \(countedCash.currency), \(now), \(actor.staff), \(report))
          """, logger: logger)
        try await connection.query(
          """
          UPDATE register_sessions SET status = 'closed', closed_at = \(now), closed_by = \(actor.staff)
          WHERE id = \(id)
          """, logger: logger)
        try await insert(.sessionClose(z, by: actor), at: Date(), on: connection)
        return ZClosing(report: z, replayed: false)
      }
    }
  }

  public func zReports(terminal: String?, limit: Int, after: String?) async throws(StoreError) -> Page<
    ZReport
  > {
    guard let paging = KeysetPaging(limit: limit) else { return KeysetPaging.empty() }
    if let terminal, !StoreIdentifiers.canName(terminal) { return KeysetPaging.empty() }
    var binds = PostgresBindings()
    var conditions: [String] = []
    if let terminal {
      binds.append(terminal)
      conditions.append("terminal = $\(binds.count)")
    }
    if let after {
      guard let cursor = ZReportCursor(after), let closedAt = Self.parseTimestamp(cursor.closedAt) else {
        return KeysetPaging.empty()
      }
      binds.append(closedAt)
      binds.append(cursor.number)
      binds.append(cursor.id)
      conditions.append(
        "(closed_at, number, id) < ($\(binds.count - 2), $\(binds.count - 1), $\(binds.count))")
    }
    binds.append(paging.fetchLimit)
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = """
      SELECT \(Self.zReportColumns.list) FROM z_reports \(filter)
      ORDER BY closed_at DESC, number DESC, id DESC LIMIT $\(binds.count)
      """
    let reports = try await withConnection { [binds] connection in
      try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
        .map { try Self.zReport($0.makeRandomAccess()) }
    }
    return paging.page(reports) { ZReportCursor(of: $0).text }
  }

  public func zReport(id: String) async throws(StoreError) -> ZReport {
    try StoreIdentifiers.requireNamed("Z report", id)
    return try await withConnection { connection in try await zReport(id: id, on: connection) }
  }
}
