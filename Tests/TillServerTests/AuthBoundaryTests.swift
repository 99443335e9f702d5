import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillServer
import TillStore
import TillTestSupport

/// Every route × every kind of caller (`AuthTable`): no token, an unknown token, a terminal's own token,
/// a cashier, another cashier on the same terminal, a manager, a cashier on another terminal, the admin.
/// Each answers its documented status and problem; a refused call changes nothing (stock, the cart, the
/// order, both terminals' orders, the staff, the audit trail, the card provider's charges); and the
/// whole run, logged at trace level by both the back end and the card provider, never writes a token,
/// a PIN, a PIN hash or the provider's key.
@Suite("Auth boundaries: every route × every caller", .serialized)
struct AuthBoundaryTests {
  typealias Caller = AuthTable.Caller

  @Test("the table has a row for every route of the router")
  func coversEveryRoute() async throws {
    try await withServer(products: [Fixtures.product("TEA", stock: 1)]) { harness in
      let routed = RouterListing.routes(store: harness.store)
      let tabled = Set(AuthTable.rows.map(\.description))
      #expect(
        RouteComparison(routed: routed, described: tabled) == RouteComparison(routed: [], described: []))
    }
  }

  @Test(
    "every route × caller answers as documented; refusals change nothing; logs hold no secret",
    arguments: ServedBy.all)
  func table(served: ServedBy) async throws {
    try await served.withCertificates { tls in try await Self.table(served.engine, tls: tls) }
  }

  static func table(_ engine: StoreEngine, tls: ShopCertificates.Files?) async throws {
    let log = CapturedLog()
    let logger = log.logger(label: "till.test.auth")
    let sandbox = try await SandboxHarness.start(logger: logger)
    let harness: ServerHarness
    do {
      harness = try await ServerHarness.start(
        engine, products: [Fixtures.product("TEA", stock: 5_000), Fixtures.product("BUN", stock: 5_000)],
        paymentProvider: ServerHarness.provider(sandbox),
        failedAuthentications: .init(burst: 1_000, perSecond: 100, maxAddresses: 100),
        // The fixture opens till-1's register; till-2's is opened by the table's own row.
        opensRegisters: false, tls: tls, logger: logger)
    } catch {
      await sandbox.stop()
      throw error
    }
    var run = Run()
    do {
      for row in AuthTable.rows { try await Self.check(row, harness: harness, sandbox: sandbox, run: &run) }
      await harness.stop()
      await sandbox.stop()
    } catch {
      await harness.stop()
      await sandbox.stop()
      throw error
    }
    #expect(run.calls == AuthTable.rows.count * Caller.allCases.count)
    let sessions = ServerHarness.Caller.allCases.compactMap { harness.token(for: $0) }
    Self.expectNoSecrets(in: log, requests: run.calls, issuedTokens: run.issuedTokens + sessions)
  }

  struct Run {
    var calls = 0
    var issuedTokens: [String] = []
  }

  /// Sends `row` as every caller, refused callers first, each on a fresh fixture, and checks status,
  /// problem and state.
  static func check(_ row: AuthTable.Row, harness: ServerHarness, sandbox: SandboxHarness, run: inout Run)
    async throws
  {
    let refusedFirst =
      Caller.allCases.filter { row.expected[$0]?.succeeds == false }
      + Caller.allCases.filter { row.expected[$0]?.succeeds == true }
    for caller in refusedFirst {
      let expected = try #require(row.expected[caller])
      let fixture = try await makeFixture(harness)
      let before = try await Snapshot(harness: harness, sandbox: sandbox, fixture: fixture)
      let token = try await token(of: caller, for: row, harness: harness)
      if let token, token.hasPrefix("st-") { run.issuedTokens.append(token) }
      let keyed = [
        "POST /v1/orders", "POST /v1/register-sessions/{id}/close", "POST /v1/orders/{id}/refunds",
      ]
      let headers =
        keyed.contains(row.description) ? [(name: "Idempotency-Key", value: "auth-\(caller)")] : []
      let response = try await harness.client(token: token).send(
        row.method, row.concretePath(fixture), body: row.body(fixture).map { Array($0.utf8) },
        headers: headers)
      run.calls += 1
      #expect(response.status == expected.status, "\(row) as \(caller): \(response.text.prefix(300))")
      if let issued = try? JSONDecoder().decode(SignInResponse.self, from: Data(response.body)) {
        run.issuedTokens.append(issued.token)
      }
      guard let kind = expected.kind else { continue }
      #expect(response.header("Content-Type") == Problem.mediaType, "\(row) as \(caller)")
      #expect(response.problem?.kind == kind, "\(row) as \(caller): \(response.text.prefix(300))")
      if kind == .unauthorized { #expect(response.header("WWW-Authenticate") == "Bearer") }
      #expect(response.header("Location") == nil, "\(row) as \(caller)")
      let after = try await Snapshot(harness: harness, sandbox: sandbox, fixture: fixture)
      #expect(after == before, "\(row) as \(caller) changed the state")
    }
  }

  /// The caller's token; signing out ends a session, so each successful sign-out gets a new one.
  static func token(of caller: Caller, for row: AuthTable.Row, harness: ServerHarness) async throws -> String?
  {
    guard let harnessCaller = caller.harnessCaller else { return AuthTable.unknownToken }
    guard row.description == "POST /v1/sign-out", row.expected[caller]?.succeeds == true else {
      return harness.token(for: harnessCaller)
    }
    let person = harnessCaller == .manager ? ServerHarness.manager : ServerHarness.otherCashier
    let terminal = harnessCaller == .otherTerminal ? ServerHarness.otherStaffToken : ServerHarness.staffToken
    return try await harness.signIn(
      harnessCaller == .cashier ? ServerHarness.cashier : person, terminalToken: terminal
    )
    .token
  }

  static func makeFixture(_ harness: ServerHarness) async throws -> AuthTable.Fixture {
    let cashier = harness.client()
    let session = try await cashier.openRegister()
    let order = try await cashier.placedOrder([("TEA", 1)])
    let cart = try await cashier.createCart()
    _ = try await cashier.increment(cart: cart.id, sku: "BUN", delta: 1).decoded(Cart.self)
    let code = String(Int.random(in: 10_000_000...99_999_999))
    _ = try await harness.store.addStaff(
      code: code, name: "Fixture \(code)", role: .cashier,
      pinHash: await PINHasher(cost: ServerHarness.pinHashCost).hash(AuthTable.fixturePIN), by: .admin)
    return AuthTable.Fixture(cart: cart.id, order: order.id, staff: code, session: session.id)
  }

  /// What a refused call must not change.
  struct Snapshot: Equatable {
    var stock: [String: Int]
    var cart: Cart
    var order: Order
    var orders: [Order]
    var otherTerminalOrders: [Order]
    var staff: [StaffMember]
    var audit: [AuditEntry]
    var charges: Int

    init(harness: ServerHarness, sandbox: SandboxHarness, fixture: AuthTable.Fixture) async throws {
      let cashier = harness.client()
      stock = try await Fixtures.stock(cashier)
      cart = try await cashier.get("/v1/carts/\(fixture.cart)").decoded(Cart.self)
      order = try await cashier.order(fixture.order)
      orders = try await Fixtures.orders(cashier)
      otherTerminalOrders = try await Fixtures.orders(harness.client(as: .otherTerminal))
      staff = try await harness.store.staff()
      audit = try await harness.store.audit(limit: 500, after: nil).items
      charges = try await sandbox.payments().count
    }
  }

  /// No token, PIN, bcrypt hash, card-provider key or basic-auth credential in any captured line, and
  /// one request line per route (so every route was logged at all).
  static func expectNoSecrets(in log: CapturedLog, requests: Int, issuedTokens: [String]) {
    let lines = log.entries.map { $0.message + " " + $0.metadata }
    let secrets =
      [
        ServerHarness.staffToken, ServerHarness.otherStaffToken, ServerHarness.adminToken,
        AuthTable.unknownToken,
        SandboxHarness.secretKey, SandboxHarness.authorization,
        String(SandboxHarness.authorization.dropFirst("Basic ".count)),
        AuthTable.fixturePIN, AuthTable.newStaffPIN, AuthTable.resetPIN, "$2b$", "$2a$",
      ] + issuedTokens
    #expect(issuedTokens.count >= 8, "sessions were issued during the run")
    for secret in secrets {
      let leaks = lines.filter { $0.contains(secret) }
      #expect(leaks.isEmpty, "a secret was logged: \(leaks.prefix(3))")
    }
    #expect(!lines.contains { $0.contains(#/st-[A-Za-z0-9_-]{40}/#) }, "a session token was logged")
    #expect(!lines.contains { $0.lowercased().contains("authorization") })
    #expect(!lines.contains { $0.contains("Bearer ") })
    let requestLines = log.entries.map(\.message).filter { message in
      ["GET /", "POST /", "PUT /", "DELETE /"].contains { message.hasPrefix($0) }
    }
    #expect(requestLines.count >= requests, "\(requestLines.count) request lines for \(requests) calls")
    for row in AuthTable.rows {
      let prefix = row.method + " " + (row.path.split(separator: "{").first.map(String.init) ?? row.path)
      #expect(requestLines.contains { $0.hasPrefix(prefix) }, "no log line for \(row)")
    }
    print("AuthBoundaryTests: \(lines.count) log lines captured at trace level, \(requests) table calls")
  }
}
