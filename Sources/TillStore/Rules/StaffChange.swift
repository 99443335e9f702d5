import TillCore

/// What the rules need to know about a person (an approver, someone signing in), read in the action's
/// own transaction.
struct StaffFacts: Hashable, Sendable {
  var enabled: Bool
  var role: StaffRole
  var pinHash: String
}

/// What a change to a person does, on the person as read in the change's own transaction.
enum StaffChange {
  /// A new person: refused when the code is taken; the code, name and role must have the shapes of
  /// `StaffRules` (the server checks them first; this keeps the store safe on its own).
  static func checkNew(code: String, name: String, taken: Bool) throws(StoreError) {
    guard StaffRules.isValidCode(code), StaffRules.isValidName(name) else {
      throw .engine("a new person needs a staff code and a name of the allowed shapes")
    }
    guard !taken else { throw .staffExists(code: code) }
  }

  /// Disabling: the person as answered afterwards, and whether anything changes (the person, their
  /// sessions, an audit row); a disabled person is answered as they are.
  static func disable(_ current: StaffMember?) throws(StoreError) -> (member: StaffMember, changes: Bool) {
    guard var member = current else { throw .notFound(what: "staff") }
    let changes = member.enabled
    member.enabled = false
    return (member, changes)
  }

  /// Resetting a PIN: the person must exist.
  static func checkReset(_ current: StaffMember?) throws(StoreError) -> StaffMember {
    guard let current else { throw .notFound(what: "staff") }
    return current
  }
}

extension StaffCredentials {
  /// What the rules check about the person.
  var facts: StaffFacts { StaffFacts(enabled: member.enabled, role: member.role, pinHash: pinHash) }
}
