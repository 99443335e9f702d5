import Foundation
import Logging
import Testing
import TillTestSupport

@testable import TillPaymentSandbox

@Suite("Request log")
struct LoggingTests {
  @Test("one line per request with method, path and status; never the secret or the Authorization header")
  func logsRequestsWithoutSecrets() async throws {
    let log = CapturedLog()
    let sandbox = try await SandboxHarness.start(logger: log.logger(label: "till.sandbox.capture"))
    do {
      _ = try await pay(sandbox, key: "k1")
      _ = try await pay(
        sandbox, key: "k2",
        authorization: SandboxHarness.basicAuthorization(user: SandboxHarness.shopId, password: "guess"))
      _ = try await pay(sandbox, key: nil)
      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      _ = try? await pay(sandbox, key: "k3")
      _ = try await sandbox.payments()
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()

    let lines = log.lines
    let requestLines = lines.filter { $0.contains(" /v3/payments ") || $0.contains(" /sandbox/faults ") }
    #expect(requestLines.filter { $0.contains("POST /v3/payments 200 ") }.count == 1)
    #expect(requestLines.filter { $0.contains("POST /v3/payments 401 ") }.count == 1)
    #expect(requestLines.filter { $0.contains("POST /v3/payments 400 ") }.count == 1)
    #expect(requestLines.filter { $0.contains("POST /v3/payments dropped ") }.count == 1)
    #expect(requestLines.filter { $0.contains("POST /sandbox/faults 200 ") }.count == 1)
    #expect(requestLines.filter { $0.contains("GET /v3/payments 200 ") }.count == 1)
    #expect(requestLines.count == 6)
    #expect(requestLines.allSatisfy { $0.contains(#/^info (GET|POST) /\S* (\d{3}|dropped) \d+(\.\d+)?ms /#) })
    let secrets = [
      SandboxHarness.secretKey, "guess", SandboxHarness.authorization,
      String(SandboxHarness.authorization.dropFirst("Basic ".count)), "Authorization", "authorization",
    ]
    for secret in secrets {
      #expect(!lines.contains { $0.contains(secret) }, "a log line contains \(secret)")
    }
  }
}
