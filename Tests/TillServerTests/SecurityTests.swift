import Foundation
import Logging
import Testing
import TillCore
import TillTestSupport

@testable import TillServer

/// Fixed owner secrets for tests that need a predictable authenticator.
enum OwnerSecrets {
  static let first = [UInt8](repeating: 0x01, count: 32)
  static let second = [UInt8](repeating: 0x02, count: 32)
}

@Suite("Tokens, owners and logs")
struct SecurityTests {
  static let staffA = "staff-a-7f3e91c2d8b4a6e0f5c1"
  static let staffB = "staff-b-0c9d2e7a4f1b8e3d6a2c"
  static let boss = "boss-e4a1c7f9b2d5e8a0c3f6b9d2"

  /// Owner ids recorded before the owner secret (their own SHA-256; `printf 'till.bearer-token.v1:boss' |
  /// sha256sum` agrees): the rename at start must find exactly these rows.
  @Test(
    "the legacy owner id of a token is the one databases written before the owner secret hold",
    arguments: [
      ("staff-token-1", "o-273c444a6fdbbffa338ddf94f3b08655ecde9de0eb4a4f5741a641bbdc372138"),
      ("boss", "o-4986044e791d542bbd251b856a4a94857c3ca02a86ef9f3339742f84754369db"),
      ("Ünïcødé-tøken", "o-59ff82644921db7ca89b03eb981522ce231df193604a30172392fdbf6bebc060"),
    ])
  func legacyOwnerIds(token: String, owner: String) {
    #expect(OwnerIDs.legacy(for: token) == owner)
    let authenticator = TokenAuthenticator(staffTokens: [token], adminToken: nil, secret: OwnerSecrets.first)
    let renames = OwnerIDs.renames(tokens: [token], authenticator: authenticator)
    #expect(renames.map(\.old) == [owner])
    #expect(renames.map(\.new) == [authenticator.principal(for: token)?.owner])
  }

  /// The keyed id: `printf 'till.bearer-token.v2:boss' | openssl dgst -sha256 -mac HMAC -macopt
  /// hexkey:0101…01` (32 bytes of 0x01) agrees.
  @Test(
    "the owner id is the token's HMAC-SHA-256 under the database's secret",
    arguments: [
      ("staff-token-1", "h-f11e6c44af6daa143b1cfba28a29482a7c8e9e5cc0297a5d4301cbe5348edbeb"),
      ("boss", "h-81715ef714337f8bb373413dc443db2d3cfa32c5b097824b25913957cca097e7"),
    ])
  func keyedOwnerIds(token: String, owner: String) {
    let authenticator = TokenAuthenticator(staffTokens: [token], adminToken: nil, secret: OwnerSecrets.first)
    #expect(authenticator.principal(for: token)?.owner == owner)
    #expect(authenticator.ownerID(for: token) == owner)
  }

