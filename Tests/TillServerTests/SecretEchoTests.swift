import Foundation
import Testing
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Secrets given to `till-server` never come back out: not in a start-up refusal, not in its log.
@Suite("till-server never echoes a secret")
struct SecretEchoTests {
  static let secret = "Pa55-never-printed-7f3a"

  @Test(
    "a URL that does not parse is refused without its password",
    arguments: [
      "postgres://till:\(secret)@db:54x32/till", "postgresql://till:\(secret)@/till",
      "postgres://till:\(secret)@db:5432/",
    ])
  func badDatabaseURL(url: String) async throws {
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--staff-token", "a-staff-token-long-enough-1234", "--database", url,
    ])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    #expect(!server.log.isEmpty, "it says why")
    #expect(!server.log.contains(Self.secret), "\(server.log)")
  }

  @Test("a payment provider URL with credentials is logged without them, at every level")
  func providerURLInTheLog() async throws {
    let directory = try TemporaryDirectory.make("till-secret")
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--staff-token", "a-staff-token-long-enough-1234",
      "--database", directory.appendingPathComponent("till.sqlite").path, "--log-level", "trace",
      "--payment-provider", "http://shop:\(Self.secret)@127.0.0.1:9/", "--payment-shop-id", "shop",
      "--payment-secret-key", Self.secret,
    ])
    defer { server.terminate() }
    let port = try await server.port()
    #expect(port != nil, "it started: \(server.log)")
    server.signal(SIGTERM)
    _ = try await server.exitStatus()
    #expect(server.log.contains("card payments via http://shop:***@127.0.0.1:9"), "\(server.log)")
    #expect(!server.log.contains(Self.secret), "\(server.log)")
  }
}
