import Foundation
import TillCore

/// What a session lookup decided.
enum SessionDecision: Hashable, Sendable {
  /// Ended by inactivity (or its person is disabled): as if it did not exist.
  case ended
  /// Live; when `touch` is set, the stored expiry moves on to it.
  case live(expiresAt: Date, touch: Date?)
}

/// Staff sessions: when one may start, when it has ended, and when a use moves its expiry on. A use
/// writes the new expiry at most once a minute, so a busy till does not write on every request.
enum SessionRule {
  /// How much a use must move the expiry on before it is written.
  static let touchInterval: Duration = .seconds(60)

  /// A session may start only for the person as the PIN was checked: still there, enabled, and with the
  /// same PIN hash (`stored` as read in the session's own transaction).
  static func checkStart(stored: StaffFacts?, verified: StaffCredentials) throws(StoreError) {
    guard let stored, stored.enabled, stored.pinHash == verified.pinHash else { throw .signInRefused }
  }

  /// The expiry of a session used at `now`.
  static func expiry(usedAt now: Date, idle: Duration) -> Date {
    now.addingTimeInterval(idle.timeInterval)
  }

  /// Whether a session has ended by `now`: idle past its expiry, or its person disabled.
  static func hasEnded(expiresAt: Date, enabled: Bool, now: Date) -> Bool {
    !enabled || now >= expiresAt
  }

  static func decide(expiresAt: Date, enabled: Bool, now: Date, idle: Duration) -> SessionDecision {
    guard !hasEnded(expiresAt: expiresAt, enabled: enabled, now: now) else { return .ended }
    let moved = expiry(usedAt: now, idle: idle)
    let due = moved.timeIntervalSince(expiresAt) >= touchInterval.timeInterval
    return .live(expiresAt: due ? moved : expiresAt, touch: due ? moved : nil)
  }

  /// RFC 3339 in UTC, second precision, as the API answers dates.
  static func text(_ date: Date) -> String {
    date.formatted(.iso8601)
  }
}

/// A session as both engines read it: its person (and whether they are enabled), its terminal, and its
/// stored expiry.
struct StoredSession: Hashable, Sendable {
  var staff: StaffSummary
  var enabled: Bool
  var owner: String
  var terminal: String
  var expiresAt: Date

  func session(expiresAt: Date) -> StaffSession {
    StaffSession(staff: staff, owner: owner, terminal: terminal, expiresAt: SessionRule.text(expiresAt))
  }
}
