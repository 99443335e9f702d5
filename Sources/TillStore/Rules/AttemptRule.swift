import Foundation

/// One counted scope (a staff code or a terminal name) as stored: attempts counted since its count was
/// last cleared, lock-outs so far (each one longer), and the end of the running lock-out, if any.
struct AttemptRow: Hashable, Sendable {
  var attempts: Int
  var lockOuts: Int
  var lockedUntil: Date?

  /// A scope nobody has tried yet.
  static let fresh = AttemptRow(attempts: 0, lockOuts: 0, lockedUntil: nil)
}

/// What a reservation decided: refused while a lock-out runs (nothing counted), or allowed with the
/// rows to store and the lock-outs this attempt started.
enum AttemptDecision: Hashable, Sendable {
  case locked(until: Date)
  case allowed(code: AttemptRow, terminal: AttemptRow, lockOuts: [LockOutStart])
}

/// A lock-out started by an attempt: which scope, until when.
struct LockOutStart: Hashable, Sendable {
  enum Scope: String, Hashable, Sendable {
    case code, terminal
  }

  var scope: Scope
  var until: Date
}

/// How guesses are counted, on the facts each engine reads under the attempt rows' locks. Every attempt
/// counts before its PIN is checked; the one that reaches a limit is still evaluated and starts a
/// lock-out; while one runs, nothing is counted; a lock-out that has ended clears the count on the next
/// attempt; each further lock-out of a scope lasts twice as long, up to the policy's longest.
enum AttemptRule {
  static func reserve(code: AttemptRow?, terminal: AttemptRow?, now: Date, policy: AttemptPolicy)
    -> AttemptDecision
  {
    let running = [code, terminal].compactMap { $0?.lockedUntil }.filter { now < $0 }
    if let until = running.max() { return .locked(until: until) }
    let (newCode, codeLock) = count(code ?? .fresh, limit: policy.perCode, now: now, policy: policy)
    let (newTerminal, terminalLock) = count(
      terminal ?? .fresh, limit: policy.perTerminal, now: now, policy: policy)
    let lockOuts = [
      codeLock.map { LockOutStart(scope: .code, until: $0) },
      terminalLock.map { LockOutStart(scope: .terminal, until: $0) },
    ].compactMap { $0 }
    return .allowed(code: newCode, terminal: newTerminal, lockOuts: lockOuts)
  }

  /// After a PIN that proved right: the terminal's row gives back the attempt it counted, so a terminal
  /// counts wrong PINs, not everyone who signs in there during a day. A running lock-out stays. (The
  /// code's row is removed altogether: its count and its lock-out history end with a right PIN.)
  static func afterSuccess(terminal: AttemptRow, now: Date) -> AttemptRow {
    if let until = terminal.lockedUntil, now < until { return terminal }
    var row = terminal
    row.attempts = max(0, row.attempts - 1)
    return row
  }

  /// How long the `lockOuts`-th lock-out (1 for the first) lasts.
  static func lockOutLength(_ lockOuts: Int, policy: AttemptPolicy) -> Duration {
    var length = policy.firstLockOut
    var doublings = max(0, lockOuts - 1)
    while doublings > 0 && length < policy.longestLockOut {
      length = length * 2
      doublings -= 1
    }
    return min(length, policy.longestLockOut)
  }

  /// One more attempt on `row` (not locked at `now`), and the end of the lock-out it starts, if any.
  private static func count(_ row: AttemptRow, limit: Int, now: Date, policy: AttemptPolicy)
    -> (AttemptRow, Date?)
  {
    var row = row
    if row.lockedUntil != nil {
      // Its lock-out has ended: counting starts again (the lock-out history stays).
      row.attempts = 0
      row.lockedUntil = nil
    }
    row.attempts += 1
    guard row.attempts >= limit else { return (row, nil) }
    row.lockOuts += 1
    let until = now.addingTimeInterval(lockOutLength(row.lockOuts, policy: policy).timeInterval)
    row.lockedUntil = until
    return (row, until)
  }
}

extension Duration {
  /// In seconds, as Foundation's dates count.
  var timeInterval: TimeInterval {
    let parts = components
    return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
  }
}
