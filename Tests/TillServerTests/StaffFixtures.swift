import Foundation
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// Helpers for the staff tests: sign-in calls, people added through the admin routes, the audit trail.
enum StaffFixtures {
  static let products = [Fixtures.product("TEA", stock: 100), Fixtures.product("BUN", stock: 100)]

  /// `POST /v1/sign-in` with `terminalToken` (till-1's unless told), answered as it came.
  static func signIn(
    _ harness: ServerHarness, code: String, pin: String, terminalToken: String = ServerHarness.staffToken
  ) async throws -> HTTPResponse {
    try await harness.client(token: terminalToken).post(
      "/v1/sign-in", json: SignInRequest(code: code, pin: pin))
  }

  /// Adds a person through `POST /v1/staff` as the admin.
  static func addStaff(
    _ harness: ServerHarness, code: String, role: StaffRole = .cashier, pin: String
  ) async throws -> StaffMember {
    try await harness.client(as: .admin).post(
      "/v1/staff", json: NewStaffRequest(code: code, name: "Person \(code)", role: role, pin: pin)
    ).decoded(StaffMember.self, expecting: 201)
  }

  /// Disables a person through `POST /v1/staff/{code}/disable` as the admin.
  static func disable(_ harness: ServerHarness, code: String) async throws -> StaffMember {
    try await harness.client(as: .admin).send("POST", "/v1/staff/\(code)/disable", body: nil)
      .decoded(StaffMember.self)
  }

  /// The whole audit trail, newest first, straight from the store.
  static func audit(_ harness: ServerHarness) async throws -> [AuditEntry] {
    try await harness.store.audit(limit: 500, after: nil).items
  }

  /// The entries added since `before` (a previous `audit(_:)`), newest first.
  static func audit(_ harness: ServerHarness, since before: [AuditEntry]) async throws -> [AuditEntry] {
    let known = Set(before.map(\.id))
    return try await audit(harness).filter { !known.contains($0.id) }
  }
}

/// Runs `body` against a fresh server with the staff tests' products, `attemptPolicy` and
/// `sessionIdle`, and always stops it.
func withStaffServer<Result>(
  _ engine: StoreEngine = .sqlite, attemptPolicy: AttemptPolicy = .init(),
  sessionIdle: Duration = .seconds(12 * 3600), _ body: (ServerHarness) async throws -> Result
) async throws -> Result {
  try await withServer(
    engine, products: StaffFixtures.products, attemptPolicy: attemptPolicy, sessionIdle: sessionIdle, body)
}

extension APITestClient {
  /// `POST /v1/orders/{id}/cancel` with `body` (raw JSON) or none.
  func cancel(_ orderId: String, body: String?) async throws -> HTTPResponse {
    try await send("POST", "/v1/orders/\(orderId)/cancel", body: body.map { Array($0.utf8) })
  }

  /// `POST /v1/orders/{id}/cancel` with a manager's approval.
  func cancel(_ orderId: String, approvedBy code: String, pin: String) async throws -> HTTPResponse {
    try await post(
      "/v1/orders/\(orderId)/cancel", json: CancelRequest(approval: Approval(code: code, pin: pin)))
  }
}
