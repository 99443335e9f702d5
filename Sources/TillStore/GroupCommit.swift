import GRDB
import Synchronization

/// Runs write operations on the pool's one writer connection, many to a transaction.
///
/// With `synchronous = FULL` every commit waits for an fsync (measured at 0.2–3.5 ms on this kind of
/// machine, against 0.04 ms for the SQL of a whole order), so one commit per operation caps throughput
/// at a few hundred writes a second however many terminals wait. Here, operations that arrive while a
/// commit is in progress are queued and then run together: `BEGIN IMMEDIATE`, each operation in its
/// own savepoint (so a refused operation rolls back alone and the others stay), one `COMMIT`, and
/// only then is each caller answered. Durability is unchanged: nobody hears "done" before the fsync
/// that covers their change. Operations still run strictly one after another, so each sees the
/// effects of the ones before it exactly as with one transaction each.
final class GroupCommit: Sendable {
  /// A queued operation.
  private struct Job: Sendable {
    /// Runs the operation inside the open transaction; answers how to deliver its own outcome
    /// (its value or its refusal) once the batch has committed.
    var run: @Sendable (Database) -> @Sendable () -> Void
    /// Tells the caller that the batch failed: nothing of it was stored.
    var fail: @Sendable (any Error) -> Void
  }

  private struct Queue {
    var pending: [Job] = []
    var draining = false
  }

  /// Bounds one transaction, so a steady stream of writers still commits (and answers) regularly.
  private static let maxBatch = 256

  private let pool: DatabasePool
  private let queue = Mutex(Queue())
  private let counters = Mutex(WriteStatistics(operations: 0, transactions: 0))

  /// Operations and transactions committed so far.
  var statistics: WriteStatistics { counters.withLock { $0 } }

  /// Where a write that found a batch being committed is counted as a wait.
  private let waits: StoreCounterBox

  init(pool: DatabasePool, counters: StoreCounterBox) {
    self.pool = pool
    self.waits = counters
  }

  /// Runs `body` in a savepoint of the next batch transaction; returns after that transaction commits.
  func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      let run: @Sendable (Database) -> @Sendable () -> Void = { db in
        let outcome: Result<T, any Error>
        do {
          var value: T?
          try db.inSavepoint {
            value = try body(db)
            return .commit
          }
          outcome = value.map { .success($0) } ?? .failure(StoreError.engine("operation produced no result"))
        } catch {
          outcome = .failure(error)
        }
        return { continuation.resume(with: outcome) }
      }
      enqueue(Job(run: run, fail: { continuation.resume(throwing: $0) }))
    }
  }

  private func enqueue(_ job: Job) {
    let startDraining = queue.withLock { queue in
      queue.pending.append(job)
      guard !queue.draining else { return false }
      queue.draining = true
      return true
    }
    if startDraining {
      pool.asyncWriteWithoutTransaction { [self] db in drain(db) }
    } else {
      waits.databaseWait()
    }
  }

  /// Commits batches until the queue is empty; runs on the writer's dispatch queue.
  private func drain(_ db: Database) {
    while true {
      let batch = queue.withLock { queue -> [Job] in
        let batch = Array(queue.pending.prefix(Self.maxBatch))
        queue.pending.removeFirst(batch.count)
        if batch.isEmpty { queue.draining = false }
        return batch
      }
      if batch.isEmpty { return }
      commit(batch, in: db)
    }
  }

  private func commit(_ batch: [Job], in db: Database) {
    var deliveries: [@Sendable () -> Void] = []
    deliveries.reserveCapacity(batch.count)
    do {
      try db.beginTransaction(.immediate)
      for job in batch {
        deliveries.append(job.run(db))
        // An I/O error or a full disk can make SQLite roll back the whole transaction: then the
        // operations before this one are gone too, and the batch must not go on in autocommit mode.
        guard db.isInsideTransaction else {
          throw StoreError.engine("the transaction was rolled back by the database")
        }
      }
      try db.commit()
      counters.withLock {
        $0.operations += batch.count
        $0.transactions += 1
      }
    } catch {
      if db.isInsideTransaction { try? db.rollback() }
      // Every caller of the batch, run or not yet run, hears that nothing of it was stored.
      let failure = StoreError.wrapping(error)
      for job in batch { job.fail(failure) }
      return
    }
    for deliver in deliveries { deliver() }
  }
}

/// How well writes were grouped: `operations / transactions` is the mean batch size.
public struct WriteStatistics: Hashable, Sendable {
  /// Write operations committed (refused ones included: they ran, and answered, in a committed batch).
  public var operations: Int
  /// Commits, each one fsync with `synchronous = FULL`.
  public var transactions: Int
}
