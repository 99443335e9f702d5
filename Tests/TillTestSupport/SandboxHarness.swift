import Foundation
import Logging
import TillHTTP
import TillPaymentSandbox

/// A real sandbox card provider for tests: `PaymentSandbox` on 127.0.0.1 with an ephemeral port, its
/// ledger in a fresh temporary directory, and helpers that speak its API over TillHTTP.
///
/// ```swift
/// let sandbox = try await SandboxHarness.start()
/// try await sandbox.arm(Fault(mode: .dropAfterCharge))
/// // ... let the code under test pay at sandbox.baseURL with SandboxHarness.shopId / .secretKey ...
/// #expect(try await sandbox.payments().count == 1)
/// await sandbox.stop()
/// ```
public final class SandboxHarness: Sendable {
  public static let shopId = "test-shop-4711"
  public static let secretKey = "test-secret-key-sandbox-9f3a"

  public let sandbox: PaymentSandbox
  /// The temporary directory holding the ledger; removed by `stop()`.
  public let directory: URL
  public var databasePath: String { Self.databasePath(in: directory) }
  public var baseURL: String { sandbox.baseURL }

  /// `Authorization` header value with the right credentials.
  public static var authorization: String { basicAuthorization(user: shopId, password: secretKey) }

  private init(sandbox: PaymentSandbox, directory: URL) {
    self.sandbox = sandbox
    self.directory = directory
  }

  /// Starts a sandbox on a new temporary directory, or on `directory` to reopen an existing ledger.
  /// `logger` receives the sandbox's log (silent by default, so test output stays readable).
  public static func start(
    directory: URL? = nil,
    logger: Logger = Logger(label: "till.sandbox.test", factory: { _ in SwiftLogNoOpLogHandler() })
  ) async throws -> SandboxHarness {
    let directory = try directory ?? TemporaryDirectory.make("till-sandbox-test")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let sandbox = try await PaymentSandbox.start(
      databasePath: databasePath(in: directory), shopId: shopId, secretKey: secretKey, enableFaults: true,
      logger: logger)
    return SandboxHarness(sandbox: sandbox, directory: directory)
  }

  /// Stops the sandbox; removes its ledger too unless `keepingFiles` (to restart on it).
  public func stop(keepingFiles: Bool = false) async {
    await sandbox.stop()
    if !keepingFiles { try? FileManager.default.removeItem(at: directory) }
  }

  /// A new connection of its own (one per simulated shop terminal or back end).
  public func connection(requestTimeout: Duration = .seconds(10)) -> HTTPConnection {
    HTTPConnection(baseURL: baseURL, configuration: HTTPConfiguration(requestTimeout: requestTimeout))
  }

  /// A `POST /v3/payments` request with the right credentials unless `authorization` says otherwise.
  public static func paymentRequest(
    key: String?, body: [UInt8], authorization: String? = SandboxHarness.authorization
  ) -> HTTPRequest {
    var headers: [(name: String, value: String)] = [(name: "Content-Type", value: "application/json")]
    if let key { headers.append((name: "Idempotence-Key", value: key)) }
    if let authorization { headers.append((name: "Authorization", value: authorization)) }
    return HTTPRequest(method: "POST", path: "/v3/payments", headers: headers, body: body)
  }

  /// The JSON body a shop sends for an order; `value` is sent verbatim as the amount string.
  public static func paymentBody(
    value: String = "12.50", currency: String = "EUR", orderId: String = "order-1",
    description: String = "Order"
  ) -> [UInt8] {
    let body: [String: Any] = [
      "amount": ["value": value, "currency": currency], "capture": true, "description": description,
      "metadata": ["orderId": orderId],
    ]
    // JSONSerialization cannot fail on this literal of strings and a bool.
    return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
  }

  /// Sends `method path` with the right credentials on a fresh connection.
  public func send(_ method: String, _ path: String, json: [UInt8]? = nil) async throws -> HTTPResponse {
    var headers = [(name: "Authorization", value: Self.authorization)]
    if json != nil { headers.append((name: "Content-Type", value: "application/json")) }
    return try await connection().send(HTTPRequest(method: method, path: path, headers: headers, body: json))
  }

  /// Every charge the sandbox recorded, oldest first (`GET /v3/payments`).
  public func payments() async throws -> [PaymentObject] {
    try await send("GET", "/v3/payments").decoded(PaymentList.self).items
  }

  /// Every refund the sandbox recorded, oldest first (`GET /v3/refunds`).
  public func refunds() async throws -> [RefundObject] {
    try await send("GET", "/v3/refunds").decoded(RefundList.self).items
  }

  /// Arms `fault` for the next `fault.count` payment or refund requests (`POST /sandbox/faults`).
  public func arm(_ fault: Fault) async throws {
    let body = Array(try JSONEncoder().encode(fault))
    _ = try await send("POST", "/sandbox/faults", json: body).decoded(FaultList.self)
  }

  /// Clears every armed fault (`DELETE /sandbox/faults`).
  public func clearFaults() async throws {
    _ = try await send("DELETE", "/sandbox/faults").decoded(FaultList.self)
  }

  public static func basicAuthorization(user: String, password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
  }

  private static func databasePath(in directory: URL) -> String {
    directory.appendingPathComponent("sandbox.sqlite").path
  }
}
