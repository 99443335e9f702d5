import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// Drives the staff routes (sign-in, sign-out, staff, audit) and approvals through their documented
/// answers, for the description to validate.
struct StaffScenario {
  let harness: ServerHarness

  func run(recording recorder: inout ExchangeRecorder) async throws {
    let terminal = harness.client(as: .terminal)
    let cashier = harness.client()
    let other = harness.client(as: .otherCashier)
    let manager = harness.client(as: .manager)
    let admin = harness.client(as: .admin)
    func signIn(_ client: APITestClient, _ code: String, _ pin: String) async throws -> HTTPResponse {
      try await client.post("/v1/sign-in", json: SignInRequest(code: code, pin: pin))
    }

    let signInPath = "/v1/sign-in"
    let session = try await signIn(terminal, "1002", "2345")
    try await recorder.record("POST", signInPath, session, expecting: 200)
    try await recorder.record("POST", signInPath, try await signIn(terminal, "1002", "9999"), expecting: 401)
    try await recorder.record("POST", signInPath, try await signIn(terminal, "10a2", "9999"), expecting: 422)
    try await recorder.record("POST", signInPath, try await signIn(cashier, "1002", "2345"), expecting: 403)
    for _ in 0..<4 { _ = try await signIn(terminal, "1002", "9999") }
    try await recorder.record("POST", signInPath, try await signIn(terminal, "1002", "2345"), expecting: 429)

    let token = try session.decoded(SignInResponse.self).token
    let signOut = "/v1/sign-out"
    try await recorder.record(
      "POST", signOut, try await harness.client(token: token).send("POST", signOut, body: nil), expecting: 204
    )
    try await recorder.record(
      "POST", signOut, try await terminal.send("POST", signOut, body: nil), expecting: 403)

    let staff = "/v1/staff"
    let ana = NewStaffRequest(code: "3001", name: "Ana", role: .manager, pin: "135790")
    try await recorder.record("POST", staff, try await admin.post(staff, json: ana), expecting: 201)
    try await recorder.record("POST", staff, try await admin.post(staff, json: ana), expecting: 409)
    var badRole = ana
    badRole.code = "3002"
    badRole.pin = "12"
    try await recorder.record("POST", staff, try await admin.post(staff, json: badRole), expecting: 422)
    try await recorder.record("POST", staff, try await manager.post(staff, json: ana), expecting: 403)
    try await recorder.record("GET", staff, try await admin.get(staff), expecting: 200)
    try await recorder.record("GET", staff, try await cashier.get(staff), expecting: 403)
    let pin = "/v1/staff/{code}/pin"
    try await recorder.record(
      "POST", pin, try await admin.post("/v1/staff/3001/pin", json: ResetPINRequest(pin: "2468")),
      expecting: 200)
    try await recorder.record(
      "POST", pin, try await admin.post("/v1/staff/3001/pin", json: ResetPINRequest(pin: "24")),
      expecting: 422)
    let disable = "/v1/staff/{code}/disable"
    try await recorder.record(
      "POST", disable, try await admin.send("POST", "/v1/staff/3001/disable", body: nil), expecting: 200)
    try await recorder.record(
      "POST", disable, try await admin.send("POST", "/v1/staff/9999/disable", body: nil), expecting: 404)

    let cancel = "/v1/orders/{id}/cancel"
    let order = try await cashier.placedOrder([("TEA", 1)])
    try await recorder.record("POST", cancel, try await other.cancel(order.id, body: nil), expecting: 403)
    try await recorder.record(
      "POST", cancel, try await other.cancel(order.id, approvedBy: "2001", pin: "1111"), expecting: 403)
    try await recorder.record(
      "POST", cancel, try await other.cancel(order.id, approvedBy: "2001", pin: "1"), expecting: 422)
    try await recorder.record(
      "POST", cancel, try await other.cancel(order.id, approvedBy: "2001", pin: "4321"), expecting: 200)

    let audit = "/v1/audit"
    try await recorder.record("GET", audit, try await manager.get("/v1/audit?limit=3"), expecting: 200)
    try await recorder.record("GET", audit, try await cashier.get(audit), expecting: 403)
    try await recorder.record("GET", audit, try await admin.get("/v1/audit?limit=0"), expecting: 422)
  }
}
