import Foundation
import TillCore

/// People at the tills: staff, their sessions, counted sign-in attempts and the audit trail. Engines
/// implement it beside `Store`; the slow PIN hash is computed and checked outside the store (in the
/// server), and the store re-checks in its own transaction that the facts it was checked against still
/// hold (the person enabled, the role, the same hash). As with `Store`, each engine reads the facts in its
/// own SQL and applies what the rules under `Rules/` decide (`AttemptRule`, `SessionRule`, `StaffChange`,
/// `CancelPermission`, `AuditRecord`).
public protocol StaffStore: Sendable {
  /// Adds a person; `.staffExists` when the code is taken. Writes a `staff-add` audit row.
  func addStaff(code: String, name: String, role: StaffRole, pinHash: String, by actor: AuditActor)
    async throws(StoreError) -> StaffMember
  /// Everyone, by code.
  func staff() async throws(StoreError) -> [StaffMember]
  /// The person and their PIN hash, or nil for an unknown code (disabled people are answered too).
  func staffCredentials(code: String) async throws(StoreError) -> StaffCredentials?
  /// Disables a person and ends their sessions in one transaction; `staff-disable` audit row.
  /// Disabling a disabled person answers them unchanged, with no new row.
  func disableStaff(code: String, by actor: AuditActor) async throws(StoreError) -> StaffMember
  /// Replaces the PIN hash and ends the person's sessions; `staff-pin-reset` audit row.
  func resetPIN(code: String, pinHash: String, by actor: AuditActor) async throws(StoreError) -> StaffMember

  /// Counts one attempt for `code` and for `terminal` *before* the PIN is checked, under the attempt rows'
  /// locks, so concurrent guesses on any number of back ends are counted together. `.locked` when either
  /// is locked out (nothing counted); the attempt that reaches a limit is still allowed, starts the
  /// lock-out and writes its `lock-out` audit row.
  func reserveAttempt(code: String, terminal: String, now: Date, policy: AttemptPolicy)
    async throws(StoreError) -> AttemptReservation
  /// A refused sign-in or approval: one `sign-in-failed` or `approval-refused` audit row naming the code
  /// (nobody is named as acting: the code is only what was typed). Its subject is the code, or `subject`
  /// when given (e.g. the order an approval was for), and then its detail names the code.
  func recordFailedAttempt(
    _ action: AuditAction, code: String, terminal: String, subject: String?, now: Date
  ) async throws(StoreError)
  /// Starts a session after the PIN was verified against `verified.pinHash`: in one transaction, checks
  /// the person is still enabled with that hash (else `.signInRefused`), clears the code's attempts and
  /// lock-out history, gives the terminal back the attempt it counted (a terminal counts wrong PINs, not
  /// everyone who signs in there), stores the session under `tokenDigest` and writes the `sign-in` audit
  /// row. A cancel with a manager's approval clears the approver's attempts the same way.
  func startSession(
    tokenDigest: String, verified: StaffCredentials, owner: String, terminal: String, now: Date,
    idle: Duration
  ) async throws(StoreError) -> StaffSession
  /// The live session for `tokenDigest`, or nil when unknown, ended, idle past its expiry, or its person
  /// disabled. A use moves the expiry on to `now + idle` (written at most once a minute).
  func session(tokenDigest: String, now: Date, idle: Duration) async throws(StoreError) -> StaffSession?
  /// Ends the session (sign-out) with its `sign-out` audit row; false when it had already ended.
  func endSession(tokenDigest: String, now: Date) async throws(StoreError) -> Bool

  /// A receipt printed again (a copy) of the order `orderId` with its receipt number, by `actor`: one
  /// `receipt-reprint` audit row.
  func recordReceiptReprint(orderId: String, receiptNumber: Int, by actor: StaffActor, now: Date)
    async throws(StoreError)

  /// The audit trail, newest first, keyset-paged like every list (`after` is the previous page's cursor).
  func audit(limit: Int, after: String?) async throws(StoreError) -> Page<AuditEntry>
}

/// A person as stored: the public fields and the PIN hash (a bcrypt string), which never leaves the server.
public struct StaffCredentials: Sendable, Hashable, CustomStringConvertible {
  public var member: StaffMember
  public var pinHash: String

  public init(member: StaffMember, pinHash: String) {
    self.member = member
    self.pinHash = pinHash
  }

  public var description: String { "StaffCredentials(\(member.code), pinHash: <redacted>)" }
}

/// A live staff session: who, on which terminal (its owner id and its name), until when.
public struct StaffSession: Sendable, Hashable {
  public var staff: StaffSummary
  /// The terminal's owner id: carts and orders belong to the terminal.
  public var owner: String
  public var terminal: String
  /// RFC 3339, UTC.
  public var expiresAt: String

  public init(staff: StaffSummary, owner: String, terminal: String, expiresAt: String) {
    self.staff = staff
    self.owner = owner
    self.terminal = terminal
    self.expiresAt = expiresAt
  }
}

/// The signed-in person acting on a terminal's carts and orders.
public struct StaffActor: Sendable, Hashable {
  /// The terminal's owner id.
  public var owner: String
  public var terminal: String
  public var staff: String
  public var role: StaffRole

  public init(owner: String, terminal: String, staff: String, role: StaffRole) {
    self.owner = owner
    self.terminal = terminal
    self.staff = staff
    self.role = role
  }
}

/// Who an audit row names: a person on a terminal, or the admin token (both nil).
public struct AuditActor: Sendable, Hashable {
  public var staff: String?
  public var terminal: String?

  public init(staff: String?, terminal: String?) {
    self.staff = staff
    self.terminal = terminal
  }

  public static let admin = AuditActor(staff: nil, terminal: nil)
}

/// A manager's approval whose PIN the server verified against `pinHash`; the store checks, in the
/// action's own transaction, that the approver is still an enabled manager with that same hash.
public struct VerifiedApproval: Sendable, Hashable, CustomStringConvertible {
  public var code: String
  public var pinHash: String

  public init(code: String, pinHash: String) {
    self.code = code
    self.pinHash = pinHash
  }

  public var description: String { "VerifiedApproval(\(code), pinHash: <redacted>)" }
}

/// How many wrong PINs lock a code or a terminal out, and for how long.
public struct AttemptPolicy: Sendable, Hashable {
  /// Attempts evaluated for one code before it is locked out.
  public var perCode: Int
  /// Attempts evaluated on one terminal before it is locked out.
  public var perTerminal: Int
  /// The first lock-out; each further one doubles it, up to `longestLockOut`.
  public var firstLockOut: Duration
  public var longestLockOut: Duration

  public init(
    perCode: Int = 5, perTerminal: Int = 20, firstLockOut: Duration = .seconds(30),
    longestLockOut: Duration = .seconds(3600)
  ) {
    self.perCode = perCode
    self.perTerminal = perTerminal
    self.firstLockOut = firstLockOut
    self.longestLockOut = longestLockOut
  }
}

/// Whether an attempt may be evaluated.
public enum AttemptReservation: Sendable, Hashable {
  case allowed
  /// Locked out until the given moment; nothing was counted.
  case locked(until: Date)
}

/// The person recorded on carts, orders and payments written before staff existed.
public enum LegacyStaff {
  public static let code = "legacy"
}
