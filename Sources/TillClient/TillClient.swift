import Foundation
import Synchronization
import TillCore
import TillHTTP

/// The typed client of the Till API (v1): one method per route, JSON in and out, problems as
/// `TillClientError`, and retries only where a repeat cannot apply anything twice.
///
/// ```swift
/// let client = TillClient(baseURL: "http://127.0.0.1:8080", token: "till-1-9f04c2b7e1a85d3602bc7e4f")
/// let cart = try await client.createCart()
/// _ = try await client.increment(cartId: cart.id, sku: "COF-001", delta: 2)
/// let order = try await client.placeOrder(cartId: cart.id)
/// ```
///
/// Requests travel over a small pool of kept-alive libcurl connections (`HTTPClient`), so a till talks to
/// its back end over one TCP connection in the common, sequential case.
public final class TillClient: Sendable {
  /// Transport and retry settings; the server URL and token are arguments of `init`.
  public struct Configuration: Sendable, Hashable {
    /// Longest wait for the TCP connection; a back end that is down is reported after this at most.
    public var connectTimeout: Duration
    /// Longest one attempt of a request may take.
    public var requestTimeout: Duration
    /// Retries of requests that are safe to repeat (see `RetryPolicy`).
    public var retry: RetryPolicy
    /// Most TCP connections used at once (only concurrent calls need more than one).
    public var maxConnections: Int
    /// Largest answer accepted.
    public var maxResponseBytes: Int
    /// Reuse kept-alive connections (the default); `false` opens one per request, for measurements.
    public var reusesConnections: Bool
    /// HTTPS: the shop's CA file and, optionally, the server key's pin (see `HTTPConfiguration`).
    public var caCertificatePath: String?
    public var pinnedPublicKey: String?

    public init(
      connectTimeout: Duration = .seconds(2), requestTimeout: Duration = .seconds(10),
      retry: RetryPolicy = RetryPolicy(), maxConnections: Int = 2, maxResponseBytes: Int = 16 << 20,
      reusesConnections: Bool = true, caCertificatePath: String? = nil, pinnedPublicKey: String? = nil
    ) {
      self.caCertificatePath = caCertificatePath
      self.pinnedPublicKey = pinnedPublicKey
      self.connectTimeout = connectTimeout
      self.requestTimeout = requestTimeout
      self.retry = retry
      self.maxConnections = maxConnections
      self.maxResponseBytes = maxResponseBytes
      self.reusesConnections = reusesConnections
    }

    var http: HTTPConfiguration {
      HTTPConfiguration(
        connectTimeout: connectTimeout, requestTimeout: requestTimeout, maxResponseBytes: maxResponseBytes,
        reusesConnections: reusesConnections, caCertificatePath: caCertificatePath,
        pinnedPublicKey: pinnedPublicKey)
    }
  }

  /// The server's base URL, e.g. "http://127.0.0.1:8080".
  public let baseURL: String
  public let configuration: Configuration
  /// The terminal's token: identifies this till; signs staff in, and reads the catalogue while nobody is.
  let token: String
  /// The signed-in person's session token, sent instead of the terminal's while there is one.
  let session = Mutex<String?>(nil)
  let http: HTTPClient
  private let retriesMade = Atomic<Int>(0)

  public init(baseURL: String, token: String, configuration: Configuration = Configuration()) {
    self.baseURL = baseURL
    self.token = token
    self.configuration = configuration
    self.http = HTTPClient(
      baseURL: baseURL, configuration: configuration.http, maxConnections: configuration.maxConnections)
  }

  /// TCP connections opened so far (grows only up to `maxConnections` while connections stay alive).
  public var connectionCount: Int { http.connectionCount }

  /// How many times a request was sent again after a transport failure (for tests and diagnostics).
  public var retryCount: Int { retriesMade.load(ordering: .relaxed) }

  /// A fresh operation id for an increment: "op-" and a random UUID, valid for `Identifiers`.
  public static func makeOperationID() -> String { "op-" + UUID().uuidString.lowercased() }

  /// A fresh `Idempotency-Key` for one checkout attempt.
  public static func makeIdempotencyKey() -> String { "order-" + UUID().uuidString.lowercased() }

  /// A fresh `Idempotency-Key` for one payment request (a part of a split tender, or all that is due).
  public static func makePaymentKey() -> String { "pay-" + UUID().uuidString.lowercased() }
}

// MARK: - Sending

extension TillClient {
  /// Whether a request may be sent again after a transport failure.
  enum Repeatability {
    /// Reads, and writes the server applies once per opId or key.
    case safe
    /// A write that could apply twice (new cart, stock adjustment): sent once.
    case once
  }

  /// Sends one API request with the bearer token, retrying per `configuration.retry` when repeatable,
  /// and returns the successful response (2xx) or throws the mapped error.
  func send(
    _ method: String, _ path: String, body: [UInt8]? = nil, headers: [(name: String, value: String)] = [],
    repeatability: Repeatability, authenticated: Bool = true
  ) async throws(TillClientError) -> HTTPResponse {
    let outcome = await attempt(
      method, path, body: body, headers: headers, repeatability: repeatability, authenticated: authenticated)
    return try outcome.result.get()
  }

