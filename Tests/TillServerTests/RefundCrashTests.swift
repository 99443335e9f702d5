import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillServer
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A card refund whose back end dies between the provider's refund and our record: the restarted back end
/// settles it with the same key, so the provider refunded once and the refund is recorded once.
@Suite("Refund crash recovery with the real executables")
struct RefundCrashTests {
  @Test(
    "till-server killed after the sandbox refunded and before it answered → restart settles it, one refund",
    arguments: StoreEngine.allCases)
  func killedMidRefund(engine: StoreEngine) async throws {
    let directory = try TemporaryDirectory.make("till-refund-crash")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let secret = ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey]
    let sandbox = try SandboxChild(database: directory.appendingPathComponent("sandbox.sqlite").path)
    let sandboxPort = try #require(try await sandbox.port(), "no listening line in: \(sandbox.log)")
    let sandboxAPI = SandboxAPI(baseURL: "http://127.0.0.1:\(sandboxPort)")
    let arguments = PaymentCrashTests.serverArguments(database: database, sandboxPort: sandboxPort)

    let first = try ServerProcess(arguments: arguments, environment: secret)
    let firstPort = try #require(try await first.port(), "no listening line in: \(first.log)")
    let session = try await StaffSignIn.signIn(
      baseURL: "http://127.0.0.1:\(firstPort)", terminalToken: PaymentCrashTests.staffToken)
    let firstClient = APITestClient(baseURL: "http://127.0.0.1:\(firstPort)", token: session.token)
    let product = try #require(
      try await firstClient.get("/v1/products?limit=50").decoded(Page<Product>.self).items.first {
        $0.stock > 1
      })
    let order = try await firstClient.placedOrder([(product.sku, 2)])
    _ = try await firstClient.pay(order.id, .card).decoded(Payment.self, expecting: 201)
    let soldStock = try await firstClient.get("/v1/products/\(product.sku)").decoded(Product.self).stock

    // The sandbox refunds, commits, then sits on its answer for 30 s: the window to kill the back end in.
    try await sandboxAPI.arm(Fault(mode: .delayAfterCharge, delayMs: 30_000))
    let approval = Approval(code: DemoStaff.manager.code, pin: DemoStaff.manager.pin)
    let request = RefundRequest(
      lines: [.init(sku: product.sku, quantity: 1, restock: true)], method: .card, approval: approval)
    let refunder = Task {
      try? await firstClient.post(
        "/v1/orders/\(order.id)/refunds", json: request, headers: [(name: "Idempotency-Key", value: "crash")])
    }
    try await eventually(within: .seconds(15), "the sandbox never refunded") {
      try await !sandboxAPI.refunds().isEmpty
    }
    first.signal(SIGKILL)
    #expect(try await first.exitStatus() != nil)
    let unanswered = await refunder.value
    #expect(unanswered == nil, "the back end answered before it was killed")

    let second = try ServerProcess(arguments: arguments, environment: secret)
    let secondPort = try #require(try await second.port(), "no listening line in: \(second.log)")
    let client = APITestClient(baseURL: "http://127.0.0.1:\(secondPort)", token: session.token)
    let settled = try await eventuallyValue(
      within: .seconds(15), every: .milliseconds(50), "the restarted back end never settled the refund"
    ) {
      let listed = try await client.get("/v1/orders/\(order.id)/refunds").decoded(ListOf<Refund>.self).items
      return listed.first?.status == .succeeded ? listed : nil
    }
    #expect(settled?.count == 1 && settled?.first?.idempotenceKey == "order-\(order.id)-refund-1")
    #expect(settled?.first?.receiptNumber != nil)
    let ledger = try await sandboxAPI.refunds()
    #expect(ledger.count == 1 && ledger.first?.status == "succeeded", "one provider refund: \(ledger)")
    let stock = try await client.get("/v1/products/\(product.sku)").decoded(Product.self).stock
    #expect(stock == soldStock + 1, "restocked once, in the refund's own transaction")
    // The same key again answers the recorded refund; the provider is not asked again.
    let again = try await client.post(
      "/v1/orders/\(order.id)/refunds", json: request, headers: [(name: "Idempotency-Key", value: "crash")])
    #expect(again.status == 200, "\(again.text)")
    #expect(try await sandboxAPI.refunds().count == 1)

    second.signal(SIGTERM)
    #expect(try await second.exitStatus() == 0)
    try await sandbox.kill()
    #expect(second.log.contains("refund recovery pass"))
    for log in [first.log, second.log] {
      #expect(!log.contains(SandboxHarness.secretKey) && !log.contains(session.token))
    }
  }
}
