/// Tells a barcode scanner from a person: a scanner types a code's digits and Enter in one fast burst,
/// faster than anyone types. Such a burst becomes one `.scan` event, so its digits can never be read as
/// menu keys or an amount; anything slower is delivered as the keys it was.
///
/// Digits are held until the next key or until `maximumGap` has passed without one, so a person's digit
/// reaches the program one gap late (30 ms by default, far below what a person notices).
public struct ScanDetector: Sendable {
  /// The longest pause between two keys of one scan.
  public var maximumGap: Duration
  /// The fewest digits a scan has (a person cannot type this many within the gaps by accident).
  public var minimumLength: Int

  private var digits: [Character] = []
  private var lastKeyAt: ContinuousClock.Instant?

  public static let defaultGap = Duration.milliseconds(30)

  public init(maximumGap: Duration = ScanDetector.defaultGap, minimumLength: Int = 4) {
    self.maximumGap = maximumGap
    self.minimumLength = max(1, minimumLength)
  }

  /// Takes a key read at `time`; answers the events to deliver now, in order.
  public mutating func feed(_ key: Key, at time: ContinuousClock.Instant) -> [TerminalEvent] {
    var events = flush(at: time)
    if case .character(let character) = key, character.isASCII, character.isNumber {
      digits.append(character)
      lastKeyAt = time
      return events
    }
    if key == .enter, digits.count >= minimumLength {
      events.append(.scan(String(digits)))
      digits = []
      return events
    }
    events += releaseDigits()
    events.append(.key(key))
    return events
  }

  /// Delivers held digits as keys once the gap has passed with no key after them.
  public mutating func flush(at time: ContinuousClock.Instant) -> [TerminalEvent] {
    guard let lastKeyAt, !digits.isEmpty, time - lastKeyAt > maximumGap else { return [] }
    return releaseDigits()
  }

  /// Delivers held digits as keys now (the terminal is stopping).
  public mutating func releaseDigits() -> [TerminalEvent] {
    defer { digits = [] }
    return digits.map { .key(.character($0)) }
  }

  /// Whether digits are held, waiting to learn whether they are a scan.
  public var isHolding: Bool { !digits.isEmpty }
}
