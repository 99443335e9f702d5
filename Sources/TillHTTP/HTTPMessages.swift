/// One HTTP request, relative to a connection's base URL.
public struct HTTPRequest: Sendable {
  /// "GET", "POST", ...
  public var method: String
  /// Appended to the connection's base URL, e.g. "/v1/products?q=caf".
  public var path: String
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]?
  /// Whether sending the request twice does no harm (true by default). libcurl silently sends a request
  /// again when a reused kept-alive connection dies before any answer arrives, which could apply a write
  /// twice; a request marked `false` therefore always goes out on a fresh TCP connection, where libcurl
  /// never resends: the caller gets `connectionLost` instead and decides.
  public var isIdempotent: Bool

  public init(
    method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
    isIdempotent: Bool = true
  ) {
    self.method = method
    self.path = path
    self.headers = headers
    self.body = body
    self.isIdempotent = isIdempotent
  }
}

/// A complete HTTP response. Any status (404, 500, ...) is a response, not an error.
public struct HTTPResponse: Sendable {
  public var status: Int
  /// Names lower-cased; the last value of a repeated header wins.
  public var headers: [String: String]
  public var body: [UInt8]
  /// The client-side TCP port of the connection that carried the request: equal ports on consecutive
  /// requests of one connection mean the TCP connection was reused.
  public var localPort: Int?
  /// How many new TCP connections libcurl opened to serve this request (0 when an idle one was reused).
  public var newConnections: Int

  public init(
    status: Int, headers: [String: String] = [:], body: [UInt8] = [], localPort: Int? = nil,
    newConnections: Int = 0
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.localPort = localPort
    self.newConnections = newConnections
  }

  /// The value of a header, by case-insensitive name.
  public func header(_ name: String) -> String? {
    headers[name.lowercased()]
  }
}
