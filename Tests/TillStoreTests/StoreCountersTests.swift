import Foundation
import Synchronization
import Testing
import TillCore
import TillTestSupport

@testable import TillStore

/// What a store counts for the back end's metrics, on every engine: increments applied and replayed
/// once committed (refusals not at all), and the operations that had to wait for the database.
@Suite("Store counters")
struct StoreCountersTests {
  @Test(arguments: StoreEngine.allCases)
  func incrementsAndWaitsAreCountedExactly(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Fixture.catalogue) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      let start = store.counters
      func increment(_ opId: String, _ sku: String = "BAK-001") async -> Result<Cart, StoreError> {
        await outcome { () async throws(StoreError) in
          try await store.applyIncrement(
            IncrementRequest(sku: sku, delta: 1, opId: opId), cartId: cart.id, owner: Fixture.owner)
        }
      }
      _ = try await increment("a").get()
      _ = try await increment("a").get()
      #expect(await increment("b", "NOPE-1") == .failure(.notFound(what: "product")))
      var counted = store.counters
      #expect(counted.incrementsApplied - start.incrementsApplied == 1)
      #expect(counted.incrementsReplayed - start.incrementsReplayed == 1, "a refusal counts as neither")

      // The database held busy (the SQLite writer, or every pooled PostgreSQL connection) while three
      // increments arrive: each of them waits, and nothing else does. The holders let go only once the
      // three have been counted, so no timing decides the outcome.
      let gate = Gate()
      let (holders, holding) = try Self.holdBusy(store, until: gate)
      try await eventually(within: .seconds(10), "the holders never took the database") {
        gate.started.withLock { $0 } == holding
      }
      counted = store.counters
      async let first = increment("c")
      async let second = increment("d")
      async let third = increment("e")
      try await eventually(within: .seconds(10), "the increments never waited") {
        store.counters.databaseWaits - counted.databaseWaits == 3
      }
      gate.released.withLock { $0 = true }
      let results = await [first, second, third]
      try await holders.value
      #expect(results.allSatisfy { (try? $0.get()) != nil })
      #expect(store.counters.databaseWaits - counted.databaseWaits == 3)
      #expect(store.counters.incrementsApplied - counted.incrementsApplied == 3)
    }
  }

  final class Gate: Sendable {
    let started = Mutex(0)
    let released = Mutex(false)
  }

  /// Keeps `store`'s database busy until `gate` is released: the SQLite writer with one write, or each
  /// of the pool's PostgreSQL connections with a lease; answers the task and how many hold it.
  static func holdBusy(_ store: any Store, until gate: Gate) throws -> (Task<Void, any Error>, Int) {
    if let sqlite = store as? SQLiteStore {
      let task = Task {
        _ = try await sqlite.write { _ in
          gate.started.withLock { $0 += 1 }
          while !gate.released.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.005) }
        }
      }
      return (task, 1)
    }
    guard let postgres = store as? PostgresStore else { throw StoreError.engine("unknown engine") }
    let task = Task {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<postgres.leases.capacity {
          group.addTask {
            try await postgres.withConnection { _ in
              gate.started.withLock { $0 += 1 }
              while !gate.released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            }
          }
        }
        try await group.waitForAll()
      }
    }
    return (task, postgres.leases.capacity)
  }
}
