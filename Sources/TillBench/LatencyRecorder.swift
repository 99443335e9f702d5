import Histogram

/// Latencies of one worker in microseconds (HdrHistogram, 3 significant digits, 1 µs to 60 s), merged
/// into one per scenario run after the workers finish, so recording never takes a lock.
struct LatencyRecorder: Sendable {
  private(set) var histogram = Histogram<UInt64>(
    lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
  private(set) var successes = 0
  private(set) var errors = 0

  /// Records one operation of `elapsed`; a failed one counts as an error and its latency is kept too.
  mutating func record(_ elapsed: Duration, succeeded: Bool) {
    let micros = max(
      1, elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
    _ = histogram.record(UInt64(min(micros, 60_000_000)))
    if succeeded { successes += 1 } else { errors += 1 }
  }

  mutating func merge(_ other: LatencyRecorder) {
    histogram.add(other.histogram)
    successes += other.successes
    errors += other.errors
  }

  /// The latency at `percentile` (0–100) in milliseconds; 0 when nothing was recorded.
  func milliseconds(atPercentile percentile: Double) -> Double {
    histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
  }
}
