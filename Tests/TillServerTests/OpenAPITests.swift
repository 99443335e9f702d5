import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillResources
import TillStore
import TillTestSupport

@testable import TillServer

/// `Resources/openapi.yaml` against the running server: it is served, it lists exactly the routes the
/// router has, its examples validate against its schemas, and real answers of every route validate too.
@Suite("The OpenAPI description matches the server")
struct OpenAPITests {
  @Test("GET /openapi.yaml serves the shipped description, with or without a token")
  func servesTheDescription() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let url = try #require(TillResources.openAPIURL, "openapi.yaml is missing from the resources")
      let shipped = try Data(contentsOf: url)
      #expect(String(decoding: shipped, as: UTF8.self).hasPrefix("openapi: 3.1."))
      for token in [nil, "not-a-configured-token", ServerHarness.staffToken] as [String?] {
        let response = try await harness.client(token: token).get("/openapi.yaml")
        #expect(response.status == 200, "token \(token ?? "none"): \(response.text.prefix(200))")
        #expect(response.header("Content-Type") == "application/yaml")
        #expect(Data(response.body) == shipped)
      }
      let post = try await harness.client().send("POST", "/openapi.yaml", body: nil)
      #expect(post.status == 405)
      #expect(post.header("Allow") == "GET")
    }
  }

  @Test("every route of the router is described, and every described operation is routed")
  func routesMatch() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let report = try await OpenAPICheck.run(specFrom: harness)
      let described = Set(report.operations.map { $0.joined(separator: " ") })
      let routed = RouterListing.routes(store: harness.store)
      #expect(routed.count >= 14, "the router lists \(routed.sorted())")
      let comparison = RouteComparison(routed: routed, described: described)
      #expect(comparison.undescribed.isEmpty, "routes missing from openapi.yaml: \(comparison.undescribed)")
      #expect(comparison.unrouted.isEmpty, "described but not routed: \(comparison.unrouted)")

      // The comparison notices a missing operation either way.
      let fewer = described.subtracting(["POST /v1/orders"])
      #expect(RouteComparison(routed: routed, described: fewer).undescribed == ["POST /v1/orders"])
      let more = described.union(["DELETE /v1/carts/{id}"])
      #expect(RouteComparison(routed: routed, described: more).unrouted == ["DELETE /v1/carts/{id}"])

      // And the live server answers every described operation from a route (not "no such route"/405).
      let staff = harness.client()
      for operation in described.sorted() {
        let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
        let path = parts[1].replacing(#/\{[^}]+\}/#, with: "oa-probe")
        let response = try await staff.send(parts[0], path, body: parts[0] == "POST" ? Array("{}".utf8) : nil)
        #expect(response.status != 405, "\(operation) answered 405")
        #expect(response.problem?.detail != "There is no such route.", "\(operation) is not routed")
      }
    }
  }

  @Test("every example validates against its schema; a broken example is caught")
  func examplesValidate() async throws {
    try await withServer(products: [Fixtures.product("OA-1", stock: 1)]) { harness in
      let report = try await OpenAPICheck.run(specFrom: harness)
      #expect(report.errors.isEmpty, "\(report.errors.joined(separator: "\n"))")
      #expect(report.examples >= 80, "only \(report.examples) examples were checked")
      print("OpenAPITests: \(report.examples) examples validated, \(report.operations.count) operations")

      // The same checker on a copy with one wrong example (stock as a string) must complain.
      let spec = try await OpenAPICheck.download(from: harness)
      let broken = spec.replacingOccurrences(of: "stock: 114", with: "stock: \"114\"")
      #expect(broken != spec)
      let brokenReport = try await OpenAPICheck.run(spec: broken)
      #expect(brokenReport.errors.contains { $0.contains("restocked") && $0.contains("integer") })
    }
  }

  @Test("real answers of every route and status validate against the description")
  func liveAnswersValidate() async throws {
    var recorder = ExchangeRecorder()
    let scarce = Fixtures.product("OA-SCARCE", stock: 1, price: 99)
    try await withPaymentServer(
      products: PaymentFixtures.products + [scarce],
      retryPolicy: .init(maxCalls: 2, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(10))
    ) { harness, sandbox in
      try await LiveScenario(harness: harness, sandbox: sandbox).run(recording: &recorder)
    }
    // Without a card provider, card answers 503.
    try await withServer(products: PaymentFixtures.products) { harness in
      let order = try await harness.client().placedOrder()
      let staff = harness.client()
      try await recorder.record(
        "POST", "/v1/orders/{id}/payments", try await staff.pay(order.id, .card), expecting: 503)
    }
    let statuses = Set(recorder.exchanges.map(\.status))
    #expect(statuses.isSuperset(of: [200, 201, 202, 400, 401, 402, 403, 404, 409, 413, 422, 503]))
    let spec = try String(contentsOf: try #require(TillResources.openAPIURL), encoding: .utf8)
    let report = try await OpenAPICheck.run(spec: spec, exchanges: recorder.exchanges)
    #expect(report.errors.isEmpty, "\(report.errors.joined(separator: "\n"))")
    #expect(report.exchanges == recorder.exchanges.count)
    print("OpenAPITests: \(report.exchanges) live answers validated (statuses \(statuses.sorted()))")
  }
}