  @Test("owner ids are stable for one secret and differ between secrets")
  func ownerIdsPerSecret() {
    let first = TokenAuthenticator(staffTokens: [Self.staffA], adminToken: nil, secret: OwnerSecrets.first)
    let again = TokenAuthenticator(staffTokens: [Self.staffA], adminToken: nil, secret: OwnerSecrets.first)
    let second = TokenAuthenticator(staffTokens: [Self.staffA], adminToken: nil, secret: OwnerSecrets.second)
    let owner = first.principal(for: Self.staffA)?.owner
    #expect(owner?.hasPrefix("h-") == true)
    #expect(owner == again.principal(for: Self.staffA)?.owner)
    #expect(owner != second.principal(for: Self.staffA)?.owner)
    #expect(owner != OwnerIDs.legacy(for: Self.staffA))
    #expect(
      second.principal(for: Self.staffA)
        == .terminal(TerminalIdentity(owner: second.ownerID(for: Self.staffA), name: "till-1")))
  }

  @Test("tokens map to roles and stable opaque owners")
  func authenticator() {
    let authenticator = TokenAuthenticator(
      staffTokens: [Self.staffA, Self.staffB], adminToken: Self.boss, secret: OwnerSecrets.first)
    let a = authenticator.principal(for: Self.staffA)
    guard case .terminal(let terminalA) = a,
      case .terminal(let terminalB) = authenticator.principal(for: Self.staffB)
    else {
      Issue.record("the staff tokens are not terminals: \(String(describing: a))")
      return
    }
    #expect(terminalA.name == "till-1")
    #expect(terminalB.name == "till-2")
    #expect(authenticator.principal(for: Self.boss) == .admin)
    #expect(authenticator.principal(for: String(Self.staffA.dropLast())) == nil)
    #expect(authenticator.principal(for: Self.staffA + "a") == nil)
    #expect(authenticator.principal(for: "") == nil)
    // The owner differs between tokens and does not contain the token.
    #expect(a?.owner != authenticator.principal(for: Self.staffB)?.owner)
    #expect(a?.owner?.contains(Self.staffA) == false)
    #expect(AuthMiddleware.bearerToken("Bearer abc") == "abc")
    #expect(AuthMiddleware.bearerToken("bearer  abc ") == "abc")
    #expect(AuthMiddleware.bearerToken("Basic abc") == nil)
    #expect(AuthMiddleware.bearerToken("Bearer") == nil)
  }

  @Test("the server refuses to start without a staff token")
  func noStaffToken() throws {
    #expect(throws: ServerConfigurationError.noStaffToken) {
      _ = try ServerConfiguration(port: 0, staffTokens: ["", ""], adminToken: Self.boss).validated()
    }
    #expect(throws: ServerConfigurationError.invalidToken) {
      _ = try ServerConfiguration(port: 0, staffTokens: ["with space and more than 24 chars"]).validated()
    }
  }

  @Test("a token shorter than 24 characters is refused in one line that names it by place, not text")
  func shortTokens() throws {
    let short = ServerConfiguration(port: 0, staffTokens: [Self.staffA, "", "s3cr3"], adminToken: Self.boss)
    #expect(throws: ServerConfigurationError.tokenTooShort(name: "staff token 3", length: 5)) {
      _ = try short.validated()
    }
    let message = ServerConfigurationError.tokenTooShort(name: "staff token 3", length: 5).description
    #expect(
      message
        == "a token must be at least 24 characters (staff token 3 has 5); generate one with: openssl rand -hex 16"
    )
    let shortAdmin = String(Self.boss.prefix(23))
    #expect(throws: ServerConfigurationError.tokenTooShort(name: "the admin token", length: 23)) {
      _ = try ServerConfiguration(port: 0, staffTokens: [Self.staffA], adminToken: shortAdmin).validated()
    }
    let exact = try ServerConfiguration(port: 0, staffTokens: [String(Self.staffA.prefix(24))]).validated()
    #expect(exact.staffTokens.map(\.count) == [24])
  }

  @Test("one token cannot be both a staff token and the admin token")
  func sharedAdminToken() throws {
    let shared = "shared-token-5b8e1f0c2a9d7e3b"
    #expect(throws: ServerConfigurationError.sharedAdminToken) {
      _ = try ServerConfiguration(port: 0, staffTokens: [Self.staffA, shared], adminToken: shared).validated()
    }
    #expect(
      ServerConfigurationError.sharedAdminToken.description
        == "the admin token must differ from every terminal's token")
    let distinct = try ServerConfiguration(port: 0, staffTokens: [Self.staffA], adminToken: Self.boss)
      .validated()
    #expect(distinct.adminToken == Self.boss)
  }

  @Test("one log line per request with method, path, status; tokens never logged")
  func logsWithoutSecrets() async throws {
    let captured = CapturedLog()
    let logger = Logger(label: "till.test.capture") { _ in CapturingLogHandler(log: captured) }
    let harness = try await ServerHarness.start(
      products: [Fixtures.product("LOG-1", stock: 3)], logger: logger)
    let cart: Cart
    do {
      let staff = harness.client()
      cart = try await staff.createCart()
      _ = try await staff.increment(cart: cart.id, sku: "LOG-1", delta: 1).decoded(Cart.self)
      _ = try await staff.placeOrder(cart: cart.id)
      _ = try await harness.client(token: ServerHarness.adminToken).get("/v1/products?q=LOG")
      _ = try await harness.client(token: "wrong-token-xyz").get("/v1/products")
      _ = try await harness.client(as: .otherTerminal).get("/v1/carts/\(cart.id)")
      _ = try await staff.get("/v1/nowhere")
      await harness.stop()
    } catch {
      await harness.stop()
      throw error
    }
    let lines = captured.entries.map { $0.message + " " + $0.metadata }
    for secret in [
      ServerHarness.staffToken, ServerHarness.otherStaffToken, ServerHarness.adminToken, "wrong-token-xyz",
    ] + ServerHarness.Caller.allCases.compactMap({ harness.token(for: $0) }) {
      #expect(!lines.contains { $0.contains(secret) }, "token \(secret) was logged")
    }
    #expect(!lines.contains { $0.lowercased().contains("authorization") })
    // The harness's own sign-ins and register openings at start are logged too; the test's requests
    // are the rest.
    let requestLines = captured.entries.map(\.message).filter {
      $0.contains(" /v1/") && !$0.hasPrefix("POST /v1/sign-in ")
        && !$0.hasPrefix("POST /v1/register-sessions ")
    }
    #expect(requestLines.count == 7)
    #expect(requestLines.contains { $0.hasPrefix("POST /v1/carts 201 ") && $0.hasSuffix("ms") })
    #expect(requestLines.contains { $0.hasPrefix("POST /v1/orders 201 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/products 200 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/products 401 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/carts/\(cart.id) 404 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/nowhere 404 ") })
  }
}
