import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// A store that sells, takes payment and knows people: what the staff tests run against.
typealias StaffedStore = any Store & PaymentStore & StaffStore

/// People and moments for the staff tests. PIN hashes are opaque text to the store: the bcrypt work
/// happens in the server, so these stand in for them.
enum StaffFixture {
  static let cashier = "1001"
  static let otherCashier = "1002"
  static let manager = "2001"
  static let terminal = Fixture.terminal
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let idle = Duration.seconds(12 * 3600)
  static let admin = AuditActor.admin

  static func hash(_ code: String, _ version: Int = 1) -> String { "hash-\(code)-v\(version)" }

  static func at(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

  /// A fresh store of `engine` with the fixture catalogue and three people: two cashiers and a manager.
  static func withStaff(_ engine: StoreEngine, _ body: (StaffedStore) async throws -> Void) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { anyStore in
      let store = try #require(anyStore as? StaffedStore, "\(engine) does not implement StaffStore")
      _ = try await store.addStaff(
        code: cashier, name: "Ana", role: .cashier, pinHash: hash(cashier), by: admin)
      _ = try await store.addStaff(
        code: otherCashier, name: "Ben", role: .cashier, pinHash: hash(otherCashier), by: admin)
      _ = try await store.addStaff(
        code: manager, name: "Mia", role: .manager, pinHash: hash(manager), by: admin)
      try await body(store)
    }
  }

  static func credentials(_ store: StaffedStore, _ code: String) async throws -> StaffCredentials {
    try #require(try await store.staffCredentials(code: code))
  }

  /// A session for `code` on the fixture terminal, started at `now`, under `digest`.
  static func signIn(_ store: StaffedStore, _ code: String, digest: String, now: Date = now) async throws
    -> StaffSession
  {
    try await store.startSession(
      tokenDigest: digest, verified: try await credentials(store, code), owner: Fixture.owner,
      terminal: terminal, now: now, idle: idle)
  }

  /// The whole audit trail, newest first.
  static func trail(_ store: StaffedStore) async throws -> [AuditEntry] {
    try await store.audit(limit: 500, after: nil).items
  }

  /// The trail's actions, oldest first, without the three `staff-add` rows of the fixture.
  static func actions(_ store: StaffedStore) async throws -> [String] {
    Array(try await trail(store).reversed().dropFirst(3).map(\.action))
  }
}
