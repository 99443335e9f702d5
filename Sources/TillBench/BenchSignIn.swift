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
      if answer.registerRequired, answer.register == nil {
        try await openRegister(till: till + 1, session: answer.token)
      }
    }
    return signed
  }

  /// Opens a till's register with an empty float, in the catalogue's currency, as the shop's first
  /// sign-in of the day would: orders need it.
  private func openRegister(till: Int, session: String) async throws {
    let connection = BenchConnection(baseURL: baseURL, token: session)
    let page = await connection.send("GET", "/v1/products?limit=1")
    let products = page.flatMap { try? JSONDecoder().decode(Page<Product>.self, from: Data($0.body)) }
    let currency = products?.items.first?.price.currency ?? "EUR"
    let body = try JSONEncoder().encode(
      OpenSessionRequest(openingFloat: Money(amount: 0, currency: currency)))
    let response = await connection.send(
      "POST", "/v1/register-sessions", body: String(decoding: body, as: UTF8.self))
    guard let response, response.status == 201 else {
      let status = response.map { "status \($0.status)" } ?? "no answer"
      throw BenchError("the register of till \(till) could not be opened (\(status))")
    }
  }
}
