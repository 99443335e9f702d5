import Foundation
import Testing
import TillCore
import TillHTTP
import TillServer
import TillStore
import TillTestSupport

/// Signing in and out over HTTP: what a session is bound to, how refusals look alike, and everything
/// that ends a session.
@Suite("Staff sign-in and sessions", .serialized)
struct SignInTests {
  @Test("a session belongs to the person and the terminal it was started on", arguments: StoreEngine.allCases)
  func sessionBinding(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let started = Date()
      let response = try await StaffFixtures.signIn(
        harness, code: "1001", pin: "1234", terminalToken: ServerHarness.otherStaffToken)
      let session = try response.decoded(SignInResponse.self)
      #expect(session.staff == StaffSummary(code: "1001", name: "Test Cashier", role: .cashier))
      #expect(session.terminal == "till-2")
      #expect(session.token.hasPrefix("st-") && session.token.count == 3 + 43)
      #expect(session.token.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
      let expires = try #require(ISO8601DateFormatter().date(from: session.expiresAt))
      #expect(abs(expires.timeIntervalSince(started) - 12 * 3600) < 120)

      // A cart made in this session is till-2's: people on till-2 reach it, people on till-1 do not.
      let cart = try await harness.client(token: session.token).createCart()
      #expect(try await harness.client(as: .otherTerminal).get("/v1/carts/\(cart.id)").status == 200)
      #expect(try await harness.client(as: .cashier).get("/v1/carts/\(cart.id)").status == 404)
      let order = try await harness.client(token: session.token).placedOrder([("TEA", 1)])
      #expect(order.staff == "1001")
    }
  }

  @Test(
    "an unknown code, a wrong PIN and a disabled person get the same 401", arguments: StoreEngine.allCases)
  func refusalsLookAlike(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      _ = try await StaffFixtures.addStaff(harness, code: "3001", pin: "5555")
      _ = try await StaffFixtures.disable(harness, code: "3001")
      let before = try await StaffFixtures.audit(harness)
      let answers = [
        try await StaffFixtures.signIn(harness, code: "9999", pin: "1234"),
        try await StaffFixtures.signIn(harness, code: "1001", pin: "4321"),
        try await StaffFixtures.signIn(harness, code: "3001", pin: "5555"),
      ]
      for answer in answers {
        #expect(answer.status == 401)
        #expect(answer.problem?.kind == .signInFailed)
        #expect(answer.header("Retry-After") == nil)
      }
      #expect(answers.map(\.problem) == Array(repeating: answers[0].problem, count: 3))
      // Each refusal leaves one row naming the code typed, and nobody as acting.
      let rows = try await StaffFixtures.audit(harness, since: before)
      #expect(rows.map(\.action) == Array(repeating: "sign-in-failed", count: 3))
      #expect(Set(rows.compactMap(\.subject)) == ["9999", "1001", "3001"])
      #expect(rows.allSatisfy { $0.staff == nil && $0.terminal == "till-1" })
    }
  }

  @Test("a malformed code or PIN is 422 naming the field, and counts as no attempt")
  func malformedShapes() async throws {
    try await withStaffServer(attemptPolicy: AttemptPolicy(perCode: 2, perTerminal: 4)) { harness in
      let before = try await StaffFixtures.audit(harness)
      let bad: [(String, String, String)] = [
        ("", "1234", "code"), ("12a4", "1234", "code"), ("1234567890123", "1234", "code"),
        ("1001", "", "pin"), ("1001", "123", "pin"), ("1001", "123456789", "pin"), ("1001", "12a4", "pin"),
        ("1001", "１２３４", "pin"),
      ]
      for (code, pin, field) in bad {
        let answer = try await StaffFixtures.signIn(harness, code: code, pin: pin)
        #expect(answer.status == 422, "\(code)/\(field)")
        #expect(answer.problem?.kind == .invalidField)
        #expect(answer.problem?.field == field)
      }
      let wrongType = try await harness.client(as: .terminal).send(
        "POST", "/v1/sign-in", body: Array(#"{"code": 1001, "pin": 1234}"#.utf8))
      #expect(wrongType.status == 400)
      #expect(try await StaffFixtures.audit(harness, since: before).isEmpty)
      // Nothing was counted: the right PIN still signs in although the limits are 2 and 4.
      #expect(try await StaffFixtures.signIn(harness, code: "1001", pin: "1234").status == 200)
    }
  }

  @Test("sign-out ends the session; the same token is 401 afterwards", arguments: StoreEngine.allCases)
  func signOut(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let session = try await harness.signIn(ServerHarness.cashier)
      let client = harness.client(token: session.token)
      #expect(try await client.get("/v1/orders").status == 200)
      #expect(try await client.send("POST", "/v1/sign-out", body: nil).status == 204)
      for path in ["/v1/orders", "/v1/products"] {
        let after = try await client.get(path)
        #expect(after.status == 401)
        #expect(after.problem?.kind == .unauthorized)
      }
      #expect(try await client.send("POST", "/v1/sign-out", body: nil).status == 401)
      // Other sessions of the same person go on.
      #expect(try await harness.client(as: .cashier).get("/v1/orders").status == 200)
    }
  }

  @Test(
    "disabling a person or resetting their PIN ends every session of theirs", arguments: StoreEngine.allCases)
  func disableAndResetEndSessions(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let admin = harness.client(as: .admin)
      let reset = try await admin.post("/v1/staff/1001/pin", json: ResetPINRequest(pin: "8642"))
      #expect(try reset.decoded(StaffMember.self).enabled)
      #expect(try await harness.client(as: .cashier).get("/v1/orders").status == 401)
      #expect(try await StaffFixtures.signIn(harness, code: "1001", pin: "1234").status == 401)
      #expect(try await StaffFixtures.signIn(harness, code: "1001", pin: "8642").status == 200)

      let disabled = try await StaffFixtures.disable(harness, code: "1002")
      #expect(disabled.enabled == false)
      #expect(try await harness.client(as: .otherCashier).get("/v1/orders").status == 401)
      #expect(try await harness.client(as: .otherTerminal).get("/v1/orders").status == 401)
      let again = try await StaffFixtures.signIn(harness, code: "1002", pin: "2345")
      #expect(again.status == 401)
      #expect(again.problem?.kind == .signInFailed)
      #expect(try await harness.client(as: .manager).get("/v1/orders").status == 200)
    }
  }

  @Test("a session unused for longer than the idle time ends")
  func idleExpiry() async throws {
    try await withStaffServer(sessionIdle: .seconds(2)) { harness in
      let session = try await harness.signIn(ServerHarness.manager)
      let client = harness.client(token: session.token)
      #expect(try await client.get("/v1/orders").status == 200)
      try await Task.sleep(for: .seconds(3))
      #expect(try await client.get("/v1/orders").status == 401)
    }
  }

  @Test("only a terminal's own token signs in; the terminal's name comes from the configuration")
  func signInNeedsTheTerminalToken() async throws {
    try await withStaffServer { harness in
      for caller in [ServerHarness.Caller.cashier, .manager, .admin] {
        let answer = try await harness.client(as: caller).post(
          "/v1/sign-in", json: SignInRequest(code: "1001", pin: "1234"))
        #expect(answer.status == 403, "\(caller)")
        #expect(answer.problem?.kind == .forbidden)
      }
      let session = try await StaffFixtures.signIn(harness, code: "2001", pin: "4321")
        .decoded(SignInResponse.self)
      #expect(session.terminal == "till-1")
      #expect(session.staff.role == .manager)
    }
  }

  @Test("a person disabled while their PIN is checked is refused with a sign-in-failed row")
  func refusedAfterThePINCheckLeavesItsRow() async throws {
    try await withStaffServer { harness in
      // A slow hash (about a second of bcrypt) keeps the PIN check going while the person is disabled.
      let slowHash = await PINHasher(cost: 15).hash("5555")
      _ = try await harness.store.addStaff(
        code: "3001", name: "Slow", role: .cashier, pinHash: slowHash, by: .admin)
      let before = try await StaffFixtures.audit(harness)
      async let answer = StaffFixtures.signIn(harness, code: "3001", pin: "5555")
      try await Task.sleep(for: .milliseconds(500))
      _ = try await harness.store.disableStaff(code: "3001", by: .admin)
      let refused = try await answer
      #expect(refused.status == 401 && refused.problem?.kind == .signInFailed)
      let rows = try await StaffFixtures.audit(harness, since: before)
      #expect(rows.map(\.action).sorted() == ["sign-in-failed", "staff-disable"])
      let failed = try #require(rows.first { $0.action == "sign-in-failed" })
      #expect(failed.subject == "3001" && failed.staff == nil && failed.terminal == "till-1")
    }
  }
}
