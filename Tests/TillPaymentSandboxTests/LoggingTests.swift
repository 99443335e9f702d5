import Foundation
import Logging
import Synchronization
import Testing
import TillTestSupport

@testable import TillPaymentSandbox

/// A log sink that keeps every line (message and metadata) in memory.
final class CapturedLog: Sendable {
  private let lines = Mutex<[String]>([])

  var all: [String] { lines.withLock { $0 } }

  func append(_ line: String) { lines.withLock { $0.append(line) } }

  var logger: Logger {
    var logger = Logger(label: "till.sandbox.capture", factory: { _ in Handler(sink: self) })
    logger.logLevel = .trace
    return logger
  }

  struct Handler: LogHandler {
    let sink: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      let merged = metadata.merging(event.metadata ?? [:]) { $1 }
      sink.append("\(event.level) \(event.message) \(merged)")
    }
  }
}

@Suite("Request log")
struct LoggingTests {
  @Test("one line per request with method, path and status; never the secret or the Authorization header")
  func logsRequestsWithoutSecrets() async throws {
    let log = CapturedLog()
    let sandbox = try await SandboxHarness.start(logger: log.logger)
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

    let lines = log.all
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
