import Foundation
import Synchronization
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `till-payments-sandbox` process, its standard error in a file (see `ChildProcess`).
final class SandboxProcess: Sendable {
  let child: ChildProcess

  var log: String { child.standardError }

  /// The built executable, next to this test bundle (SwiftPM builds executables for `swift test`).
  static var executable: URL? {
    ChildProcess.builtExecutable(named: "till-payments-sandbox")
  }

  init(executable: URL, database: String) throws {
    var environment = ProcessInfo.processInfo.environment
    environment["TILL_SANDBOX_SECRET_KEY"] = SandboxHarness.secretKey
    child = try ChildProcess(
      executable: executable.path,
      arguments: [
        "--listen", "127.0.0.1:0", "--database", database, "--shop-id", SandboxHarness.shopId,
        "--enable-faults",
      ],
      environment: environment)
  }

  func port(within timeout: Duration = .seconds(15)) async throws -> Int? {
    try await child.listeningPort(within: timeout)
  }

  /// Sends `signal` and waits up to `timeout` for the process to exit; its exit status (128 + signal
  /// if a signal ended it), or nil after SIGKILLing it when it did not exit in time.
  func stop(with signal: Int32, within timeout: Duration = .seconds(15)) async throws -> Int32? {
    child.signal(signal)
    guard let status = await child.waitForExit(timeout: timeout) else {
      child.terminate()
      return nil
    }
    return status
  }
}

@Suite("till-payments-sandbox executable")
struct ExecutableTests {
  @Test("serves over HTTP, keeps the ledger across SIGTERM and SIGINT restarts, never logs the secret")
  func executableServesAndStopsGracefully() async throws {
    let executable = try #require(SandboxProcess.executable, "till-payments-sandbox is not built")
    let directory = try TemporaryDirectory.make("till-sandbox-exe")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("ledger.sqlite").path
    let request = SandboxHarness.paymentRequest(key: "order-1-payment-1", body: SandboxHarness.paymentBody())

    let first = try SandboxProcess(executable: executable, database: database)
    let firstPort = try #require(try await first.port(), "no listening line in: \(first.log)")
    let payment = try await HTTPConnection(baseURL: "http://127.0.0.1:\(firstPort)").send(request)
      .decoded(PaymentObject.self)
    #expect(try await first.stop(with: SIGTERM) == 0)

    let second = try SandboxProcess(executable: executable, database: database)
    let secondPort = try #require(try await second.port(), "no listening line in: \(second.log)")
    let connection = HTTPConnection(baseURL: "http://127.0.0.1:\(secondPort)")
    #expect(try await connection.send(request).decoded(PaymentObject.self) == payment)
    #expect(try await second.stop(with: SIGINT) == 0)

    for log in [first.log, second.log] {
      #expect(log.contains("POST /v3/payments 200 "))
      #expect(!log.contains(SandboxHarness.secretKey))
      #expect(!log.contains(String(SandboxHarness.authorization.dropFirst("Basic ".count))))
    }
  }
}
