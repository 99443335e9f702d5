import Foundation
import TillCore

/// The person the bench's tills sign in as: carts, orders and payments need a staff session, and one
/// cashier may be signed in on every till at once.
struct BenchCashier: Sendable, Equatable, CustomStringConvertible {
  var code: String
  var pin: String

  /// The cashier a back end started here is given: a fixed code, a PIN new to each run.
  static func local() -> BenchCashier {
    BenchCashier(code: "9001", pin: String(Int.random(in: 100_000...999_999)))
  }

  var description: String { "BenchCashier(\(code), pin: <redacted>)" }
}

extension BackEnd {
  /// The back end with a staff session on every till: the cashier signs in with each till's token, one
  /// till after another (sign-ins of one code at once count together toward its lock-out).
  func signedIn() async throws -> BackEnd {
    guard !cashier.pin.isEmpty else { throw BenchError("the cashier's PIN is missing: set TILL_STAFF_PIN") }
    var signed = self
    signed.sessionTokens = []
    let body = try JSONEncoder().encode(SignInRequest(code: cashier.code, pin: cashier.pin))
    for (till, token) in staffTokens.enumerated() {
      let connection = BenchConnection(baseURL: baseURL, token: token)
      let response = await connection.send("POST", "/v1/sign-in", body: String(decoding: body, as: UTF8.self))
      guard let response, response.status == 200,
        let answer = try? JSONDecoder().decode(SignInResponse.self, from: Data(response.body))
      else {
        let status = response.map { "status \($0.status)" } ?? "no answer"
        throw BenchError(
          "the bench cashier \(cashier.code) could not sign in on till \(till + 1) (\(status))")
      }
      signed.sessionTokens.append(answer.token)
    }
    return signed
  }
}