  /// What `send` does, also telling how many attempts it took: an error after a retry may be the echo of
  /// an earlier attempt that did apply (its answer was lost), which `pay` and `cancelOrder` recognise.
  func attempt(
    _ method: String, _ path: String, body: [UInt8]? = nil, headers: [(name: String, value: String)] = [],
    repeatability: Repeatability, authenticated: Bool = true
  ) async -> (result: Result<HTTPResponse, TillClientError>, attempts: Int) {
    // JSON unless the caller asks for another representation (a receipt's text or printer bytes).
    let asksOwnFormat = headers.contains { $0.name.lowercased() == "accept" }
    var fields: [(name: String, value: String)] = asksOwnFormat ? [] : [("Accept", "application/json")]
    let sessionToken = authenticated ? session.withLock { $0 } : nil
    if authenticated { fields.append(("Authorization", "Bearer \(sessionToken ?? token)")) }
    if body != nil { fields.append(("Content-Type", "application/json")) }
    fields += headers
    let request = HTTPRequest(
      method: method, path: path, headers: fields, body: body, isIdempotent: repeatability == .safe)
    let attempts = repeatability == .safe ? configuration.retry.maxAttempts : 1
    var attempt = 1
    while true {
      let failure: TillClientError
      switch await Self.result(of: http, request) {
      case .success(let response):
        if (200..<300).contains(response.status) { return (.success(response), attempt) }
        if response.status == 401, let sessionToken {
          // The server no longer knows the session this request went out with (signed out elsewhere,
          // expired, disabled). It ends the client's session only if that is still the one held; a late
          // answer for a person who has since been replaced says nothing about the current one.
          guard endSession(sentWith: sessionToken) else { return (.failure(.staleSession), attempt) }
          return (.failure(.sessionEnded), attempt)
        }
        failure = Self.error(for: response)
        // 503 and "same key still in flight" are answers that say "come back shortly".
        guard Self.isTransient(response, failure), attempt < attempts else {
          return (.failure(failure), attempt)
        }
      case .failure(let error):
        failure = .transport(error)
        guard RetryPolicy.isRetryable(error), attempt < attempts else { return (.failure(failure), attempt) }
      }
      retriesMade.add(1, ordering: .relaxed)
      try? await Task.sleep(for: configuration.retry.backoff(after: attempt))
      if Task.isCancelled { return (.failure(failure), attempt) }
      attempt += 1
    }
  }

  /// Forgets the session if it is still `token` (or already forgotten), so the next call goes out as the
  /// terminal; answers false, changing nothing, when another session has replaced it since.
  func endSession(sentWith token: String) -> Bool {
    session.withLock { current in
      guard current == token || current == nil else { return false }
      current = nil
      return true
    }
  }

  private static func result(of http: HTTPClient, _ request: HTTPRequest) async -> Result<
    HTTPResponse, HTTPError
  > {
    do {
      return .success(try await http.send(request))
    } catch {
      return .failure(error)
    }
  }

  /// Answers that say "come back shortly". A server without card payments, or whose card provider
  /// refuses its settings, answers 503 too, but that will not change by retrying.
  private static func isTransient(_ response: HTTPResponse, _ error: TillClientError) -> Bool {
    let kind = error.problem?.kind
    let settled = kind == .cardPaymentsNotConfigured || kind == .cardPaymentsUnavailable
    return (response.status == 503 && !settled) || kind == .requestInFlight
  }

  /// Decodes a successful JSON body.
  static func decode<Value: Decodable>(_ type: Value.Type, from response: HTTPResponse)
    throws(TillClientError)
    -> Value
  {
    do {
      return try JSONDecoder().decode(Value.self, from: Data(response.body))
    } catch {
      throw .unexpectedResponse(status: response.status)
    }
  }

  static func encode(_ value: some Encodable) throws(TillClientError) -> [UInt8] {
    do {
      return Array(try JSONEncoder().encode(value))
    } catch {
      // Our request types are plain strings and integers; encoding them cannot fail.
      throw .unexpectedResponse(status: 0)
    }
  }

  /// Maps a non-2xx answer to the typed error, by problem type first and status second.
  static func error(for response: HTTPResponse) -> TillClientError {
    let isProblem = response.header("Content-Type")?.lowercased().hasPrefix(Problem.mediaType) == true
    guard isProblem, let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body)) else {
      switch response.status {
      case 401: return .unauthorized
      case 403: return .forbidden
      case 404: return .notFound
      case 413: return .payloadTooLarge
      default: return .unexpectedResponse(status: response.status)
      }
    }
    switch problem.kind {
    case .insufficientStock: return .insufficientStock(problem.shortages ?? [])
    case .signInFailed: return .signInFailed(problem)
    case .tooManyAttempts:
      let seconds = response.header("Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      return .tooManyAttempts(retryAfterSeconds: seconds, problem)
    case .signInRequired: return .signInRequired(problem)
    case .approvalRequired: return .approvalRequired(problem)
    case .approvalRefused: return .approvalRefused(problem)
    case .paymentDeclined: return .paymentDeclined(problem)
    case .cardPaymentsUnavailable: return .cardPaymentsUnavailable(problem)
    default: break
    }
    switch response.status {
    case 401: return .unauthorized
    case 403: return .forbidden
    case 404: return .notFound
    case 409: return .conflict(problem)
    case 413: return .payloadTooLarge
    case 400..<500: return .invalid(problem)
    case 500..<600: return .server(problem)
    default: return .unexpectedResponse(status: response.status)
    }
  }
}
