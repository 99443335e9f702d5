import Testing

@testable import TillTUI

/// Telling a scanner's burst from a person's keys, by the time between keys.
@Suite("runtime: scan detector")
struct ScanDetectorTests {
  let start = ContinuousClock.now

  func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

  func feed(_ detector: inout ScanDetector, _ keys: [(Key, Int)]) -> [TerminalEvent] {
    keys.flatMap { detector.feed($0.0, at: at($0.1)) }
  }

  func digits(_ text: String, from: Int, every: Int) -> [(Key, Int)] {
    text.enumerated().map { (Key.character($1), from + $0 * every) }
  }

  @Test func aFastBurstEndingInEnterIsOneScan() {
    var detector = ScanDetector()
    let events = feed(&detector, digits("4012802137743", from: 0, every: 2) + [(.enter, 26)])
    #expect(events == [.scan("4012802137743")])
    #expect(!detector.isHolding)
  }

  @Test func digitsTypedAtAPersonsPaceStayKeys() {
    var detector = ScanDetector()
    let events = feed(&detector, digits("2000", from: 0, every: 120) + [(.enter, 480)])
    #expect(
      events == [
        .key(.character("2")), .key(.character("0")), .key(.character("0")), .key(.character("0")),
        .key(.enter),
      ])
    #expect(detector.flush(at: at(520)) == [], "nothing is left held")
  }

  @Test func heldDigitsAreReleasedOnceTheGapHasPassed() {
    var detector = ScanDetector()
    #expect(detector.feed(.character("1"), at: at(0)).isEmpty, "a digit waits to see what follows")
    #expect(detector.flush(at: at(20)).isEmpty)
    #expect(detector.flush(at: at(31)) == [.key(.character("1"))])
  }

  @Test func aShortCodeIsNotAScan() {
    var detector = ScanDetector()
    #expect(
      feed(&detector, digits("20", from: 0, every: 1) + [(.enter, 3)]) == [
        .key(.character("2")), .key(.character("0")), .key(.enter),
      ])
  }

  @Test func aPauseInsideABurstSplitsIt() {
    var detector = ScanDetector()
    let events = feed(
      &detector, digits("12", from: 0, every: 1) + digits("34567", from: 100, every: 1) + [(.enter, 106)])
    #expect(events == [.key(.character("1")), .key(.character("2")), .scan("34567")])
  }

  @Test func anotherKeyReleasesTheDigitsBeforeIt() {
    var detector = ScanDetector()
    let events = feed(&detector, digits("3", from: 0, every: 1) + [(.character("*"), 2)])
    #expect(events == [.key(.character("3")), .key(.character("*"))])
  }

  @Test func theGapIsASetting() {
    var detector = ScanDetector(maximumGap: .milliseconds(100))
    #expect(feed(&detector, digits("12345", from: 0, every: 80) + [(.enter, 400)]) == [.scan("12345")])
  }
}
