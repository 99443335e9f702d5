import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// The admin's staff routes: adding, listing, disabling, resetting a PIN, and every bad input refused
/// with a problem that names the field, changing nothing.
@Suite("Staff routes", .serialized)
struct StaffRouteTests {
  @Test("add, list, disable and reset a PIN", arguments: StoreEngine.allCases)
  func lifecycle(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let admin = harness.client(as: .admin)
      let added = try await admin.post(
        "/v1/staff", json: NewStaffRequest(code: "3001", name: "Ana Lima", role: .manager, pin: "13572468"))
      #expect(
        try added.decoded(StaffMember.self, expecting: 201)
          == StaffMember(
            code: "3001", name: "Ana Lima", role: .manager, enabled: true))
      #expect(!added.text.contains("pin") && !added.text.contains("$2"))
      let list = try await admin.get("/v1/staff").decoded(Page<StaffMember>.self)
      #expect(list.items.map(\.code) == ["1001", "1002", "2001", "3001"])
      #expect(list.next == nil)
      #expect(try await admin.get("/v1/staff").text.contains(#""next":null"#))
      #expect(try await StaffFixtures.signIn(harness, code: "3001", pin: "13572468").status == 200)

      let reset = try await admin.post("/v1/staff/3001/pin", json: ResetPINRequest(pin: "8642"))
      #expect(try reset.decoded(StaffMember.self).code == "3001")
      #expect(try await StaffFixtures.signIn(harness, code: "3001", pin: "8642").status == 200)
      let disabled = try await admin.send("POST", "/v1/staff/3001/disable", body: nil)
      #expect(try disabled.decoded(StaffMember.self).enabled == false)
      let listed = try await admin.get("/v1/staff").decoded(Page<StaffMember>.self).items
      #expect(listed.first { $0.code == "3001" }?.enabled == false)
    }
  }

  @Test("bad input is refused naming the field; nothing is added or changed", arguments: StoreEngine.allCases)
  func badInput(engine: StoreEngine) async throws {
    try await withStaffServer(engine) { harness in
      let admin = harness.client(as: .admin)
      let staffBefore = try await harness.store.staff()
      let auditBefore = try await StaffFixtures.audit(harness)
      let cases: [(String, Int, String?)] = [
        (#"{"code": "12a", "name": "X", "role": "cashier", "pin": "1234"}"#, 422, "code"),
        (#"{"code": "", "name": "X", "role": "cashier", "pin": "1234"}"#, 422, "code"),
        (#"{"code": "1234567890123", "name": "X", "role": "cashier", "pin": "1234"}"#, 422, "code"),
        (#"{"code": "3002", "name": "", "role": "cashier", "pin": "1234"}"#, 422, "name"),
        (
          #"{"code": "3002", "name": "\#(String(repeating: "n", count: 61))", "role": "cashier", "pin": "1234"}"#,
          422, "name"
        ),
        (#"{"code": "3002", "name": "Tab\there", "role": "cashier", "pin": "1234"}"#, 422, "name"),
        (#"{"code": "3002", "name": "X", "role": "boss", "pin": "1234"}"#, 422, "role"),
        (#"{"code": "3002", "name": "X", "role": "cashier", "pin": "123"}"#, 422, "pin"),
        (#"{"code": "3002", "name": "X", "role": "cashier", "pin": "123456789"}"#, 422, "pin"),
        (#"{"code": "3002", "name": "X", "role": "cashier"}"#, 400, "pin"),
        (#"{"code": 3002, "name": "X", "role": "cashier", "pin": "1234"}"#, 400, "code"),
        (#"{"code": "1001", "name": "Taken", "role": "cashier", "pin": "1234"}"#, 409, "code"),
      ]
      for (body, status, field) in cases {
        let answer = try await admin.send("POST", "/v1/staff", body: Array(body.utf8))
        #expect(answer.status == status, "\(body): \(answer.text)")
        #expect(answer.header("Content-Type") == Problem.mediaType)
        #expect(answer.problem?.field == field, "\(body)")
      }
      let badPIN = try await admin.post("/v1/staff/1001/pin", json: ResetPINRequest(pin: "12"))
      #expect(badPIN.status == 422 && badPIN.problem?.field == "pin")
      for path in ["/v1/staff/9999/disable", "/v1/staff/12a/disable", "/v1/staff/9999/pin"] {
        let answer = try await admin.send(
          "POST", path, body: path.hasSuffix("pin") ? Array(#"{"pin": "1234"}"#.utf8) : nil)
        #expect(answer.status == 404, "\(path): \(answer.text)")
        #expect(answer.problem?.kind == .notFound)
      }
      #expect(try await harness.store.staff() == staffBefore)
      #expect(try await StaffFixtures.audit(harness) == auditBefore)
      #expect(try await StaffFixtures.signIn(harness, code: "1001", pin: "1234").status == 200)
    }
  }
}
