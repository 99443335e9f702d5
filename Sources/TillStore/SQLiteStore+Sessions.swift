import Foundation
import GRDB
import TillCore

/// Sign-in attempts and staff sessions on SQLite. Every write runs on the one writer queue, so the
/// attempt rows read and the rows written back cannot interleave with another attempt: concurrent
/// guesses count one after another.
extension SQLiteStore {
  public func reserveAttempt(code: String, terminal: String, now: Date, policy: AttemptPolicy)
    async throws(StoreError) -> AttemptReservation
  {
    try StoreIdentifiers.checkActing(code, terminal)
    return try await write { db in
      let decision = AttemptRule.reserve(
        code: try Self.attemptRow(.code, code, in: db),
        terminal: try Self.attemptRow(.terminal, terminal, in: db),
        now: now, policy: policy)
      switch decision {
      case .locked(let until):
        return .locked(until: until)
      case .allowed(let codeRow, let terminalRow, let lockOuts):
        try Self.store(codeRow, .code, code, in: db)
        try Self.store(terminalRow, .terminal, terminal, in: db)
        for lockOut in lockOuts {
          let subject = lockOut.scope == .code ? code : terminal
          try Self.insert(
            .lockOut(subject: subject, terminal: terminal, until: lockOut.until), at: now, in: db)
        }
        return .allowed
      }
    }
  }

  public func recordFailedAttempt(
    _ action: AuditAction, code: String, terminal: String, subject: String?, now: Date
  ) async throws(StoreError) {
    try await write { db in
      try Self.insert(
        .failedAttempt(action, code: code, terminal: terminal, subject: subject), at: now, in: db)
    }
  }

  public func startSession(
    tokenDigest: String, verified: StaffCredentials, owner: String, terminal: String, now: Date,
    idle: Duration
  ) async throws(StoreError) -> StaffSession {
    let code = verified.member.code
    try StoreIdentifiers.checkActing(tokenDigest, code, owner, terminal)
    let expiresAt = SessionRule.expiry(usedAt: now, idle: idle)
    return try await write { db in
      let stored = try Self.credentials(code: code, in: db)
      try SessionRule.checkStart(stored: stored.map(\.facts), verified: verified)
      try Self.clearAttempts(afterRightPINOf: code, on: terminal, now: now, in: db)
      try db.run(
        """
        INSERT INTO staff_sessions (token_digest, staff_code, owner, terminal, started_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """, [tokenDigest, code, owner, terminal, now, expiresAt])
      try Self.insert(.session(.signIn, staff: code, terminal: terminal), at: now, in: db)
      return StaffSession(
        staff: stored?.member.summary ?? verified.member.summary, owner: owner, terminal: terminal,
        expiresAt: SessionRule.text(expiresAt))
    }
  }

  public func session(tokenDigest: String, now: Date, idle: Duration) async throws(StoreError)
    -> StaffSession?
  {
    guard StoreIdentifiers.canName(tokenDigest) else { return nil }
    let found = try await read { db in try Self.sessionRow(tokenDigest: tokenDigest, in: db) }
    guard let found else { return nil }
    switch SessionRule.decide(expiresAt: found.expiresAt, enabled: found.enabled, now: now, idle: idle) {
    case .ended:
      return nil
    case .live(let expiresAt, let touch):
      if let touch {
        // Only ever later: a slower request of the same session never moves the expiry back.
        _ = try await write { db in
          try db.run(
            "UPDATE staff_sessions SET expires_at = ? WHERE token_digest = ? AND expires_at < ?",
            [touch, tokenDigest, touch])
        }
      }
      return found.session(expiresAt: expiresAt)
    }
  }

  public func endSession(tokenDigest: String, now: Date) async throws(StoreError) -> Bool {
    guard StoreIdentifiers.canName(tokenDigest) else { return false }
    return try await write { db in
      guard let found = try Self.sessionRow(tokenDigest: tokenDigest, in: db) else { return false }
      try db.run("DELETE FROM staff_sessions WHERE token_digest = ?", [tokenDigest])
      // An idle session had ended already: its row goes, without a sign-out.
      guard !SessionRule.hasEnded(expiresAt: found.expiresAt, enabled: found.enabled, now: now) else {
        return false
      }
      try Self.insert(.session(.signOut, staff: found.staff.code, terminal: found.terminal), at: now, in: db)
      return true
    }
  }

  private static func sessionRow(tokenDigest: String, in db: Database) throws -> StoredSession? {
    try db.fetchRow(
      """
      SELECT s.owner, s.terminal, s.expires_at, st.code, st.name, st.role, st.enabled
      FROM staff_sessions s JOIN staff st ON st.code = s.staff_code
      WHERE s.token_digest = ?
      """, [tokenDigest]
    ).map { row in
      StoredSession(
        staff: StaffSummary(
          code: try row.decode(forColumn: "code"), name: try row.decode(forColumn: "name"),
          role: try StoredValue.staffRole(try row.decode(forColumn: "role"))),
        enabled: try row.decode(forColumn: "enabled"), owner: try row.decode(forColumn: "owner"),
        terminal: try row.decode(forColumn: "terminal"), expiresAt: try row.decode(forColumn: "expires_at"))
    }
  }

  /// A right PIN for `code` on `terminal`: the code's count and lock-out history end, and the terminal
  /// gives back the attempt it counted (`AttemptRule.afterSuccess`).
  static func clearAttempts(afterRightPINOf code: String, on terminal: String, now: Date, in db: Database)
    throws
  {
    try db.run("DELETE FROM sign_in_attempts WHERE scope = 'code' AND key = ?", [code])
    if let row = try attemptRow(.terminal, terminal, in: db) {
      try store(AttemptRule.afterSuccess(terminal: row, now: now), .terminal, terminal, in: db)
    }
  }

  static func attemptRow(_ scope: LockOutStart.Scope, _ key: String, in db: Database) throws -> AttemptRow? {
    try db.fetchRow(
      "SELECT attempts, lock_outs, locked_until FROM sign_in_attempts WHERE scope = ? AND key = ?",
      [scope.rawValue, key]
    ).map { row in
      AttemptRow(
        attempts: try row.decode(forColumn: "attempts"), lockOuts: try row.decode(forColumn: "lock_outs"),
        lockedUntil: try row.decode(forColumn: "locked_until"))
    }
  }

  static func store(_ row: AttemptRow, _ scope: LockOutStart.Scope, _ key: String, in db: Database) throws {
    try db.run(
      """
      INSERT INTO sign_in_attempts (scope, key, attempts, lock_outs, locked_until) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scope, key) DO UPDATE SET attempts = excluded.attempts, lock_outs = excluded.lock_outs,
        locked_until = excluded.locked_until
      """, [scope.rawValue, key, row.attempts, row.lockOuts, row.lockedUntil])
  }
}
