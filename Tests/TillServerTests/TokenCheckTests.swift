import Foundation
import Testing
import TillCore
import TillTestSupport

@testable import TillServer

/// How a bearer token is read and compared: malformed credentials are refused like a missing token,
/// and only the exact configured token matches, in time that says nothing about near misses.
@Suite("Bearer tokens: reading and comparison")
struct TokenCheckTests {
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
      // A session token that was never issued, or is cut short, is refused the same way.
      let session = try #require(harness.token(for: .cashier))
      for token in ["st-" + String(repeating: "A", count: 43), String(session.dropLast())] {
        let response = try await anonymous.get(
          "/v1/products", headers: [("Authorization", "Bearer \(token)")])
        #expect(response.status == 401)
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
    #expect(
      authenticator.principal(for: token)
        == .terminal(TerminalIdentity(owner: authenticator.ownerID(for: token), name: "till-1")))
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
    // The loop does not stop at the first matching entry: a token configured as both a terminal and the
    // admin is the admin, from the later entry, which an early exit would never reach.
    let both = TokenAuthenticator(
      staffTokens: ["shared", "x"], adminToken: "shared", secret: OwnerSecrets.first)
    #expect(both.principal(for: "shared") == .admin)
  }
}
