import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillTestSupport

@testable import TillServer

/// Every route × every kind of caller: no token, a wrong token, another staff token, the owner (staff)
/// and the admin. Each answers its documented status; a refused call changes nothing (stock, the cart,
/// the order, every token's orders, the card provider's charges); and the whole run, logged at trace
/// level by both the back end and the card provider, never writes a token or the provider's key.
@Suite("Auth boundaries: every route × every caller", .serialized)
struct AuthBoundaryTests {
  enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
    case nobody, wrongToken, otherStaff, owner, admin
    var description: String { rawValue }
  }

  /// As long as the staff token and differing only in its last character: the closest miss there is.
  static let wrongToken = String(ServerHarness.staffToken.dropLast()) + "X"

  /// The owner's cart (one line) and placed order, made fresh for each route.
  struct Fixture: Sendable {
    var cart: String
    var order: String
  }

  struct Row: Sendable, CustomStringConvertible {
    var method: String
    /// The documented template; `{sku}`, `{id}` are filled from the fixture.
    var path: String
    var expected: [Caller: Int]
    var body: @Sendable (Fixture) -> String? = { _ in nil }

    var description: String { "\(method) \(path)" }

    func concretePath(_ fixture: Fixture) -> String {
      let id = path.hasPrefix("/v1/carts") ? fixture.cart : fixture.order
      return path.replacingOccurrences(of: "{sku}", with: "TEA").replacingOccurrences(of: "{id}", with: id)
    }
  }

  static func statuses(_ nobody: Int, _ wrong: Int, _ other: Int, _ owner: Int, _ admin: Int) -> [Caller: Int]
  {
    [.nobody: nobody, .wrongToken: wrong, .otherStaff: other, .owner: owner, .admin: admin]
  }

  static let open = statuses(200, 200, 200, 200, 200)
  static let anyToken = statuses(401, 401, 200, 200, 200)
  static let ownerOnly = statuses(401, 401, 404, 200, 404)

  /// The table: one row per route of the router (checked against the router itself).
  static let rows: [Row] = [
    Row(method: "GET", path: "/v1/health", expected: open),
    Row(method: "GET", path: "/openapi.yaml", expected: open),
    Row(method: "GET", path: "/v1/products", expected: anyToken),
    Row(method: "GET", path: "/v1/products/{sku}", expected: anyToken),
    Row(method: "GET", path: "/v1/categories", expected: anyToken),
    Row(
      method: "POST", path: "/v1/products/{sku}/stock-adjustments",
      expected: statuses(401, 401, 403, 403, 200),
      body: { _ in #"{"delta": 3, "reason": "auth table"}"# }),
    Row(method: "POST", path: "/v1/carts", expected: statuses(401, 401, 201, 201, 201)),
    Row(method: "GET", path: "/v1/carts/{id}", expected: ownerOnly),
    Row(
      method: "POST", path: "/v1/carts/{id}/increments", expected: ownerOnly,
      body: { _ in #"{"sku": "TEA", "delta": 1, "opId": "auth-\#(UUID().uuidString)"}"# }),
    Row(
      method: "POST", path: "/v1/orders", expected: statuses(401, 401, 404, 201, 404),
      body: { fixture in #"{"cartId": "\#(fixture.cart)"}"# }),
    Row(method: "GET", path: "/v1/orders", expected: anyToken),
    Row(method: "GET", path: "/v1/orders/{id}", expected: ownerOnly),
    Row(method: "POST", path: "/v1/orders/{id}/cancel", expected: ownerOnly),
    Row(
      method: "POST", path: "/v1/orders/{id}/payments", expected: statuses(401, 401, 404, 201, 404),
      body: { _ in #"{"method": "card"}"# }),
  ]

  @Test("the table has a row for every route of the router")
  func coversEveryRoute() async throws {
    try await withServer(products: [Fixtures.product("TEA", stock: 1)]) { harness in
      let routed = RouterListing.routes(store: harness.store)
      let tabled = Set(Self.rows.map(\.description))
      #expect(
        RouteComparison(routed: routed, described: tabled) == RouteComparison(routed: [], described: []))
    }
  }

  @Test(
    "every route × caller answers as documented; refusals change nothing; logs hold no secret",
    arguments: StoreEngine.allCases)
  func table(engine: StoreEngine) async throws {
    let log = CapturedLog()
    let logger = Logger(label: "till.test.auth") { _ in CapturingLogHandler(log: log) }
    let sandbox = try await SandboxHarness.start(logger: logger)
    let harness: ServerHarness
    do {
      harness = try await ServerHarness.start(
        engine, products: PaymentFixtures.products, paymentProvider: ServerHarness.provider(sandbox),
        logger: logger)
    } catch {
      await sandbox.stop()
      throw error
    }
    var calls = 0
    do {
      for row in Self.rows { calls += try await Self.check(row, harness: harness, sandbox: sandbox) }
      await harness.stop()
      await sandbox.stop()
    } catch {
      await harness.stop()
      await sandbox.stop()
      throw error
    }
    #expect(calls == Self.rows.count * Caller.allCases.count)
    Self.expectNoSecrets(in: log, requests: calls)
  }

  /// Sends `row` as every caller, refused callers first, and checks status, problem and state.
  static func check(_ row: Row, harness: ServerHarness, sandbox: SandboxHarness) async throws -> Int {
    let owner = harness.client()
    let fixture = try await makeFixture(owner)
    let successful = { (caller: Caller) in (200..<300).contains(row.expected[caller] ?? 0) }
    let order = Caller.allCases.filter { !successful($0) } + Caller.allCases.filter(successful)
    var sent = 0
    for caller in order {
      let expected = try #require(row.expected[caller])
      let before = try await Snapshot(harness: harness, sandbox: sandbox, fixture: fixture)
      let client = harness.client(token: token(of: caller))
      let body = row.body(fixture).map { Array($0.utf8) }
      let headers =
        row.method == "POST" && row.path == "/v1/orders"
        ? [(name: "Idempotency-Key", value: "auth-\(caller)")] : []
      let response = try await client.send(
        row.method, row.concretePath(fixture), body: body, headers: headers)
      sent += 1
      #expect(response.status == expected, "\(row) as \(caller): \(response.text.prefix(300))")
      guard !successful(caller) else { continue }
      #expect(response.header("Content-Type") == Problem.mediaType, "\(row) as \(caller)")
      let problem = response.problem
      switch expected {
      case 401:
        #expect(problem?.kind == .unauthorized, "\(row) as \(caller)")
        #expect(response.header("WWW-Authenticate") == "Bearer", "\(row) as \(caller)")
      case 403: #expect(problem?.kind == .forbidden, "\(row) as \(caller)")
      case 404: #expect(problem?.kind == .notFound, "\(row) as \(caller)")
      default: Issue.record("unexpected refusal \(expected) in the table")
      }
      #expect(response.header("Location") == nil, "\(row) as \(caller)")
      let after = try await Snapshot(harness: harness, sandbox: sandbox, fixture: fixture)
      #expect(after == before, "\(row) as \(caller) changed the state")
    }
    return sent
  }

  static func token(of caller: Caller) -> String? {
    switch caller {
    case .nobody: nil
    case .wrongToken: wrongToken
    case .otherStaff: ServerHarness.otherStaffToken
    case .owner: ServerHarness.staffToken
    case .admin: ServerHarness.adminToken
    }
  }

  static func makeFixture(_ owner: APITestClient) async throws -> Fixture {
    let order = try await owner.placedOrder([("TEA", 1)])
    let cart = try await owner.createCart()
    _ = try await owner.increment(cart: cart.id, sku: "BUN", delta: 1).decoded(Cart.self)
    return Fixture(cart: cart.id, order: order.id)
  }

  /// What a refused call must not change.
  struct Snapshot: Equatable {
    var stock: [String: Int]
    var cart: Cart
    var order: Order
    var orders: [Order]
    var otherOrders: [Order]
    var adminOrders: [Order]
    var charges: Int

    init(harness: ServerHarness, sandbox: SandboxHarness, fixture: Fixture) async throws {
      let owner = harness.client()
      stock = try await Fixtures.stock(owner)
      cart = try await owner.get("/v1/carts/\(fixture.cart)").decoded(Cart.self)
      order = try await owner.order(fixture.order)
      orders = try await Fixtures.orders(owner)
      otherOrders = try await Fixtures.orders(harness.client(token: ServerHarness.otherStaffToken))
      adminOrders = try await Fixtures.orders(harness.client(token: ServerHarness.adminToken))
      charges = try await sandbox.payments().count
    }
  }

  /// No token, wrong token, card-provider key or basic-auth credential in any captured line, and one
  /// request line per call (so every route was logged at all).
  static func expectNoSecrets(in log: CapturedLog, requests: Int) {
    let lines = log.entries.map { $0.message + " " + $0.metadata }
    let secrets = [
      ServerHarness.staffToken, ServerHarness.otherStaffToken, ServerHarness.adminToken, wrongToken,
      SandboxHarness.secretKey, SandboxHarness.authorization,
      String(SandboxHarness.authorization.dropFirst("Basic ".count)),
    ]
    for secret in secrets {
      let leaks = lines.filter { $0.contains(secret) }
      #expect(leaks.isEmpty, "a secret was logged: \(leaks.prefix(3))")
    }
    #expect(!lines.contains { $0.lowercased().contains("authorization") })
    #expect(!lines.contains { $0.contains("Bearer ") })
    let requestLines = log.entries.map(\.message).filter { $0.hasPrefix("GET /") || $0.hasPrefix("POST /") }
    #expect(requestLines.count >= requests, "\(requestLines.count) request lines for \(requests) calls")
    for row in rows {
      let prefix = row.method + " " + (row.path.split(separator: "{").first.map(String.init) ?? row.path)
      #expect(requestLines.contains { $0.hasPrefix(prefix) }, "no log line for \(row)")
    }
    print("AuthBoundaryTests: \(lines.count) log lines captured at trace level, \(requests) table calls")
  }

  @Test("malformed credentials are refused like a missing token")
  func malformedCredentials() async throws {
    try await withServer(products: [Fixtures.product("TEA", stock: 1)]) { harness in
      let anonymous = harness.client(token: nil)
      let staff = ServerHarness.staffToken
      let variants: [[(name: String, value: String)]] = [
        [("Authorization", "Basic \(staff)")],
        [("Authorization", staff)],
        [("Authorization", "Bearer")],
        [("Authorization", "Bearer \(staff.dropLast())")],
        [("Authorization", "Bearer \(staff)x")],
        [("Authorization", "Bearer \(staff.uppercased())")],
        [("Authorization", "Bearer \(staff)"), ("Authorization", "Bearer \(staff)")],
        [("Authorization", "Bearer \(String(repeating: "a", count: 4_000))")],
      ]
      for headers in variants {
        let response = try await anonymous.get("/v1/products", headers: headers)
        #expect(response.status == 401, "\(headers.map(\.value).joined(separator: " | ").prefix(80))")
        #expect(response.problem?.kind == .unauthorized)
      }
      // The scheme is case-insensitive (RFC 9110 §11.1), the token is not.
      let lowercase = try await anonymous.get("/v1/products", headers: [("Authorization", "bearer \(staff)")])
      #expect(lowercase.status == 200)
    }
  }

  @Test("token comparison: only the exact token matches, whatever its length; every entry is compared")
  func tokenComparison() {
    let token = "s3cret-token-0123456789"
    let authenticator = TokenAuthenticator(
      staffTokens: [token, "other-staff"], adminToken: "admin-token", secret: OwnerSecrets.first)
    #expect(authenticator.principal(for: token)?.role == .staff)
    // Equal length, one byte off at the start, the middle and the end.
    for index in [0, token.utf8.count / 2, token.utf8.count - 1] {
      var bytes = Array(token.utf8)
      bytes[index] ^= 0x01
      let near = String(decoding: bytes, as: UTF8.self)
      #expect(near.utf8.count == token.utf8.count)
      #expect(authenticator.principal(for: near) == nil, "\(near)")
    }
    // Unequal length: prefixes, extensions, empty, and a megabyte.
    #expect(authenticator.principal(for: String(token.dropLast())) == nil)
    #expect(authenticator.principal(for: token + "0") == nil)
    #expect(authenticator.principal(for: String(token.prefix(1))) == nil)
    #expect(authenticator.principal(for: "") == nil)
    #expect(authenticator.principal(for: token + String(repeating: "x", count: 1 << 20)) == nil)
    // Whatever the presented length, it is digested to the same fixed size before the byte comparison,
    // so the comparison itself never depends on where or whether lengths differ.
    #expect(authenticator.digest(of: "a").count == 32)
    #expect(authenticator.digest(of: String(repeating: "a", count: 10_000)).count == 32)
    // The loop does not stop at the first matching entry: a token configured as both staff and admin
    // gets the admin role from the later entry, which an early exit would never reach.
    let both = TokenAuthenticator(
      staffTokens: ["shared", "x"], adminToken: "shared", secret: OwnerSecrets.first)
    #expect(both.principal(for: "shared")?.role == .admin)
  }
}
