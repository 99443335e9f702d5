import Synchronization

/// What a store counts of its own work since it was opened, for the back end's metrics.
public struct StoreCounters: Sendable, Hashable {
  /// Increments that changed a cart, and increments answered from an earlier application of their
  /// `opId`; each counted once its transaction committed.
  public var incrementsApplied = 0
  public var incrementsReplayed = 0
  /// Operations that found the database busy and had to wait: on SQLite, writes queued behind the
  /// batch the writer was committing; on PostgreSQL, operations that asked for a connection while
  /// every connection of the pool was lent out.
  public var databaseWaits = 0

  public init(incrementsApplied: Int = 0, incrementsReplayed: Int = 0, databaseWaits: Int = 0) {
    self.incrementsApplied = incrementsApplied
    self.incrementsReplayed = incrementsReplayed
    self.databaseWaits = databaseWaits
  }
}

/// The counters behind `Store.counters`, safe to bump from any task.
final class StoreCounterBox: Sendable {
  private let counters = Mutex(StoreCounters())

  var value: StoreCounters { counters.withLock { $0 } }

  /// One increment whose transaction committed: applied, or answered as a replay.
  func increment(replayed: Bool) {
    counters.withLock { counters in
      if replayed { counters.incrementsReplayed += 1 } else { counters.incrementsApplied += 1 }
    }
  }

  func databaseWait() {
    counters.withLock { $0.databaseWaits += 1 }
  }
}

/// Connections lent out of a pool of `capacity`, to count the operations that had to wait for one.
final class LeaseCounter: Sendable {
  let capacity: Int
  private let lent = Mutex(0)
  private let counters: StoreCounterBox

  init(capacity: Int, counters: StoreCounterBox) {
    self.capacity = capacity
    self.counters = counters
  }

  /// Runs `body` as one lease: counted as a wait when every connection was lent out when it asked.
  func lease<T>(_ body: () async throws -> T) async rethrows -> T {
    let waits = lent.withLock { lent in
      defer { lent += 1 }
      return lent >= capacity
    }
    if waits { counters.databaseWait() }
    defer { lent.withLock { $0 -= 1 } }
    return try await body()
  }
}
