import Foundation
import Synchronization
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `till-payments-sandbox` process, with its standard error collected as it arrives.
final class SandboxProcess: Sendable {
  let process: Process
  private let output = OutputBuffer()

  var log: String { output.text }

  /// The built executable, next to this test bundle (SwiftPM builds executables for `swift test`).
  static var executable: URL? {
    let candidates = [
      Bundle.main.executableURL?.deletingLastPathComponent(),
      Bundle.main.bundleURL.deletingLastPathComponent(),
    ]
    return candidates.compactMap { $0?.appendingPathComponent("till-payments-sandbox") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  init(executable: URL, database: String) throws {
    process = Process()
    process.executableURL = executable
    process.arguments = [
      "--listen", "127.0.0.1:0", "--database", database, "--shop-id", SandboxHarness.shopId,
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["TILL_SANDBOX_SECRET_KEY"] = SandboxHarness.secretKey
    process.environment = environment
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = FileHandle.nullDevice
    pipe.fileHandleForReading.readabilityHandler = { [output] handle in
      output.append(String(decoding: handle.availableData, as: UTF8.self))
    }
    try process.run()
  }

  /// The port from the "listening on 127.0.0.1:PORT" line, waiting up to `timeout` for it.
  func port(within timeout: Duration = .seconds(15)) async throws -> Int? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline && process.isRunning {
      if let match = log.firstMatch(of: #/listening on 127\.0\.0\.1:(\d+)/#), let port = Int(match.1) {
        return port
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }

  /// Sends `signal` and waits up to `timeout` for the process to exit; its exit status, or nil.
  func stop(with signal: Int32, within timeout: Duration = .seconds(15)) async throws -> Int32? {
    kill(process.processIdentifier, signal)
    let deadline = ContinuousClock.now + timeout
    while process.isRunning && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    guard !process.isRunning else {
      kill(process.processIdentifier, SIGKILL)
      return nil
    }
    return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
  }
}

/// Text that arrives from another thread (a pipe's readability handler).
final class OutputBuffer: Sendable {
  private let storage = Mutex("")

  var text: String { storage.withLock { $0 } }

  func append(_ chunk: String) { storage.withLock { $0 += chunk } }
}

@Suite("till-payments-sandbox executable")
struct ExecutableTests {
  @Test("serves over HTTP, keeps the ledger across SIGTERM and SIGINT restarts, never logs the secret")
  func executableServesAndStopsGracefully() async throws {
    let executable = try #require(SandboxProcess.executable, "till-payments-sandbox is not built")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-sandbox-exe-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
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
