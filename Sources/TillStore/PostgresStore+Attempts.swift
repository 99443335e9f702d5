import Foundation
import PostgresNIO
import TillCore

/// The rows that count sign-in attempts, one per staff code and one per terminal name.
extension PostgresStore {
  /// Makes sure both rows exist, then locks the code's row and the terminal's, in that order (the order
  /// every path takes), and reads them. A row that does not exist cannot be locked, so a first attempt
  /// inserts it; a concurrent first attempt waits on its primary key, then finds it.
  func lockAttemptRows(code: String, terminal: String, on connection: PostgresConnection) async throws
    -> (code: AttemptRow?, terminal: AttemptRow?)
  {
    try await connection.query(
      """
      INSERT INTO sign_in_attempts (scope, key, attempts, lock_outs)
      VALUES ('code', \(code), 0, 0), ('terminal', \(terminal), 0, 0)
      ON CONFLICT (scope, key) DO NOTHING
      """, logger: logger)
    let rows = try await connection.query(
      """
      SELECT scope, attempts, lock_outs, locked_until FROM sign_in_attempts
      WHERE (scope = 'code' AND key = \(code)) OR (scope = 'terminal' AND key = \(terminal))
      ORDER BY scope FOR UPDATE
      """, logger: logger
    ).collect().map { $0.makeRandomAccess() }
    var found: [String: AttemptRow] = [:]
    for row in rows {
      found[try row.decode("scope")] = AttemptRow(
        attempts: try row.decode("attempts"), lockOuts: try row.decode("lock_outs"),
        lockedUntil: try row.decode("locked_until"))
    }
    return (found[LockOutStart.Scope.code.rawValue], found[LockOutStart.Scope.terminal.rawValue])
  }

  func store(_ row: AttemptRow, _ scope: LockOutStart.Scope, _ key: String, on connection: PostgresConnection)
    async throws
  {
    try await connection.query(
      """
      UPDATE sign_in_attempts
      SET attempts = \(row.attempts), lock_outs = \(row.lockOuts), locked_until = \(row.lockedUntil)
      WHERE scope = \(scope.rawValue) AND key = \(key)
      """, logger: logger)
  }

  /// A right PIN for `code` on `terminal`: the code's count and lock-out history end, and the terminal
  /// gives back the attempt it counted (`AttemptRule.afterSuccess`). Locks in the order attempts do.
  func clearAttempts(
    afterRightPINOf code: String, on terminal: String, now: Date, connection: PostgresConnection
  ) async throws {
    let rows = try await lockAttemptRows(code: code, terminal: terminal, on: connection)
    try await connection.query(
      "DELETE FROM sign_in_attempts WHERE scope = 'code' AND key = \(code)", logger: logger)
    if let terminalRow = rows.terminal {
      try await store(
        AttemptRule.afterSuccess(terminal: terminalRow, now: now), .terminal, terminal, on: connection)
    }
  }
}
