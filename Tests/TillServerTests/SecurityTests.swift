import Foundation
import Logging
import Synchronization
import Testing
import TillCore
import TillTestSupport

@testable import TillServer

@Suite("Tokens, owners and logs")
struct SecurityTests {
  @Test("SHA-256 matches the FIPS 180-4 examples")
  func sha256() {
    #expect(
      SHA256.hex(SHA256.hash(Array("".utf8)))
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(SHA256.hash(Array("abc".utf8)))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
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

/// Everything logged: each message, and its metadata as text.
final class CapturedLog: Sendable {
  private let storage = Mutex<[(message: String, metadata: String)]>([])

  func append(message: String, metadata: String) { storage.withLock { $0.append((message, metadata)) } }
  var entries: [(message: String, metadata: String)] { storage.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
  let log: CapturedLog
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(
    level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
    file: String, function: String, line: UInt
  ) {
    let all = self.metadata.merging(explicit ?? [:]) { $1 }
    let metadataText = all.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
    log.append(message: "\(message)", metadata: metadataText + " source=\(source)")
  }
}
