import Synchronization

/// How many failed authentications each client address may make, as a token bucket per address: a
/// burst of `burst` failures, then `perSecond` more each second. A till that mistypes nothing never
/// spends from it; a guesser is slowed to `perSecond` guesses a second from one address.
///
/// While an address's bucket is empty, every request from it that needs a token is refused with 429
/// before its token is checked, so a guess made then learns nothing, right or wrong. A till sharing the
/// address is held back too, for about a second after the guessing stops: the price of not telling a
/// guesser when it is right.
public struct FailedAuthBudget: Sendable {
  public struct Settings: Sendable, Equatable {
    /// Failures allowed at once before the address must wait.
    public var burst: Int
    /// Failures allowed each second after the burst.
    public var perSecond: Int
    /// Addresses tracked at most; beyond it the fullest buckets are forgotten first (they hold no debt).
    public var maxAddresses: Int

    public init(burst: Int, perSecond: Int, maxAddresses: Int) {
      self.burst = burst
      self.perSecond = perSecond
      self.maxAddresses = maxAddresses
    }

    public static let standard = Settings(burst: 20, perSecond: 5, maxAddresses: 10_000)
  }

  private struct Bucket {
    var available: Double
    var updated: ContinuousClock.Instant
  }

  let settings: Settings
  private var buckets: [String: Bucket] = [:]

  init(settings: Settings) { self.settings = settings }

  /// How long `address` must wait before a request that needs a token is even looked at, or nil when it
  /// may go ahead.
  mutating func wait(for address: String, at now: ContinuousClock.Instant) -> Duration? {
    guard let bucket = refilled(address, at: now), bucket.available < 1 else { return nil }
    let missing = 1 - bucket.available
    return .milliseconds(Int64((missing / Double(settings.perSecond) * 1000).rounded(.up)))
  }

  /// Spends one failure from `address`'s bucket.
  mutating func recordFailure(from address: String, at now: ContinuousClock.Instant) {
    var bucket = refilled(address, at: now) ?? Bucket(available: Double(settings.burst), updated: now)
    bucket.available = max(0, bucket.available - 1)
    if buckets[address] == nil, buckets.count >= settings.maxAddresses { forgetFullest(at: now) }
    buckets[address] = bucket
  }

  /// The bucket with what has trickled back since it was last touched; a full one is dropped.
  private mutating func refilled(_ address: String, at now: ContinuousClock.Instant) -> Bucket? {
    guard var bucket = buckets[address] else { return nil }
    let seconds = bucket.updated.duration(to: now) / .seconds(1)
    bucket.available = min(Double(settings.burst), bucket.available + seconds * Double(settings.perSecond))
    bucket.updated = now
    if bucket.available >= Double(settings.burst) {
      buckets[address] = nil
      return nil
    }
    buckets[address] = bucket
    return bucket
  }

  private mutating func forgetFullest(at now: ContinuousClock.Instant) {
    for address in Array(buckets.keys) { _ = refilled(address, at: now) }
    while buckets.count >= settings.maxAddresses,
      let fullest = buckets.max(by: { $0.value.available < $1.value.available })?.key
    {
      buckets[fullest] = nil
    }
  }
}

/// The budget shared by every connection of one server.
final class FailedAuthLimiter: Sendable {
  enum Outcome: Sendable, Equatable {
    /// The address must wait this long; the token was not looked at.
    case wait(Duration)
    /// The token is not recognised; the failure is spent from the address's budget.
    case refused
    case accepted(Principal)
  }

  private let budget: Mutex<FailedAuthBudget>

  init(settings: FailedAuthBudget.Settings) { budget = Mutex(FailedAuthBudget(settings: settings)) }

  /// Checks the address's budget, then the token, and spends a failure, all under one lock: guesses sent
  /// at once on many connections cannot all pass the budget check before any of them is counted. The
  /// check is a digest and a comparison, so holding the lock through it costs microseconds.
  func authenticate(from address: String, _ check: () -> Principal?) -> Outcome {
    budget.withLock { budget in
      let now = ContinuousClock.now
      if let wait = budget.wait(for: address, at: now) { return .wait(wait) }
      guard let principal = check() else {
        budget.recordFailure(from: address, at: now)
        return .refused
      }
      return .accepted(principal)
    }
  }

  /// Spends one failure of `address` for a token checked outside the lock (a staff session token, looked
  /// up in the database). Such tokens carry 256 random bits, so the few guesses that pass the budget
  /// check together before any of them is counted learn nothing.
  func recordFailure(from address: String) {
    budget.withLock { $0.recordFailure(from: address, at: .now) }
  }

  /// The wait of an address that sent no token at all (not a guess, so nothing is spent).
  func wait(for address: String) -> Duration? {
    budget.withLock { $0.wait(for: address, at: .now) }
  }
}