/// A request and its answer, as the checker validates it: `path` is the documented template.
struct Exchange: Encodable, Sendable {
  var method: String
  var path: String
  var status: Int
  var contentType: String
  var body: String
}

struct ExchangeRecorder {
  var exchanges: [Exchange] = []

  /// Records `response` as an answer of `method path` (the template) after checking its status.
  mutating func record(
    _ method: String, _ path: String, _ response: HTTPResponse, expecting status: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    #expect(
      response.status == status, "\(method) \(path): \(response.text.prefix(300))",
      sourceLocation: sourceLocation)
    exchanges.append(
      Exchange(
        method: method, path: path, status: response.status,
        contentType: response.header("Content-Type") ?? "", body: response.text))
  }
}

/// Drives every route through its documented answers against a server with a sandbox card provider.
struct LiveScenario {
  let harness: ServerHarness
  let sandbox: SandboxHarness

  func run(recording recorder: inout ExchangeRecorder) async throws {
    let staff = harness.client()
    let other = harness.client(token: ServerHarness.otherStaffToken)
    let admin = harness.client(token: ServerHarness.adminToken)
    let nobody = harness.client(token: nil)
    func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    try await recorder.record("GET", "/v1/health", try await nobody.get("/v1/health"), expecting: 200)
    try await recorder.record("GET", "/openapi.yaml", try await nobody.get("/openapi.yaml"), expecting: 200)

    // Catalogue.
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?limit=2"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?q=tea&category=Test"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products", try await staff.get("/v1/products?limit=0"), expecting: 422)
    try await recorder.record("GET", "/v1/products", try await nobody.get("/v1/products"), expecting: 401)
    try await recorder.record(
      "GET", "/v1/products/{sku}", try await staff.get("/v1/products/TEA"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/products/{sku}", try await staff.get("/v1/products/NOPE"), expecting: 404)
    try await recorder.record("GET", "/v1/categories", try await staff.get("/v1/categories"), expecting: 200)

    let adjust = "/v1/products/{sku}/stock-adjustments"
    let adjustTea = "/v1/products/TEA/stock-adjustments"
    try await recorder.record(
      "POST", adjust, try await staff.send("POST", adjustTea, body: json(#"{"delta":5,"reason":"x"}"#)),
      expecting: 403)
    try await recorder.record(
      "POST", adjust,
      try await admin.send("POST", adjustTea, body: json(#"{"delta":5,"reason":"delivery"}"#)),
      expecting: 200)
    try await recorder.record(
      "POST", adjust,
      try await admin.send("POST", adjustTea, body: json(#"{"delta":-1000000,"reason":"loss"}"#)),
      expecting: 422)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: json(#"{"delta":0,"reason":"x"}"#)),
      expecting: 422)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: json("{")), expecting: 400)
    try await recorder.record(
      "POST", adjust,
      try await admin.send(
        "POST", "/v1/products/NOPE/stock-adjustments", body: json(#"{"delta":1,"reason":"x"}"#)),
      expecting: 404)
    let huge = json(#"{"delta":1,"reason":""# + String(repeating: "x", count: 70_000) + #""}"#)
    try await recorder.record(
      "POST", adjust, try await admin.send("POST", adjustTea, body: huge), expecting: 413)

    // Carts.
    try await recorder.record(
      "POST", "/v1/carts", try await staff.send("POST", "/v1/carts", body: nil), expecting: 201)
    let cart = try await staff.createCart()
    try await recorder.record(
      "GET", "/v1/carts/{id}", try await staff.get("/v1/carts/\(cart.id)"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/carts/{id}", try await other.get("/v1/carts/\(cart.id)"), expecting: 404)
    let increments = "/v1/carts/{id}/increments"
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 1), expecting: 200)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "BUN", delta: 2), expecting: 200)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 0), expecting: 422)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "NOPE", delta: 1), expecting: 404)
    try await recorder.record(
      "POST", increments,
      try await staff.send("POST", "/v1/carts/\(cart.id)/increments", body: json(#"{"sku":1}"#)),
      expecting: 400)

    // Orders.
    let orders = "/v1/orders"
    try await recorder.record(
      "POST", orders, try await staff.post(orders, json: PlaceOrderRequest(cartId: cart.id)), expecting: 400)
    let empty = try await staff.createCart()
    try await recorder.record("POST", orders, try await staff.placeOrder(cart: empty.id), expecting: 422)
    let short = try await staff.createCart()
    _ = try await staff.increment(cart: short.id, sku: "OA-SCARCE", delta: 2).decoded(Cart.self)
    try await recorder.record("POST", orders, try await staff.placeOrder(cart: short.id), expecting: 409)
    try await recorder.record(
      "POST", orders, try await staff.placeOrder(cart: cart.id, key: "oa-1"), expecting: 201)
    try await recorder.record(
      "POST", orders, try await staff.placeOrder(cart: cart.id, key: "oa-1"), expecting: 201)
    try await recorder.record(
      "POST", increments, try await staff.increment(cart: cart.id, sku: "TEA", delta: 1), expecting: 409)
    let order = try await staff.placeOrder(cart: cart.id, key: "oa-1").decoded(Order.self, expecting: 201)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders?limit=5"), expecting: 200)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders?status=bogus"), expecting: 422)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await staff.get("/v1/orders/\(order.id)"), expecting: 200)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await other.get("/v1/orders/\(order.id)"), expecting: 404)

    // Cash: short, paid, paid again; a paid order cannot be canceled.
    let payments = "/v1/orders/{id}/payments"
    let cancel = "/v1/orders/{id}/cancel"
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1))), expecting: 422
    )
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 201)
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 200)
    try await recorder.record("POST", payments, try await staff.pay(order.id, raw: "[]"), expecting: 400)
    try await recorder.record("POST", cancel, try await staff.cancel(order.id), expecting: 409)
    try await recorder.record(
      "POST", payments, try await staff.pay(order.id, raw: #"{"method":"cheque"}"#), expecting: 422)
    try await recorder.record(
      "GET", "/v1/orders/{id}", try await staff.get("/v1/orders/\(order.id)"), expecting: 200)

    // Card: charged; declined (402); unknown outcome (202), which blocks cash and cancel (409).
    let charged = try await staff.placedOrder()
    try await recorder.record("POST", payments, try await staff.pay(charged.id, .card), expecting: 201)
    let declined = try await staff.placedOrder()
    try await sandbox.arm(Fault(mode: .decline, count: 1, reason: "insufficient_funds"))
    try await recorder.record("POST", payments, try await staff.pay(declined.id, .card), expecting: 402)
    try await recorder.record("POST", cancel, try await staff.cancel(declined.id), expecting: 200)
    try await recorder.record("POST", payments, try await staff.pay(declined.id, .card), expecting: 409)
    let pending = try await staff.placedOrder()
    try await sandbox.arm(Fault(mode: .processing, count: 2))
    try await recorder.record("POST", payments, try await staff.pay(pending.id, .card), expecting: 202)
    try await recorder.record(
      "POST", payments, try await staff.pay(pending.id, .cash(tendered: PaymentFixtures.eur(1000))),
      expecting: 409)
    try await recorder.record("POST", cancel, try await staff.cancel(pending.id), expecting: 409)
    try await recorder.record("GET", orders, try await staff.get("/v1/orders"), expecting: 200)
    try await recorder.record("POST", cancel, try await other.cancel(pending.id), expecting: 404)
  }
}

