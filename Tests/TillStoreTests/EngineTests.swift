import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Engines: durability settings and persistence")
struct EngineTests {
  @Test func sqliteWriterIsDurable() async throws {
    let store = try #require(try await makeTestStore(.sqlite, products: []) as? SQLiteStore)
    let settings = try await store.writerSettings()
    await disposeTestStore(store)
    #expect(settings.journalMode == "wal")
    #expect(settings.synchronous == 2, "synchronous must be FULL (2)")
    #expect(settings.foreignKeys)
  }

  @Test func sqliteGroupsConcurrentWritesIntoFewerCommits() async throws {
    let products = Fixture.stocked(1, stock: 10)
    let store = try #require(try await makeTestStore(.sqlite, products: products) as? SQLiteStore)
    let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
    let before = store.writeStatistics
    let refused = await withTaskGroup(of: Bool.self) { group in
      for index in 0..<300 {
        group.addTask {
          // Every third operation is refused (unknown product): it must not undo its batch-mates.
          let sku = index % 3 == 0 ? "NOPE-\(index)" : products[0].sku
          let result = await outcome { () async throws(StoreError) in
            try await store.applyIncrement(
              IncrementRequest(sku: sku, delta: 1, opId: "op-\(index)"), cartId: cart.id, owner: Fixture.owner
            )
          }
          return (try? result.get()) == nil
        }
      }
      return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    let after = store.writeStatistics
    let final = try await store.cart(id: cart.id, owner: Fixture.owner)
    await disposeTestStore(store)
    #expect(refused == 100)
    #expect(final.lines.map(\.quantity) == [200])
    #expect(after.operations - before.operations == 300)
    #expect(after.transactions - before.transactions < 300)
  }

  @Test(arguments: StoreEngine.allCases)
  func dataSurvivesCloseAndReopen(engine: StoreEngine) async throws {
    let first = try await makeTestStore(engine, products: Fixture.catalogue)
    let cart = try await first.cart(with: [("COF-001", 2)])
    let open = try await first.cart(with: [("BAK-001", 1)])
    let placed = try await first.placeOrder(
      cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "persist")
    _ = try await first.adjustStock(sku: "BAK-002", delta: 5, reason: "delivery", by: .admin)

    let store = try await reopenTestStore(first)
    do {
      #expect(try await store.order(id: placed.order.id, owner: Fixture.owner) == placed.order)
      #expect(try await store.stock(of: "COF-001") == 98)
      #expect(try await store.stock(of: "BAK-002") == 105)
      #expect(try await store.cart(id: open.id, owner: Fixture.owner) == open)
      // Seeding again does nothing, and the key still replays.
      #expect(try await store.seedIfEmpty(with: Fixture.catalogue) == 0)
      let replay = try await store.placeOrder(
        cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "persist")
      #expect(replay.replayed && replay.order == placed.order)
      // Numbering continues after a restart.
      let next = try await store.placeOrder(
        cartId: open.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "after")
      #expect(next.order.number == 2)
    } catch {
      await disposeTestStore(store)
      throw error
    }
    await disposeTestStore(store)
  }
}
