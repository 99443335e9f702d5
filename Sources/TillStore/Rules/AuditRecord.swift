import Foundation
import TillCore

/// One row of the audit trail as both engines write it: built here once, so each action names the
/// same fields on every engine. It never holds a PIN, a hash or a token.
struct AuditRecord: Hashable, Sendable {
  var action: AuditAction
  var staff: String?
  var terminal: String?
  var approvedBy: String?
  var subject: String?
  var detail: String?

  /// A restock or write-off: the SKU, and the delta with its reason, e.g. `delta -3: damaged`.
  static func stockAdjustment(sku: String, delta: Int, reason: String, by actor: AuditActor) -> AuditRecord {
    AuditRecord(
      action: .stockAdjustment, staff: actor.staff, terminal: actor.terminal, subject: sku,
      detail: "delta \(delta): \(reason)")
  }

  /// A cancel of order `orderId`, with the manager who approved it, if one had to.
  static func orderCancel(orderId: String, by actor: StaffActor, approvedBy: String?) -> AuditRecord {
    AuditRecord(
      action: .orderCancel, staff: actor.staff, terminal: actor.terminal, approvedBy: approvedBy,
      subject: orderId)
  }

  /// A refund of order `refund.orderId`: its sequence, amount, method and each line's units (and whether
  /// they went back on the shelf), with the manager who approved it, if one had to.
  static func refund(_ refund: Refund, by actor: StaffActor) -> AuditRecord {
    let lines = refund.lines.map { "\($0.sku) x\($0.quantity)\($0.restock ? " restocked" : " written off")" }
    return AuditRecord(
      action: .refund, staff: actor.staff, terminal: actor.terminal, approvedBy: refund.approvedBy,
      subject: refund.orderId,
      detail:
        "refund \(refund.sequence): \(refund.amount) \(refund.method.rawValue); \(lines.joined(separator: ", "))"
    )
  }

  /// A discount given (or taken away) on cart `cartId`: its target and value, with the manager who
  /// approved it, if one had to.
  static func discount(cartId: String, sku: String?, value: String, by actor: StaffActor, approvedBy: String?)
    -> AuditRecord
  {
    AuditRecord(
      action: .discount, staff: actor.staff, terminal: actor.terminal, approvedBy: approvedBy,
      subject: cartId, detail: "\(sku.map { "line \($0)" } ?? "order"): \(value)")
  }

  /// A tax rate set on a category or a product (`subject`), e.g. `category rate 700`.
  static func taxRate(subject: String, detail: String, by actor: AuditActor) -> AuditRecord {
    AuditRecord(
      action: .taxRate, staff: actor.staff, terminal: actor.terminal, subject: subject, detail: detail)
  }

  /// A change to the person `code` (added, disabled, PIN reset).
  static func staffChange(_ action: AuditAction, code: String, by actor: AuditActor) -> AuditRecord {
    AuditRecord(action: action, staff: actor.staff, terminal: actor.terminal, subject: code)
  }

  /// A sign-in or sign-out of `staff` on `terminal`.
  static func session(_ action: AuditAction, staff: String, terminal: String) -> AuditRecord {
    AuditRecord(action: action, staff: staff, terminal: terminal)
  }

  /// A refused sign-in or approval. Nobody is named as acting: the code is only what was typed. The
  /// subject is what was refused (the code typed, unless the caller names something else, such as the
  /// order an approval was for, in which case the detail names the code).
  static func failedAttempt(_ action: AuditAction, code: String, terminal: String, subject: String?)
    -> AuditRecord
  {
    AuditRecord(
      action: action, terminal: terminal, subject: subject ?? code,
      detail: subject == nil ? nil : "code \(code)")
  }

  /// A lock-out of a staff code or a terminal (`subject`), started on `terminal`, until `until`.
  static func lockOut(subject: String, terminal: String, until: Date) -> AuditRecord {
    AuditRecord(
      action: .lockOut, terminal: terminal, subject: subject,
      detail: "until \(until.formatted(.iso8601))")
  }
}