/// Runs `Fuzz/check_openapi.py` on a description (and optionally recorded answers).
enum OpenAPICheck {
  struct Report: Decodable {
    var operations: [[String]]
    var examples: Int
    var exchanges: Int
    var errors: [String]
  }

  /// The description as the server serves it (no token needed).
  static func download(from harness: ServerHarness) async throws -> String {
    let response = try await harness.client(token: nil).get("/openapi.yaml")
    guard response.status == 200 else {
      throw FuzzToolError("GET /openapi.yaml answered \(response.status)")
    }
    return response.text
  }

  static func run(specFrom harness: ServerHarness) async throws -> Report {
    try await run(spec: try await download(from: harness))
  }

  static func run(spec: String, exchanges: [Exchange]? = nil) async throws -> Report {
    let directory = try FuzzTools.temporaryDirectory("till-openapi-check")
    defer { try? FileManager.default.removeItem(at: directory) }
    let specFile = directory.appendingPathComponent("openapi.yaml")
    try Data(spec.utf8).write(to: specFile)
    var arguments = [FuzzTools.script("check_openapi.py"), specFile.path]
    if let exchanges {
      let exchangesFile = directory.appendingPathComponent("exchanges.json")
      try JSONEncoder().encode(exchanges).write(to: exchangesFile)
      arguments.append(exchangesFile.path)
    }
    let result = try await FuzzTools.python(arguments, timeout: .seconds(60))
    guard result.status == 0,
      let report = try? JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
    else {
      throw FuzzToolError("check_openapi.py failed (\(result.status)): \(result.output)\n\(result.errors)")
    }
    return report
  }
}

