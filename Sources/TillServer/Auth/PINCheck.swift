import Foundation
import Hummingbird
import TillCore
import TillStore

/// Checks a staff code and PIN the way sign-in and manager approvals both must: the attempt is counted
/// in the store *before* the PIN is looked at (so guesses on any number of back ends count together),
/// the PIN is checked with bcrypt outside any transaction, and a refusal leaves its audit row.
///
/// An unknown code, a wrong PIN and a disabled person are refused alike, after the same bcrypt work.
struct PINCheck: Sendable {
  let store: any StaffStore
  let hasher: PINHasher
  let policy: AttemptPolicy
  /// Every refusal is counted: wrong, or locked out.
  let metrics: ServerMetrics

  /// The person's stored credentials when `pin` is theirs, they are enabled and (when `role` is given)
  /// have that role; nil when refused, after writing a `failure` audit row about `subject`. Throws
  /// `AttemptsLocked` when the code or the terminal is locked out (the PIN is then not checked).
  func verify(
    code: String, pin: String, terminal: String, failure: AuditAction, subject: String?,
    role: StaffRole? = nil
  ) async throws -> StaffCredentials? {
    let now = Date()
    let purpose = failure == .approvalRefused ? "approval" : "sign-in"
    if case .locked(let until) = try await store.reserveAttempt(
      code: code, terminal: terminal, now: now, policy: policy)
    {
      metrics.pinRefused(purpose: purpose, reason: "locked")
      throw AttemptsLocked(until: until)
    }
    let credentials = try await store.staffCredentials(code: code)
    let matches = await hasher.verify(pin, against: credentials?.pinHash)
    if let credentials, matches, credentials.member.enabled, role == nil || credentials.member.role == role {
      return credentials
    }
    try await store.recordFailedAttempt(
      failure, code: code, terminal: terminal, subject: subject, now: Date())
    metrics.pinRefused(purpose: purpose, reason: "wrong")
    return nil
  }

  /// A manager's approval with its PIN checked against the approver's stored hash, for an action on
  /// `subject` (an order, a cart) on `terminal`. A wrong PIN, an unknown code, a disabled person or a
  /// cashier is 403 `approval-refused`, counted like a sign-in failure; a malformed code or PIN is 422
  /// naming `approval.code` or `approval.pin`.
  func verifiedApproval(_ approval: Approval, subject: String, terminal: String) async throws
    -> VerifiedApproval
  {
    try Self.validate(code: approval.code, pin: approval.pin, field: "approval.")
    guard
      let approver = try await verify(
        code: approval.code, pin: approval.pin, terminal: terminal, failure: .approvalRefused,
        subject: subject, role: .manager)
    else { throw StoreError.approvalRefused }
    return VerifiedApproval(code: approver.member.code, pinHash: approver.pinHash)
  }

  /// The shape of a code and PIN, checked before anything is counted: a malformed one is the client's
  /// mistake (422 naming `field`), not a guess.
  static func validate(code: String, pin: String, field prefix: String = "") throws(Problem) {
    guard StaffRules.isValidCode(code) else {
      throw Problem.invalidField(prefix + "code", "\(prefix)code must be 1 to 12 digits.")
    }
    guard StaffRules.isValidPIN(pin) else {
      throw Problem.invalidField(prefix + "pin", "\(prefix)pin must be 4 to 8 digits.")
    }
  }
}

/// The staff code or the terminal is locked out after too many wrong PINs: 429 `too-many-attempts` with
/// `Retry-After`.
struct AttemptsLocked: Error, Sendable {
  var until: Date

  /// The wait in whole seconds, rounded up so a client that honours it is not refused again.
  func retryAfter(now: Date = Date()) -> Int {
    max(1, Int(until.timeIntervalSince(now).rounded(.up)))
  }

  func problem(now: Date = Date()) -> Problem {
    Problem(.tooManyAttempts, detail: "Too many wrong PINs; try again in \(retryAfter(now: now)) s.")
  }
}
