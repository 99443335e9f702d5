import Foundation
import PostgresNIO
import TillCore

/// Sign-in attempts and staff sessions on PostgreSQL. An attempt locks its code's row and then its
/// terminal's row (`FOR UPDATE`, always in that order) before it reads them, so concurrent guesses
/// through any number of servers are counted one after another.
extension PostgresStore {
  public func reserveAttempt(code: String, terminal: String, now: Date, policy: AttemptPolicy)
    async throws(StoreError) -> AttemptReservation
  {
    try StoreIdentifiers.checkActing(code, terminal)
    return try await transaction { connection in
      let rows = try await lockAttemptRows(code: code, terminal: terminal, on: connection)
      switch AttemptRule.reserve(code: rows.code, terminal: rows.terminal, now: now, policy: policy) {
      case .locked(let until):
        return .locked(until: until)
      case .allowed(let codeRow, let terminalRow, let lockOuts):
        try await store(codeRow, .code, code, on: connection)
        try await store(terminalRow, .terminal, terminal, on: connection)
        for lockOut in lockOuts {
          let subject = lockOut.scope == .code ? code : terminal
          try await insert(
            .lockOut(subject: subject, terminal: terminal, until: lockOut.until), at: now, on: connection)
        }
        return .allowed
      }
    }
  }

  public func recordFailedAttempt(
    _ action: AuditAction, code: String, terminal: String, subject: String?, now: Date
  ) async throws(StoreError) {
    try await withConnection { connection in
      try await insert(
        .failedAttempt(action, code: code, terminal: terminal, subject: subject), at: now, on: connection)
    }
  }

  public func startSession(
    tokenDigest: String, verified: StaffCredentials, owner: String, terminal: String, now: Date,
    idle: Duration
  ) async throws(StoreError) -> StaffSession {
    let code = verified.member.code
    try StoreIdentifiers.checkActing(tokenDigest, code, owner, terminal)
    let expiresAt = SessionRule.expiry(usedAt: now, idle: idle)
    return try await transaction { connection in
      // Share-locked: a disable or PIN reset either committed before (and is seen) or waits for this
      // session, and then ends it.
      let stored = try await credentials(code: code, lock: .share, on: connection)
      try SessionRule.checkStart(stored: stored?.facts, verified: verified)
      try await clearAttempts(afterRightPINOf: code, on: terminal, now: now, connection: connection)
      try await connection.query(
        """
        INSERT INTO staff_sessions (token_digest, staff_code, owner, terminal, started_at, expires_at)
        VALUES (\(tokenDigest), \(code), \(owner), \(terminal), \(now), \(expiresAt))
        """, logger: logger)
      try await insert(.session(.signIn, staff: code, terminal: terminal), at: now, on: connection)
      return StaffSession(
        staff: stored?.member.summary ?? verified.member.summary, owner: owner, terminal: terminal,
        expiresAt: SessionRule.text(expiresAt))
    }
  }

  public func session(tokenDigest: String, now: Date, idle: Duration) async throws(StoreError)
    -> StaffSession?
  {
    guard StoreIdentifiers.canName(tokenDigest) else { return nil }
    return try await withConnection { connection in
      let rows = try await connection.query(
        """
        SELECT \(unescaped: Self.sessionColumns)
        FROM staff_sessions s JOIN staff st ON st.code = s.staff_code
        WHERE s.token_digest = \(tokenDigest)
        """, logger: logger
      ).collect()
      guard let found = try rows.first.map({ try Self.storedSession($0.makeRandomAccess()) }) else {
        return nil
      }
      switch SessionRule.decide(expiresAt: found.expiresAt, enabled: found.enabled, now: now, idle: idle) {
      case .ended:
        return nil
      case .live(let expiresAt, let touch):
        if let touch {
          // Only ever later: a slower request of the same session never moves the expiry back.
          try await connection.query(
            """
            UPDATE staff_sessions SET expires_at = \(touch)
            WHERE token_digest = \(tokenDigest) AND expires_at < \(touch)
            """, logger: logger)
        }
        return found.session(expiresAt: expiresAt)
      }
    }
  }

  public func endSession(tokenDigest: String, now: Date) async throws(StoreError) -> Bool {
    guard StoreIdentifiers.canName(tokenDigest) else { return false }
    return try await transaction { connection in
      let rows = try await connection.query(
        """
        DELETE FROM staff_sessions s USING staff st
        WHERE s.token_digest = \(tokenDigest) AND st.code = s.staff_code
        RETURNING \(unescaped: Self.sessionColumns)
        """, logger: logger
      ).collect()
      guard let found = try rows.first.map({ try Self.storedSession($0.makeRandomAccess()) }) else {
        return false
      }
      // An idle session had ended already: its row goes, without a sign-out.
      guard !SessionRule.hasEnded(expiresAt: found.expiresAt, enabled: found.enabled, now: now) else {
        return false
      }
      try await insert(
        .session(.signOut, staff: found.staff.code, terminal: found.terminal), at: now, on: connection)
      return true
    }
  }

  static let sessionColumns = """
    s.owner, s.terminal, s.expires_at, st.code, st.name, st.role, st.enabled
    """

  static func storedSession(_ row: PostgresRandomAccessRow) throws -> StoredSession {
    StoredSession(
      staff: StaffSummary(
        code: try row.decode("code"), name: try row.decode("name"),
        role: try StoredValue.staffRole(try row.decode("role"))),
      enabled: try row.decode("enabled"), owner: try row.decode("owner"),
      terminal: try row.decode("terminal"),
      expiresAt: try row.decode("expires_at"))
  }
}
