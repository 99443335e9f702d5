import Testing

@testable import TillBench

/// HdrHistogram with 3 significant digits: a reported value is within 0.1 % of the exact one (plus the
/// 1 µs resolution).
private func expectWithinPrecision(
  _ reported: Double, _ exactMs: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    abs(reported - exactMs) <= exactMs * 0.001 + 0.001, "reported \(reported) ms, exact \(exactMs) ms",
    sourceLocation: sourceLocation)
}

@Suite struct LatencyRecorderTests {
  @Test func percentilesOfOneToOneThousandMicroseconds() {
    var recorder = LatencyRecorder()
    for micros in 1...1_000 { recorder.record(.microseconds(micros), succeeded: true) }
    #expect(recorder.successes == 1_000)
    #expect(recorder.errors == 0)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 50), 0.5)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99), 0.99)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99.9), 0.999)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 100), 1)
  }

  /// Above 2 048 µs the histogram's buckets are wider than 1 µs: the precision bound is what holds.
  @Test func percentilesOfMillisecondsToASecond() {
    var recorder = LatencyRecorder()
    for index in (1...1_000).reversed() { recorder.record(.microseconds(index * 1_000 + 7), succeeded: true) }
    expectWithinPrecision(recorder.milliseconds(atPercentile: 50), 500.007)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99), 990.007)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99.9), 999.007)
  }

  /// One slow operation in a thousand is the p99.9, not the p99.
  @Test func aRareSlowOperationShowsAtTheTailOnly() {
    var recorder = LatencyRecorder()
    for _ in 1...999 { recorder.record(.microseconds(200), succeeded: true) }
    recorder.record(.milliseconds(50), succeeded: true)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 50), 0.2)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99), 0.2)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99.9), 0.2)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 99.99), 50)
  }

  @Test func failuresCountAsErrorsAndKeepTheirLatency() {
    var recorder = LatencyRecorder()
    recorder.record(.microseconds(100), succeeded: true)
    recorder.record(.milliseconds(30), succeeded: false)
    #expect(recorder.successes == 1)
    #expect(recorder.errors == 1)
    #expect(recorder.histogram.totalCount == 2)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 100), 30)
  }

  @Test func nothingRecordedIsZeroNotACrash() {
    let recorder = LatencyRecorder()
    #expect(recorder.milliseconds(atPercentile: 50) == 0)
    #expect(recorder.milliseconds(atPercentile: 99.9) == 0)
  }

  /// Sub-microsecond operations count as 1 µs; beyond the 60 s range they are clamped, not dropped.
  @Test func outOfRangeDurationsAreClampedAndCounted() {
    var recorder = LatencyRecorder()
    recorder.record(.nanoseconds(10), succeeded: true)
    recorder.record(.zero, succeeded: true)
    recorder.record(.seconds(90), succeeded: true)
    #expect(recorder.histogram.totalCount == 3)
    #expect(recorder.histogram.min == 1)
    expectWithinPrecision(recorder.milliseconds(atPercentile: 100), 60_000)
  }

  @Test func mergingTwoRecordersEqualsRecordingAll() {
    var all = LatencyRecorder()
    var even = LatencyRecorder()
    var odd = LatencyRecorder()
    // A spread over several histogram magnitudes, with some failures.
    for index in 1...5_000 {
      let elapsed = Duration.microseconds((index * 7_919) % 250_000 + 1)
      let succeeded = index % 13 != 0
      all.record(elapsed, succeeded: succeeded)
      if index.isMultiple(of: 2) {
        even.record(elapsed, succeeded: succeeded)
      } else {
        odd.record(elapsed, succeeded: succeeded)
      }
    }
    var merged = LatencyRecorder()
    merged.merge(even)
    merged.merge(odd)
    #expect(merged.successes == all.successes)
    #expect(merged.errors == all.errors)
    #expect(merged.errors == 5_000 / 13)
    #expect(merged.histogram.totalCount == 5_000)
    #expect(merged.histogram == all.histogram)
    for percentile in [0.0, 50, 90, 99, 99.9, 100] {
      #expect(merged.milliseconds(atPercentile: percentile) == all.milliseconds(atPercentile: percentile))
    }
  }
}
