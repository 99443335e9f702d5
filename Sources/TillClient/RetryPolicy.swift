import TillHTTP

/// How often and how patiently a request that is safe to repeat is retried after a transport failure.
///
/// Only requests that cannot apply twice are ever retried: reads, increments (the server applies an
/// `opId` once), order placement (one order per `Idempotency-Key`), payments (one payment per
/// `Idempotency-Key`, never more than the order owes, the card attempt keyed per order) and cancels (a canceled order cannot be canceled again).
public struct RetryPolicy: Sendable, Hashable {
  /// Attempts in total, the first included; 1 disables retries.
  public var maxAttempts: Int
  /// The pause before the first retry; each further retry doubles it, up to `maxBackoff`.
  public var initialBackoff: Duration
  public var maxBackoff: Duration

  public init(
    maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(1)
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.initialBackoff = initialBackoff
    self.maxBackoff = maxBackoff
  }

  /// No retries at all.
  public static let none = RetryPolicy(maxAttempts: 1)

  /// The pause after failed attempt `attempt` (1-based), with up to 20 % random jitter so tills that lost
  /// the server together do not come back in lockstep.
  func backoff(after attempt: Int) -> Duration {
    var pause = initialBackoff
    for _ in 1..<max(1, attempt) where pause < maxBackoff { pause *= 2 }
    pause = min(pause, maxBackoff)
    return pause + pause * Double.random(in: 0...0.2)
  }

  /// Transport failures where the request may simply not have arrived, or its answer was lost.
  /// A bad address or TLS setup will not fix itself, and an oversized answer would come back the same.
  static func isRetryable(_ error: HTTPError) -> Bool {
    switch error {
    case .connectionRefused, .timedOut, .connectionLost: true
    case .nameNotResolved, .tls, .responseTooLarge, .other: false
    }
  }
}
