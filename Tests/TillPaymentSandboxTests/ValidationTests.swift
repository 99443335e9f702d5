import Foundation
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

@Suite("Credentials and bad input")
struct ValidationTests {
  static let badAuthorizations: [String?] = [
    nil,
    SandboxHarness.basicAuthorization(user: SandboxHarness.shopId, password: "wrong"),
    SandboxHarness.basicAuthorization(user: "other-shop", password: SandboxHarness.secretKey),
    SandboxHarness.basicAuthorization(user: SandboxHarness.shopId, password: SandboxHarness.secretKey + "x"),
    SandboxHarness.basicAuthorization(user: "", password: ""),
    "Bearer " + SandboxHarness.secretKey,
    "Basic !!!not-base64!!!",
    "Basic",
  ]

  @Test("wrong or missing credentials are 401 invalid_credentials on every route, and charge nothing")
  func badCredentials() async throws {
    try await withSandbox { (sandbox) async throws in
      let routes = [
        ("POST", "/v3/payments"), ("GET", "/v3/payments"), ("GET", "/v3/payments/x"),
        ("GET", "/sandbox/faults"), ("POST", "/sandbox/faults"), ("DELETE", "/sandbox/faults"),
      ]
      for authorization in Self.badAuthorizations {
        for (method, path) in routes {
          var headers = [(name: "Idempotence-Key", value: "k")]
          if let authorization { headers.append((name: "Authorization", value: authorization)) }
          let body = method == "POST" ? Array(#"{"mode": "decline"}"#.utf8) : nil
          let response = try await sandbox.connection().send(
            HTTPRequest(method: method, path: path, headers: headers, body: body))
          let error = try response.error(expecting: 401)
          #expect(error.code == "invalid_credentials")
          #expect(response.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        }
      }
      #expect(try await sandbox.payments().isEmpty)
      #expect(try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self).items.isEmpty)
    }
  }

  @Test("a missing or empty Idempotence-Key is 400 naming the header")
  func missingKey() async throws {
    try await withSandbox { (sandbox) async throws in
      for key in [nil, ""] as [String?] {
        let error = try await pay(sandbox, key: key).error(expecting: 400)
        #expect(error.code == "invalid_request")
        #expect(error.parameter == "Idempotence-Key")
      }
      let tooLong = try await pay(sandbox, key: String(repeating: "k", count: 65)).error(expecting: 400)
      #expect(tooLong.parameter == "Idempotence-Key")
      #expect(try await sandbox.payments().isEmpty)
    }
  }

  @Test(
    "malformed amounts are 400 on amount.value and charge nothing",
    arguments: [
      "12.5.0", "-1", "abc", "1e3", "1E3", "", "0", "0.00", "1.234", " 1", "1 ", "+1", "1.", ".5", "1,50",
      "0x10", "１２", "1234567890123", "NaN", "Infinity",
    ])
  func badAmountValue(value: String) async throws {
    try await withSandbox { (sandbox) async throws in
      let response = try await pay(sandbox, key: "k", body: SandboxHarness.paymentBody(value: value))
      let error = try response.error(expecting: 400)
      #expect(error.code == "invalid_request")
      #expect(error.parameter == "amount.value")
      #expect(try await sandbox.payments().isEmpty)
      // The refused request did not claim the key: a good body with it still charges.
      #expect(try await pay(sandbox, key: "k").status == 200)
    }
  }

  @Test(
    "malformed bodies are 400 naming the parameter and charge nothing",
    arguments: [
      (#"{"amount": {"value": 12.5, "currency": "EUR"}}"#, "amount.value"),
      (#"{"amount": {"value": "12.50", "currency": "eur"}}"#, "amount.currency"),
      (#"{"amount": {"value": "12.50", "currency": "EURO"}}"#, "amount.currency"),
      (#"{"amount": {"value": "12.50"}}"#, "amount.currency"),
      (#"{"amount": {"currency": "EUR"}}"#, "amount.value"),
      (#"{"capture": true}"#, "amount"),
      (#"{"amount": "12.50"}"#, "amount"),
      (#"{"amount": {"value": "12.50", "currency": "EUR"}, "capture": false}"#, "capture"),
      (#"{"amount": {"value": "12.50", "currency": "EUR"}, "capture": "yes"}"#, "capture"),
      (#"{"amount": {"value": "12.50", "currency": "EUR"}, "metadata": {"orderId": 7}}"#, "metadata.orderId"),
      (#"{"amount": {"value": "12.50", "currency": "EUR"}, "metadata": []}"#, "metadata"),
      (#"{"amount": {"value": "12.50", "currency": "EUR"}, "description": 5}"#, "description"),
    ])
  func badBody(body: String, parameter: String) async throws {
    try await withSandbox { (sandbox) async throws in
      let error = try await pay(sandbox, key: "k", body: Array(body.utf8)).error(expecting: 400)
      #expect(error.code == "invalid_request")
      #expect(error.parameter == parameter)
      #expect(try await sandbox.payments().isEmpty)
    }
  }

  @Test("bodies that are not JSON objects, too long texts and huge bodies are refused")
  func unparsableAndOversizedBodies() async throws {
    try await withSandbox { (sandbox) async throws in
      for body in ["", "not json", "[]", "null", #"{"amount": "#] {
        #expect(
          try await pay(sandbox, key: "k", body: Array(body.utf8)).error(expecting: 400).code
            == "invalid_request")
      }
      let longDescription = SandboxHarness.paymentBody(description: String(repeating: "d", count: 129))
      #expect(
        try await pay(sandbox, key: "k", body: longDescription).error(expecting: 400).parameter
          == "description")
      let huge =
        Array(#"{"description": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 100_000)
        + Array(#""}"#.utf8)
      #expect(try await pay(sandbox, key: "k", body: huge).status == 413)
      #expect(try await sandbox.payments().isEmpty)
    }
  }

  @Test("unknown routes are 404 in the error shape")
  func unknownRoute() async throws {
    try await withSandbox { (sandbox) async throws in
      let response = try await sandbox.send("GET", "/v3/receipts")
      #expect(try response.error(expecting: 404).code == "not_found")
    }
  }
}
