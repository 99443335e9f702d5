import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

@testable import TillServer

/// Canceling someone else's order needs a manager: in person, or by a manager's code and PIN carried
/// in the request. Every refusal leaves the order, the stock and the trail's actions as they were,
/// but for the refusal's own row.
@Suite("Manager approval in place", .serialized)
struct ApprovalTests {
  @Test("own orders and managers need no approval; a body is optional", arguments: StoreEngine.allCases)
  func noApprovalNeeded(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let cashier = harness.client()
      let first = try await cashier.placedOrder([("TEA", 1)])
      #expect(try await cashier.cancel(first.id, body: nil).decoded(Order.self).status == .canceled)
      let second = try await cashier.placedOrder([("TEA", 1)])
      #expect(try await cashier.cancel(second.id, body: "{}").decoded(Order.self).status == .canceled)
      let third = try await cashier.placedOrder([("TEA", 1)])
      let byManager = try await harness.client(as: .manager).cancel(third.id, body: nil)
      #expect(try byManager.decoded(Order.self).status == .canceled)
      // An approval sent where none is needed is not checked (a wrong PIN does not matter).
      let fourth = try await cashier.placedOrder([("TEA", 1)])
      let needless = try await cashier.cancel(fourth.id, approvedBy: "2001", pin: "0000")
      #expect(try needless.decoded(Order.self).status == .canceled)
      #expect(try await Fixtures.stock(cashier)["TEA"] == 100)
    }
  }

  @Test(
    "another cashier's order: approval required, refused (wrong PIN, a cashier, unknown), accepted",
    arguments: StoreEngine.allCases)
  func approvalFlow(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let order = try await harness.client().placedOrder([("TEA", 2)])
      let other = harness.client(as: .otherCashier)
      let stock = try await Fixtures.stock(other)
      let before = try await StaffFixtures.audit(harness)

      let required = try await other.cancel(order.id, body: nil)
      #expect(required.status == 403)
      #expect(required.problem?.kind == .approvalRequired)
      let refusals = [
        try await other.cancel(order.id, approvedBy: "2001", pin: "9999"),
        try await other.cancel(order.id, approvedBy: "1001", pin: "1234"),
        try await other.cancel(order.id, approvedBy: "7777", pin: "1234"),
      ]
      for refused in refusals {
        #expect(refused.status == 403)
        #expect(refused.problem?.kind == .approvalRefused)
      }
      #expect(try await other.order(order.id).status == .placed)
      #expect(try await Fixtures.stock(other) == stock)
      let refusedRows = try await StaffFixtures.audit(harness, since: before)
      #expect(refusedRows.map(\.action) == Array(repeating: "approval-refused", count: 3))
      #expect(refusedRows.allSatisfy { $0.subject == order.id && $0.terminal == "till-1" })

      let accepted = try await other.cancel(order.id, approvedBy: "2001", pin: "4321")
      #expect(try accepted.decoded(Order.self).status == .canceled)
      #expect(try await Fixtures.stock(other)["TEA"] == (stock["TEA"] ?? 0) + 2)
      let cancelRow = try #require(try await StaffFixtures.audit(harness).first)
      #expect(cancelRow.action == "order-cancel")
      #expect(cancelRow.staff == "1002")
      #expect(cancelRow.approvedBy == "2001")
      #expect(cancelRow.subject == order.id)
    }
  }

  @Test("an approval by a manager disabled just before is refused", arguments: StoreEngine.allCases)
  func disabledManager(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      _ = try await StaffFixtures.addStaff(harness, code: "2002", role: .manager, pin: "97531")
      let order = try await harness.client().placedOrder([("TEA", 1)])
      let other = harness.client(as: .otherCashier)
      _ = try await StaffFixtures.disable(harness, code: "2002")
      let refused = try await other.cancel(order.id, approvedBy: "2002", pin: "97531")
      #expect(refused.status == 403)
      #expect(refused.problem?.kind == .approvalRefused)
      #expect(try await other.order(order.id).status == .placed)
      // The store checks the approver again in the cancel's own transaction: a verified approval whose
      // approver was disabled in between is refused there too.
      let stored = try #require(try await harness.store.staffCredentials(code: "2002"))
      let owner = TokenAuthenticator(
        staffTokens: [ServerHarness.staffToken], adminToken: nil,
        secret: try await harness.store.ownerSecret()
      ).ownerID(for: ServerHarness.staffToken)
      let actor = StaffActor(owner: owner, terminal: "till-1", staff: "1002", role: .cashier)
      await #expect(throws: StoreError.approvalRefused) {
        _ = try await harness.store.cancelOrder(
          id: order.id, by: actor, approval: VerifiedApproval(code: "2002", pinHash: stored.pinHash))
      }
      #expect(try await other.order(order.id).status == .placed)
    }
  }

  @Test("a malformed approval is 422 naming the field; approval PINs count like sign-in PINs")
  func malformedAndCounted() async throws {
    let policy = AttemptPolicy(perCode: 3, perTerminal: 50, firstLockOut: .seconds(2))
    try await withStaffServer(attemptPolicy: policy) { harness in
      let order = try await harness.client().placedOrder([("TEA", 1)])
      let other = harness.client(as: .otherCashier)
      let malformed = try await other.cancel(order.id, approvedBy: "20a1", pin: "4321")
      #expect(malformed.status == 422 && malformed.problem?.field == "approval.code")
      let shortPIN = try await other.cancel(order.id, approvedBy: "2001", pin: "43")
      #expect(shortPIN.status == 422 && shortPIN.problem?.field == "approval.pin")
      for _ in 0..<3 {
        #expect(try await other.cancel(order.id, approvedBy: "2001", pin: "1111").status == 403)
      }
      // The manager's code is locked now, for approvals and sign-in alike, even with the right PIN.
      let locked = try await other.cancel(order.id, approvedBy: "2001", pin: "4321")
      #expect(locked.status == 429)
      #expect(locked.problem?.kind == .tooManyAttempts)
      #expect(Int(locked.header("Retry-After") ?? "") ?? 0 >= 1)
      #expect(try await StaffFixtures.signIn(harness, code: "2001", pin: "4321").status == 429)
      try await Task.sleep(for: .milliseconds(2_200))
      let accepted = try await other.cancel(order.id, approvedBy: "2001", pin: "4321")
      #expect(try accepted.decoded(Order.self).status == .canceled)
    }
  }
}
