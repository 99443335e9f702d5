/// Timeouts and limits of one HTTP connection or client.
///
/// The defaults suit a back end on loopback or a LAN: a connect that takes more than two seconds means the
/// back end is down, and no request of this API legitimately takes ten.
public struct HTTPConfiguration: Sendable, Hashable {
  /// Longest wait for the TCP (and TLS) connection to be established.
  public var connectTimeout: Duration
  /// Longest a whole request may take, connect included.
  public var requestTimeout: Duration
  /// Largest response body accepted; a larger one fails with `HTTPError.responseTooLarge`.
  public var maxResponseBytes: Int
  /// Whether a connection is kept alive and reused for the next request (the default). `false` opens a
  /// new TCP connection for every request; it exists to measure what keep-alive saves.
  public var reusesConnections: Bool

  public init(
    connectTimeout: Duration = .seconds(2), requestTimeout: Duration = .seconds(10),
    maxResponseBytes: Int = 16 << 20, reusesConnections: Bool = true
  ) {
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.maxResponseBytes = maxResponseBytes
    self.reusesConnections = reusesConnections
  }
}

extension Duration {
  /// Whole milliseconds, rounded up so a tiny positive timeout never becomes libcurl's "no timeout" (0).
  var wholeMilliseconds: Int {
    let (seconds, attoseconds) = components
    let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return max(1, Int(clamping: millis))
  }
}
