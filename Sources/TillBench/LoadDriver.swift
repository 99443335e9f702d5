/// What one operation of a scenario came to.
enum OperationResult: Sendable {
  case succeeded
  case failed
  /// The scenario has no more work for this worker (a bounded resource ran out): the worker stops.
  case exhausted
}

/// The figures of one scenario at one client count.
struct Measurement: Sendable {
  var recorder: LatencyRecorder
  /// Wall time of the timed part only (for phased scenarios, the sum of the timed phases).
  var elapsed: Duration

  var throughput: Double {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return seconds > 0 ? Double(recorder.successes) / seconds : 0
  }
}

/// Closed-loop load: `clients` workers, each sending its next request as soon as the previous answered.
///
/// Each worker is one task with its own connection (the scenario's `operation` picks it by worker index);
/// latencies go into a per-worker recorder merged at the end. Every run is bounded by `duration` and by
/// `maxOperations` in total.
enum LoadDriver {
  static let maxOperations = 5_000_000

  /// Every operation is timed. `operation(worker, iteration)`.
  static func closedLoop(
    clients: Int, duration: Duration,
    operation: @escaping @Sendable (Int, Int) async -> OperationResult
  ) async -> Measurement {
    let issued = Counter()
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + duration
    let recorder = await withTaskGroup(of: LatencyRecorder.self) { group in
      for worker in 0..<clients {
        group.addTask {
          var local = LatencyRecorder()
          var iteration = 0
          while clock.now < deadline {
            guard issued.next() < maxOperations else { break }
            let before = clock.now
            let result = await operation(worker, iteration)
            if case .exhausted = result { break }
            local.record(clock.now - before, succeeded: result == .succeeded)
            iteration += 1
          }
          return local
        }
      }
      var total = LatencyRecorder()
      for await partial in group { total.merge(partial) }
      return total
    }
    return Measurement(recorder: recorder, elapsed: clock.now - start)
  }

  /// Load whose operations need untimed preparation (a filled cart before an order is placed).
  ///
  /// Runs in phases: every worker prepares a batch (untimed, all at once), then all place their batch
  /// together (timed). The batch size is sized from the previous phase's rate to fill `duration`, so
  /// only the timed parts add up to about `duration`; preparation time is not in the throughput.
  static func phased<Item: Sendable>(
    clients: Int, duration: Duration, firstBatch: Int,
    prepare: @escaping @Sendable (Int, Int) async -> [Item],
    operation: @escaping @Sendable (Int, Item) async -> OperationResult
  ) async -> Measurement {
    let clock = ContinuousClock()
    var total = LatencyRecorder()
    var timed = Duration.zero
    var batch = firstBatch
    var phases = 0
    while timed < duration, phases < 20, total.successes + total.errors < maxOperations {
      phases += 1
      let size = batch
      let items = await withTaskGroup(of: (Int, [Item]).self) { group in
        for worker in 0..<clients { group.addTask { (worker, await prepare(worker, size)) } }
        var byWorker = [[Item]](repeating: [], count: clients)
        for await (worker, prepared) in group { byWorker[worker] = prepared }
        return byWorker
      }
      guard items.contains(where: { !$0.isEmpty }) else { break }
      let remaining = duration - timed
      let start = clock.now
      let deadline = start + remaining + .milliseconds(200)
      let phase = await withTaskGroup(of: LatencyRecorder.self) { group in
        for worker in 0..<clients {
          group.addTask {
            var local = LatencyRecorder()
            for item in items[worker] where clock.now < deadline {
              let before = clock.now
              let result = await operation(worker, item)
              if case .exhausted = result { break }
              local.record(clock.now - before, succeeded: result == .succeeded)
            }
            return local
          }
        }
        var merged = LatencyRecorder()
        for await partial in group { merged.merge(partial) }
        return merged
      }
      let phaseTime = clock.now - start
      timed += phaseTime
      total.merge(phase)
      // Size the next batch to fill the remaining time at this phase's rate per worker.
      let perWorkerRate = Double(phase.successes + phase.errors) / Double(clients) / seconds(phaseTime)
      let left = seconds(duration - timed)
      batch = min(2_000, max(2, Int(perWorkerRate * left * 1.05) + 1))
    }
    return Measurement(recorder: total, elapsed: timed)
  }

  static func seconds(_ duration: Duration) -> Double {
    max(1e-9, Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
  }
}
