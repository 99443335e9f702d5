import Testing
import TillCore

@testable import TillStore

@Suite("Cancel permission: own order, manager, or a manager's approval valid in the transaction")
struct CancelPermissionTests {
  static let cashier = StaffActor(owner: "o", terminal: "till-1", staff: "1001", role: .cashier)
  static let manager = StaffActor(owner: "o", terminal: "till-1", staff: "2001", role: .manager)
  static let approval = VerifiedApproval(code: "2002", pinHash: "hash-a")
  static let approver = StaffFacts(enabled: true, role: .manager, pinHash: "hash-a")

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var orderStaff: String
    var actor: StaffActor
    var approval: VerifiedApproval?
    var approver: StaffFacts?
    var expected: Result<String?, StoreError>
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "own order", orderStaff: "1001", actor: cashier, approval: nil, approver: nil,
      expected: .success(nil)),
    Case(
      name: "own order with an approval needs none", orderStaff: "1001", actor: cashier, approval: approval,
      approver: approver, expected: .success(nil)),
    Case(
      name: "a manager cancels anyone's", orderStaff: "1009", actor: manager, approval: nil, approver: nil,
      expected: .success(nil)),
    Case(
      name: "a legacy order is someone else's", orderStaff: LegacyStaff.code, actor: cashier, approval: nil,
      approver: nil, expected: .failure(.approvalRequired)),
    Case(
      name: "another's, no approval", orderStaff: "1009", actor: cashier, approval: nil, approver: nil,
      expected: .failure(.approvalRequired)),
    Case(
      name: "another's, valid approval", orderStaff: "1009", actor: cashier, approval: approval,
      approver: approver, expected: .success("2002")),
    Case(
      name: "approver unknown", orderStaff: "1009", actor: cashier, approval: approval, approver: nil,
      expected: .failure(.approvalRefused)),
    Case(
      name: "approver disabled meanwhile", orderStaff: "1009", actor: cashier, approval: approval,
      approver: StaffFacts(enabled: false, role: .manager, pinHash: "hash-a"),
      expected: .failure(.approvalRefused)),
    Case(
      name: "approver is a cashier", orderStaff: "1009", actor: cashier, approval: approval,
      approver: StaffFacts(enabled: true, role: .cashier, pinHash: "hash-a"),
      expected: .failure(.approvalRefused)),
    Case(
      name: "approver's PIN reset meanwhile", orderStaff: "1009", actor: cashier, approval: approval,
      approver: StaffFacts(enabled: true, role: .manager, pinHash: "hash-b"),
      expected: .failure(.approvalRefused)),
  ]

  @Test(arguments: cases)
  func decide(_ row: Case) {
    let decided = decision { () throws(StoreError) in
      try CancelPermission.decide(
        orderStaff: row.orderStaff, actor: row.actor, approval: row.approval, approver: row.approver)
    }
    #expect(decided == row.expected)
  }
}
