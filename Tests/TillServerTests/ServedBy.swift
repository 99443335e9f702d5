import Foundation
import Testing
import TillCore
import TillServer
import TillTestSupport

/// How a suite's back end is served: on each engine over plain HTTP, and once (SQLite) over HTTPS with
/// certificates made by `ShopCertificates`, its clients trusting the shop's CA. Suites whose counted
/// results must hold whatever the transport take these as their arguments.
struct ServedBy: Sendable, CustomTestStringConvertible {
  var engine: StoreEngine
  var tls: Bool

  var testDescription: String { tls ? "\(engine.rawValue) over TLS" : engine.rawValue }

  /// Every engine of `StoreEngine.allCases` over HTTP, and SQLite over TLS when SQLite is among them.
  static var all: [ServedBy] {
    StoreEngine.allCases.map { ServedBy(engine: $0, tls: false) }
      + (StoreEngine.allCases.contains(.sqlite) ? [ServedBy(engine: .sqlite, tls: true)] : [])
  }

  /// Runs `start` with fresh certificates for loopback when over TLS (removed afterwards), nil otherwise.
  func withCertificates<T>(_ start: (ShopCertificates.Files?) async throws -> T) async throws -> T {
    guard tls else { return try await start(nil) }
    let directory = try TemporaryDirectory.make("till-served-tls")
    defer { try? FileManager.default.removeItem(at: directory) }
    let made = try ShopCertificates.create(
      hosts: ["localhost", "127.0.0.1"], in: directory.appendingPathComponent("shop").path)
    return try await start(made.files)
  }
}

/// A server as `served` says, stopped after `body`.
func withServer<Result>(
  _ served: ServedBy, products: [Product], _ body: (ServerHarness) async throws -> Result
) async throws -> Result {
  try await served.withCertificates { files in
    try await using(try await ServerHarness.start(served.engine, products: products, tls: files), body)
  }
}
