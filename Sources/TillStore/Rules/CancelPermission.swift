import TillCore

/// Who may cancel an order: the person who placed it, or any manager; anyone else needs a manager's
/// approval, valid in the cancel's own transaction (the approver still enabled, still a manager, with
/// the PIN hash the server verified the PIN against).
public enum CancelPermission {
  /// Whether `actor` needs a manager's approval to cancel an order placed by `orderStaff` (public so that
  /// the server checks an approval's PIN only when the store will ask for one).
  public static func needsApproval(orderStaff: String, actor: StaffActor) -> Bool {
    orderStaff != actor.staff && actor.role != .manager
  }

  /// The approver to record (nil when none was needed), or why the cancel is refused. `approver` is
  /// nil when the approval's code names nobody.
  static func decide(
    orderStaff: String, actor: StaffActor, approval: VerifiedApproval?, approver: StaffFacts?
  ) throws(StoreError) -> String? {
    try ManagerApproval.approver(
      needed: needsApproval(orderStaff: orderStaff, actor: actor), approval: approval, approver: approver)
  }
}
