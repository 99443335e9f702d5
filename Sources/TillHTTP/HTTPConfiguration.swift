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
  /// For HTTPS: the PEM file of the certificate authorities a server's certificate must chain to (the
  /// shop's CA); nil: the system's trust store. The chain, the dates and the host name are always
  /// checked: there is no switch to turn verification off.
  public var caCertificatePath: String?
  /// For HTTPS, on top of that check: the server's public key must be this one (libcurl's
  /// `sha256//<base64 of the SHA-256 of its SubjectPublicKeyInfo>`, `;`-separated for several).
  public var pinnedPublicKey: String?
  /// The proxy calls go through (the card provider may sit behind the shop's proxy:
  /// `HTTPProxy.fromEnvironment`); loopback addresses are always reached directly. nil: every request
  /// goes straight to its address, whatever the environment says (the tills' back end).
  public var proxy: HTTPProxy?

  public init(
    connectTimeout: Duration = .seconds(2), requestTimeout: Duration = .seconds(10),
    maxResponseBytes: Int = 16 << 20, reusesConnections: Bool = true, caCertificatePath: String? = nil,
    pinnedPublicKey: String? = nil, proxy: HTTPProxy? = nil
  ) {
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.maxResponseBytes = maxResponseBytes
    self.reusesConnections = reusesConnections
    self.caCertificatePath = caCertificatePath
    self.pinnedPublicKey = pinnedPublicKey
    self.proxy = proxy
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