/// The routes the real router has, built exactly as the server builds it, as "METHOD /path/{param}".
enum RouterListing {
  static func routes(store: any Store & PaymentStore) -> Set<String> {
    let logger = Logger(label: "till.test.routes", factory: { _ in SwiftLogNoOpLogHandler() })
    let payments = PaymentCoordinator(store: store, provider: nil, logger: logger)
    let router = TillApplication.makeRouter(
      store: store, configuration: ServerConfiguration(port: 0, staffTokens: ["route-listing"]),
      payments: payments)
    return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
  }
}

/// What differs between the router and the description.
struct RouteComparison: Equatable {
  /// Routed but missing from the description.
  var undescribed: [String]
  /// Described but not routed.
  var unrouted: [String]

  init(routed: Set<String>, described: Set<String>) {
    undescribed = routed.subtracting(described).sorted()
    unrouted = described.subtracting(routed).sorted()
  }
}

/// The Python side of the API tests: PyYAML and jsonschema-rs for the description checks, schemathesis
/// for fuzzing. All three come with `pip install schemathesis` (`sh .ci/deps test` installs it).
enum FuzzTools {
  static let installHint =
    "schemathesis is missing: run `sh .ci/deps test` (or `python3 -m pip install schemathesis`)"

  /// `Tests/TillServerTests/Fuzz/<name>`.
  static func script(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz")
      .appendingPathComponent(name).path
  }

  static func temporaryDirectory(_ prefix: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// The first `python3` on PATH.
  static func pythonExecutable() throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/python3"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw FuzzToolError("python3 is not on PATH; \(installHint)")
  }

  /// Fails loudly, saying how to install, when schemathesis (and with it PyYAML, jsonschema-rs) is missing.
  static func requireSchemathesis() async throws -> String {
    let result = try await python(
      ["-c", "import schemathesis, yaml, jsonschema_rs; print(schemathesis.__version__)"],
      timeout: .seconds(60))
    guard result.status == 0 else { throw FuzzToolError("\(installHint)\n\(result.errors)") }
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  struct Result {
    var status: Int32
    var output: String
    var errors: String
  }

  /// Runs python3 with `arguments` in `directory` (a fresh temporary one by default); killed after
  /// `timeout`, which is an error.
  static func python(
    _ arguments: [String], timeout: Duration, directory: URL? = nil, environment: [String: String]? = nil
  ) async throws -> Result {
    let workingDirectory = try directory ?? temporaryDirectory("till-python")
    defer { if directory == nil { try? FileManager.default.removeItem(at: workingDirectory) } }
    let child = try ChildProcess(
      executable: try pythonExecutable(), arguments: arguments, environment: environment,
      workingDirectory: workingDirectory.path)
    guard let status = await child.waitForExit(timeout: timeout) else {
      child.terminate()
      throw FuzzToolError(
        "python3 \(arguments.prefix(2).joined(separator: " ")) did not finish within \(timeout); output:\n"
          + child.standardOutput.suffix(4000) + "\n" + child.standardError.suffix(2000))
    }
    return Result(status: status, output: child.standardOutput, errors: child.standardError)
  }
}

struct FuzzToolError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
