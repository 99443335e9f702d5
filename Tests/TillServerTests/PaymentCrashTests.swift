import Foundation
import Synchronization
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The `till-payments-sandbox` executable as a child process, its standard error in a file.
final class SandboxChild: Sendable {
  let child: ChildProcess

  var log: String { child.standardError }

  init(database: String) throws {
    let executable = try #require(
      ChildProcess.builtExecutable(named: "till-payments-sandbox"),
      "till-payments-sandbox is not built next to the tests")
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

  func port(within timeout: Duration = .seconds(20)) async throws -> Int? {
    try await child.listeningPort(within: timeout)
  }

  /// SIGKILL and reap: its in-flight delayed answer would otherwise hold a graceful stop.
  func kill() async throws { child.terminate() }
}

@Suite("Crash recovery with the real executables")
struct PaymentCrashTests {
  static let staffToken = "crash-test-staff-token-6f1e0a"

  static func serverArguments(database: String, sandboxPort: Int) -> [String] {
    [
      "--listen", "127.0.0.1:0", "--database", database, "--staff-token", staffToken,
      "--payment-provider", "http://127.0.0.1:\(sandboxPort)", "--payment-shop-id", SandboxHarness.shopId,
    ] + StaffSignIn.demoStaffArguments
  }

  @Test(
    "till-server killed after the sandbox charged and before it answered → restart settles it, one charge",
    arguments: StoreEngine.allCases)
  func killedMidPayment(engine: StoreEngine) async throws {
    let directory = try TemporaryDirectory.make("till-crash")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let secret = ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey]

    let sandbox = try SandboxChild(database: directory.appendingPathComponent("sandbox.sqlite").path)
    let sandboxPort = try #require(try await sandbox.port(), "no listening line in: \(sandbox.log)")
    let sandboxAPI = SandboxAPI(baseURL: "http://127.0.0.1:\(sandboxPort)")

    let first = try ServerProcess(
      arguments: Self.serverArguments(database: database, sandboxPort: sandboxPort), environment: secret)
    let firstPort = try #require(try await first.port(), "no listening line in: \(first.log)")
    let session = try await StaffSignIn.signIn(
      baseURL: "http://127.0.0.1:\(firstPort)", terminalToken: Self.staffToken)
    let firstClient = APITestClient(baseURL: "http://127.0.0.1:\(firstPort)", token: session.token)
    let product = try #require(
      try await firstClient.get("/v1/products?limit=50").decoded(Page<Product>.self).items.first {
        $0.stock > 0
      })
    let order = try await firstClient.placedOrder([(product.sku, 1)])

    // The sandbox charges, commits, then sits on its answer for 30 s: the window to kill the back end in.
    try await sandboxAPI.arm(Fault(mode: .delayAfterCharge, delayMs: 30_000))
    let payer = Task { try? await firstClient.pay(order.id, .card) }
    try await eventually(within: .seconds(15), "the sandbox never charged") {
      try await !sandboxAPI.charges().isEmpty
    }
    #expect(try await sandboxAPI.charges().count == 1, "one charge")
    first.signal(SIGKILL)
    #expect(try await first.exitStatus() != nil)
    let unanswered = await payer.value
    #expect(unanswered == nil, "the back end answered before it was killed")

    let second = try ServerProcess(
      arguments: Self.serverArguments(database: database, sandboxPort: sandboxPort), environment: secret)
    let secondPort = try #require(try await second.port(), "no listening line in: \(second.log)")
    // The session is in the database: the restarted back end knows it.
    let client = APITestClient(baseURL: "http://127.0.0.1:\(secondPort)", token: session.token)
    let recovered = try await eventuallyValue(
      within: .seconds(15), every: .milliseconds(50), "the restarted back end never settled the payment"
    ) {
      let order = try await client.order(order.id)
      return order.status == .paid ? order : nil
    }
    #expect(recovered?.payment?.status == .succeeded && recovered?.payment?.attempt == 1)
    #expect(recovered?.payment?.idempotenceKey == "order-\(order.id)-payment-1")
    let ledger = try await sandboxAPI.charges()
    #expect(ledger.count == 1 && ledger.first?.status == "succeeded")
    #expect(ledger.first?.metadata["orderId"] == order.id)

    second.signal(SIGTERM)
    #expect(try await second.exitStatus() == 0)
    try await sandbox.kill()
    for log in [first.log, second.log] {
      #expect(!log.contains(SandboxHarness.secretKey) && !log.contains(session.token))
      #expect(!log.contains(String(SandboxHarness.authorization.dropFirst("Basic ".count))))
    }
    #expect(second.log.contains("payment recovery pass"))
  }
}
