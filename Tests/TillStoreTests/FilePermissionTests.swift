import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// A new SQLite database, its WAL and its new directories are for their owner only.
@Suite("SQLite files are created readable by their owner only")
struct FilePermissionTests {
  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require(attributes[.posixPermissions] as? Int) & 0o777
  }

  @Test func newDatabaseDirectoryAndWALAreOwnerOnly() async throws {
    let root = try TemporaryDirectory.make("till-perm")
    defer { try? FileManager.default.removeItem(at: root) }
    let path = root.appendingPathComponent("shop/till.sqlite").path
    let store = try await SQLiteStore.open(path: path)
    _ = try await store.seedIfEmpty(with: [
      Product(
        sku: "P-1", name: "Thing", category: "Test", price: Money(amount: 100, currency: "EUR"), stock: 1,
        barcode: "1")
    ])
    _ = try await store.createCart(owner: "someone", staff: Fixture.staff)
    #expect(try mode(path) == 0o600)
    #expect(try mode(path + "-wal") == 0o600)
    #expect(try mode(root.appendingPathComponent("shop").path) == 0o700)
    await store.close()
  }
}
