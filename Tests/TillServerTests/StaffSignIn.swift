import Foundation
import TillCore
import TillServer
import TillTestSupport

/// Signing in over HTTP, for tests that drive a back end they started: carts, orders and payments need a
/// staff session, which a person opens with a terminal's token and their code and PIN.
enum StaffSignIn {
  /// `till-server` flags that seed the demo cashier and manager, hashed at the least bcrypt cost.
  static let demoStaffArguments = ["--demo-staff", "--pin-cost", "4"]

  /// The float a register opened here starts with, in cents.
  static let openingFloat = 100_00

  /// Signs `person` in on the terminal of `terminalToken`: the sign-in answer, or a thrown
  /// `UnexpectedResponse` quoting what the server said instead. When the back end sells only with the
  /// register open (its default) and the terminal's is closed, `opensRegister` opens it, as the day's
  /// first sign-in at a counter does.
  static func signIn(
    baseURL: String, terminalToken: String, as person: DemoStaff.Person = DemoStaff.cashier,
    opensRegister: Bool = true
  ) async throws -> SignInResponse {
    let client = APITestClient(baseURL: baseURL, token: terminalToken)
    let answer = try await client.post("/v1/sign-in", json: SignInRequest(code: person.code, pin: person.pin))
      .decoded(SignInResponse.self)
    if opensRegister, answer.registerRequired, answer.register == nil {
      try await openRegister(baseURL: baseURL, session: answer.token)
    }
    return answer
  }

  /// Opens the register of the session's terminal with `openingFloat` (EUR, the tests' currency); one
  /// opened at the same moment by another sign-in on that terminal is as good.
  static func openRegister(baseURL: String, session: String) async throws {
    let float = Money(amount: openingFloat, currency: "EUR")
    let response = try await APITestClient(baseURL: baseURL, token: session)
      .post("/v1/register-sessions", json: OpenSessionRequest(openingFloat: float))
    guard response.status == 409, response.problem?.kind == .sessionAlreadyOpen else {
      _ = try response.decoded(RegisterSession.self, expecting: 201)
      return
    }
  }

  /// A session token for each terminal token, keyed by the terminal token. The sign-ins go one after
  /// another: sign-ins of one code at once count together toward its lock-out.
  static func sessions(
    baseURL: String, terminalTokens: [String], as person: DemoStaff.Person = DemoStaff.cashier,
    opensRegisters: Bool = true
  ) async throws -> [String: String] {
    var sessions: [String: String] = [:]
    for token in terminalTokens where sessions[token] == nil {
      sessions[token] =
        try await signIn(baseURL: baseURL, terminalToken: token, as: person, opensRegister: opensRegisters)
        .token
    }
    return sessions
  }

  /// A client that sells as `person` on the terminal of `terminalToken`.
  static func client(
    baseURL: String, terminalToken: String, as person: DemoStaff.Person = DemoStaff.cashier,
    opensRegister: Bool = true
  ) async throws -> APITestClient {
    let session = try await signIn(
      baseURL: baseURL, terminalToken: terminalToken, as: person, opensRegister: opensRegister)
    return APITestClient(baseURL: baseURL, token: session.token)
  }
}
