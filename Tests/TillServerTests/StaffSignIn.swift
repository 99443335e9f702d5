import Foundation
import TillCore
import TillServer
import TillTestSupport

/// Signing in over HTTP, for tests that drive a back end they started: carts, orders and payments need a
/// staff session, which a person opens with a terminal's token and their code and PIN.
enum StaffSignIn {
  /// `till-server` flags that seed the demo cashier and manager, hashed at the least bcrypt cost.
  static let demoStaffArguments = ["--demo-staff", "--pin-cost", "4"]

  /// Signs `person` in on the terminal of `terminalToken`: the sign-in answer, or a thrown
  /// `UnexpectedResponse` quoting what the server said instead.
  static func signIn(
    baseURL: String, terminalToken: String, as person: DemoStaff.Person = DemoStaff.cashier
  ) async throws -> SignInResponse {
    let client = APITestClient(baseURL: baseURL, token: terminalToken)
    return try await client.post("/v1/sign-in", json: SignInRequest(code: person.code, pin: person.pin))
      .decoded(SignInResponse.self)
  }

  /// A session token for each terminal token, keyed by the terminal token. The sign-ins go one after
  /// another: sign-ins of one code at once count together toward its lock-out.
  static func sessions(
    baseURL: String, terminalTokens: [String], as person: DemoStaff.Person = DemoStaff.cashier
  ) async throws -> [String: String] {
    var sessions: [String: String] = [:]
    for token in terminalTokens where sessions[token] == nil {
      sessions[token] = try await signIn(baseURL: baseURL, terminalToken: token, as: person).token
    }
    return sessions
  }

  /// A client that sells as `person` on the terminal of `terminalToken`.
  static func client(
    baseURL: String, terminalToken: String, as person: DemoStaff.Person = DemoStaff.cashier
  ) async throws -> APITestClient {
    let session = try await signIn(baseURL: baseURL, terminalToken: terminalToken, as: person)
    return APITestClient(baseURL: baseURL, token: session.token)
  }
}
