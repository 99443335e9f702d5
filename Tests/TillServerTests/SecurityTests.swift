import Foundation
import Logging
import Testing
import TillCore
import TillTestSupport

@testable import TillServer

@Suite("Tokens, owners and logs")
struct SecurityTests {
  /// Owner ids recorded by earlier versions (their own SHA-256; `printf 'till.bearer-token.v1:boss' |
  /// sha256sum` agrees): a database written by them must still belong to the same tokens.
  @Test(
    "a token maps to the owner id databases already hold",
    arguments: [
      ("staff-token-1", "o-273c444a6fdbbffa338ddf94f3b08655ecde9de0eb4a4f5741a641bbdc372138"),
      ("boss", "o-4986044e791d542bbd251b856a4a94857c3ca02a86ef9f3339742f84754369db"),
      ("Ünïcødé-tøken", "o-59ff82644921db7ca89b03eb981522ce231df193604a30172392fdbf6bebc060"),
    ])
  func ownerIdsAreUnchanged(token: String, owner: String) {
    #expect(TokenAuthenticator.ownerID(for: token) == owner)
    let authenticator = TokenAuthenticator(staffTokens: [token], adminToken: nil)
    #expect(authenticator.principal(for: token)?.owner == owner)
  }

  @Test("tokens map to roles and stable opaque owners")
  func authenticator() {
    let authenticator = TokenAuthenticator(staffTokens: ["staff-a", "staff-b"], adminToken: "boss")
    let a = authenticator.principal(for: "staff-a")
    #expect(a?.role == .staff)
    #expect(authenticator.principal(for: "staff-b")?.role == .staff)
    #expect(authenticator.principal(for: "boss")?.role == .admin)
    #expect(authenticator.principal(for: "staff-") == nil)
    #expect(authenticator.principal(for: "staff-aa") == nil)
    #expect(authenticator.principal(for: "") == nil)
    // The owner is the same for the same token across instances (it is stored), differs between tokens,
    // and does not contain the token.
    #expect(
      a?.owner
        == TokenAuthenticator(staffTokens: ["staff-a"], adminToken: nil).principal(for: "staff-a")?.owner)
    #expect(a?.owner != authenticator.principal(for: "staff-b")?.owner)
    #expect(a?.owner.contains("staff-a") == false)
    #expect(AuthMiddleware.bearerToken("Bearer abc") == "abc")
    #expect(AuthMiddleware.bearerToken("bearer  abc ") == "abc")
    #expect(AuthMiddleware.bearerToken("Basic abc") == nil)
    #expect(AuthMiddleware.bearerToken("Bearer") == nil)
  }

  @Test("the server refuses to start without a staff token")
  func noStaffToken() throws {
    #expect(throws: ServerConfigurationError.noStaffToken) {
      _ = try ServerConfiguration(port: 0, staffTokens: ["", ""], adminToken: "boss").validated()
    }
    #expect(throws: ServerConfigurationError.invalidToken) {
      _ = try ServerConfiguration(port: 0, staffTokens: ["with space"]).validated()
    }
  }

  @Test("one token cannot be both a staff token and the admin token")
  func sharedAdminToken() throws {
    #expect(throws: ServerConfigurationError.sharedAdminToken) {
      _ = try ServerConfiguration(
        port: 0, staffTokens: ["till-a", "shared-token"], adminToken: "shared-token"
      )
      .validated()
    }
    #expect(
      ServerConfigurationError.sharedAdminToken.description
        == "the admin token must differ from every staff token")
    let distinct = try ServerConfiguration(port: 0, staffTokens: ["till-a"], adminToken: "boss").validated()
    #expect(distinct.adminToken == "boss")
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
      _ = try await harness.client(token: ServerHarness.otherStaffToken).get("/v1/carts/\(cart.id)")
      _ = try await staff.get("/v1/nowhere")
      await harness.stop()
    } catch {
      await harness.stop()
      throw error
    }
    let lines = captured.entries.map { $0.message + " " + $0.metadata }
    for secret in [
      ServerHarness.staffToken, ServerHarness.otherStaffToken, ServerHarness.adminToken, "wrong-token-xyz",
    ] {
      #expect(!lines.contains { $0.contains(secret) }, "token \(secret) was logged")
    }
    #expect(!lines.contains { $0.lowercased().contains("authorization") })
    let requestLines = captured.entries.map(\.message).filter { $0.contains(" /v1/") }
    #expect(requestLines.count == 7)
    #expect(requestLines.contains { $0.hasPrefix("POST /v1/carts 201 ") && $0.hasSuffix("ms") })
    #expect(requestLines.contains { $0.hasPrefix("POST /v1/orders 201 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/products 200 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/products 401 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/carts/\(cart.id) 404 ") })
    #expect(requestLines.contains { $0.hasPrefix("GET /v1/nowhere 404 ") })
  }
}
