import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// The audit trail: every listed action leaves exactly one row, written with the action; the trail is
/// paged like every list, newest first, readable by managers and the admin only, and holds no secret.
@Suite("The audit trail", .serialized)
struct AuditTrailTests {
  /// Runs `action` and expects exactly the rows `expected` (action names, oldest first) to be added.
  static func expectRows(
    _ expected: [String], in harness: ServerHarness, sourceLocation: SourceLocation = #_sourceLocation,
    _ action: () async throws -> Void
  ) async throws -> [AuditEntry] {
    let before = try await StaffFixtures.audit(harness)
    try await action()
    let added = try await StaffFixtures.audit(harness, since: before)
    #expect(added.reversed().map(\.action) == expected, sourceLocation: sourceLocation)
    return added
  }

  @Test(
    "every listed action leaves exactly one row naming who, where and what", arguments: StoreEngine.allCases)
  func oneRowPerAction(engine: StoreEngine) async throws {
    let policy = AttemptPolicy(perCode: 3, perTerminal: 100, firstLockOut: .seconds(30))
    try await withStaffServer(engine, attemptPolicy: policy) { harness in
      let admin = harness.client(as: .admin)
      var session = ""
      let signIn = try await Self.expectRows(["sign-in"], in: harness) {
        session = try await harness.signIn(ServerHarness.manager).token
      }
      #expect(signIn.first?.staff == "2001" && signIn.first?.terminal == "till-1")
      _ = try await Self.expectRows(["sign-out"], in: harness) {
        let answer = try await harness.client(token: session).send("POST", "/v1/sign-out", body: nil).status
        #expect(answer == 204)
      }
      let failed = try await Self.expectRows(["sign-in-failed"], in: harness) {
        let answer = try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status
        #expect(answer == 401)
      }
      #expect(failed.first?.subject == "1002" && failed.first?.staff == nil && failed.first?.detail == nil)
      _ = try await Self.expectRows(["sign-in-failed"], in: harness) {
        let answer = try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status
        #expect(answer == 401)
      }
      // The attempt that reaches the limit is still evaluated and starts the lock-out.
      let lockOut = try await Self.expectRows(["lock-out", "sign-in-failed"], in: harness) {
        let answer = try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status
        #expect(answer == 401)
      }
      #expect(lockOut.last?.subject == "1002")
      _ = try await Self.expectRows([], in: harness) {
        let answer = try await StaffFixtures.signIn(harness, code: "1002", pin: "0000").status
        #expect(answer == 429)
      }
      let stock = try await Self.expectRows(["stock-adjustment"], in: harness) {
        let body = StockAdjustmentRequest(delta: -3, reason: "damaged")
        let answer = try await admin.post("/v1/products/TEA/stock-adjustments", json: body).status
        #expect(answer == 200)
      }
      #expect(stock.first?.subject == "TEA" && stock.first?.detail == "delta -3: damaged")
      #expect(stock.first?.staff == nil && stock.first?.terminal == nil)
      let added = try await Self.expectRows(["staff-add"], in: harness) {
        _ = try await StaffFixtures.addStaff(harness, code: "3001", pin: "13579")
      }
      #expect(added.first?.subject == "3001")
      _ = try await Self.expectRows([], in: harness) {
        let taken = try await admin.post(
          "/v1/staff", json: NewStaffRequest(code: "3001", name: "Again", role: .cashier, pin: "1111"))
        #expect(taken.status == 409 && taken.problem?.kind == .staffExists)
      }
      _ = try await Self.expectRows(["staff-pin-reset"], in: harness) {
        let answer = try await admin.post("/v1/staff/3001/pin", json: ResetPINRequest(pin: "24680")).status
        #expect(answer == 200)
      }
      _ = try await Self.expectRows(["staff-disable"], in: harness) {
        _ = try await StaffFixtures.disable(harness, code: "3001")
      }
      _ = try await Self.expectRows([], in: harness) {
        let answer = try await StaffFixtures.disable(harness, code: "3001").enabled
        #expect(answer == false)
      }
      try await Self.cancels(harness)
      let rows = try await StaffFixtures.audit(harness)
      let text = rows.map { "\($0)" }.joined(separator: "\n")
      for secret in ["13579", "24680", "$2", ServerHarness.staffToken, ServerHarness.adminToken] {
        #expect(!text.contains(secret), "the trail holds \(secret)")
      }
      #expect(!text.contains(#/st-[A-Za-z0-9_-]{40}/#), "the trail holds a session token")
    }
  }

  /// Cancels (own, approved) and a refused approval: one row each.
  static func cancels(_ harness: ServerHarness) async throws {
    let cashier = harness.client()
    let own = try await cashier.placedOrder([("TEA", 1)])
    let ownRow = try await expectRows(["order-cancel"], in: harness) {
      let answer = try await cashier.cancel(own.id, body: nil).status
      #expect(answer == 200)
    }
    #expect(
      ownRow.first?.subject == own.id && ownRow.first?.staff == "1001" && ownRow.first?.approvedBy == nil)
    let theirs = try await cashier.placedOrder([("TEA", 1)])
    _ = try await expectRows(["approval-refused"], in: harness) {
      let answer = try await harness.client(as: .otherCashier).cancel(
        theirs.id, approvedBy: "2001", pin: "9999"
      ).status
      #expect(answer == 403)
    }
    _ = try await expectRows([], in: harness) {
      let answer = try await harness.client(as: .otherCashier).cancel(theirs.id, body: nil).status
      #expect(answer == 403)
    }
    let approved = try await expectRows(["order-cancel"], in: harness) {
      let answer = try await harness.client(as: .otherCashier).cancel(
        theirs.id, approvedBy: "2001", pin: "4321"
      ).status
      #expect(answer == 200)
    }
    #expect(approved.first?.staff == "1002" && approved.first?.approvedBy == "2001")
  }

  @Test(
    "GET /v1/audit: newest first, paged by cursor, for managers and the admin",
    arguments: StoreEngine.allCases)
  func paging(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      for code in ["4001", "4002", "4003"] {
        _ = try await StaffFixtures.addStaff(harness, code: code, pin: "8642")
      }
      let all = try await harness.client(as: .manager).get("/v1/audit?limit=500").decoded(
        Page<AuditEntry>.self)
      #expect(all.next == nil)
      let ids = all.items.compactMap { Int($0.id) }
      #expect(ids == ids.sorted(by: >) && ids.count == all.items.count)
      #expect(all.items.prefix(3).map(\.subject) == ["4003", "4002", "4001"])
      var pages: [AuditEntry] = []
      var after: String?
      repeat {
        let path = "/v1/audit?limit=2" + (after.map { "&after=\($0)" } ?? "")
        let page = try await harness.client(as: .admin).get(path).decoded(Page<AuditEntry>.self)
        #expect(page.items.count <= 2)
        pages += page.items
        after = page.next
      } while after != nil
      #expect(pages == all.items)
      for bad in ["limit=0", "limit=501", "limit=x", "after=abc", "after=-1"] {
        let answer = try await harness.client(as: .admin).get("/v1/audit?\(bad)")
        #expect(answer.status == 422, "\(bad)")
        #expect(answer.problem?.kind == .invalidField)
      }
      for caller in [ServerHarness.Caller.terminal, .cashier] {
        let answer = try await harness.client(as: caller).get("/v1/audit").status
        #expect(answer == 403)
      }
    }
  }
}
