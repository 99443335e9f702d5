import TillCore
import TillHTTP
import TillStore

/// How the back end listens, whom it lets in, and where it charges cards.
public struct ServerConfiguration: Sendable {
  /// Address to bind. Loopback by default: exposing the till to a network is a deliberate choice.
  public var host: String
  /// TCP port; 0 picks a free ephemeral port (see `RunningServer.port`).
  public var port: Int
  /// Tokens of terminals without a name of their own: named `till-1`, `till-2`, … by their place in the
  /// list. Together with `terminals`, at least one terminal is required.
  public var staffTokens: [String]
  /// Terminals with their names (shown in a till's title bar and the audit trail).
  public var terminals: [Terminal]
  /// The token of the shop's administration: stock adjustments, staff, the audit trail. Not a terminal
  /// and not a person: it cannot sell.
  public var adminToken: String?
  /// The card provider; nil: card payments answer 503 `card-payments-not-configured`, cash still works.
  public var paymentProvider: PaymentProviderConfiguration?
  /// How often pending card payments are re-sent and settled (also once right after start-up).
  public var paymentRecoveryInterval: Duration
  /// How one card payment request retries an unknown outcome before answering 202 (pending).
  public var paymentRetryPolicy: PaymentCoordinator.RetryPolicy
  /// Most client connections open at once; one more is answered 503 `too-many-connections` (with
  /// `Retry-After: 1`) and closed. Kept-alive idle connections count: each terminal holds about two.
  public var maxConnections: Int
  /// How long a client may take to send a request's headers, then its body, before the connection is
  /// closed (slow clients cannot hold places under `maxConnections`).
  public var readDeadlines: ReadDeadlines
  /// How many failed authentications one client address may make before it must wait (429).
  public var failedAuthentications: FailedAuthBudget.Settings
  /// bcrypt's cost for staff PINs (log2 of its rounds), `PINHasher.allowedCosts`.
  public var pinHashCost: Int
  /// How long a staff session lives unused; each use moves its end on by this much.
  public var sessionIdle: Duration
  /// How many wrong PINs lock a staff code or a terminal out, and for how long.
  public var attemptPolicy: AttemptPolicy
  /// What the receipts print at their top: the shop's name, address lines and VAT id.
  public var shop: ShopDetails
  /// The largest discount, in whole percent of what it applies to, a cashier may give without a
  /// manager's approval (0–100).
  public var cashierDiscountLimit: Int
  /// Whether a cashier's X report shows the expected cash; false: counting is blind, and only managers
  /// see the figure before the close.
  public var showExpectedCash = false
  /// How long `GET /v1/ready` waits for the database before answering 503.
  public var readinessTimeout: Duration = .seconds(2)
  /// The token a Prometheus scraper presents for `GET /metrics`; nil: metrics are answered to loopback
  /// peers only.
  public var metricsToken: String?
  /// The certificate and key to serve HTTPS with; nil: plain HTTP, which only a loopback address gets
  /// unless `allowPlainHTTP` says so.
  public var tls: ServerTLS?
  /// Plain HTTP on a non-loopback address, deliberately (the log warns at start).
  public var allowPlainHTTP = false
  /// Whether an order needs its terminal's register to be open (409 `no-open-session` otherwise): true
  /// unless the shop keeps no cash drawer.
  public var requireRegisterSession = true

  /// The shortest token accepted. Owner ids are keyed digests whose key sits in the same database, so
  /// against someone holding a copy of it a token is only as strong as its own length and randomness.
  public static let minimumTokenLength = 24

  /// The default cap on open connections: room for a few hundred terminals on a small machine.
  public static let defaultMaxConnections = 512

  /// The shop's name on receipts unless the operator names it.
  public static let defaultShopName = "Till"

  public init(
    host: String = "127.0.0.1", port: Int = 8080, staffTokens: [String], adminToken: String? = nil,
    paymentProvider: PaymentProviderConfiguration? = nil, paymentRecoveryInterval: Duration = .seconds(30),
    paymentRetryPolicy: PaymentCoordinator.RetryPolicy = .init(),
    maxConnections: Int = ServerConfiguration.defaultMaxConnections,
    readDeadlines: ReadDeadlines = ReadDeadlines(),
    failedAuthentications: FailedAuthBudget.Settings = .standard, terminals: [Terminal] = [],
    pinHashCost: Int = 10, sessionIdle: Duration = .seconds(12 * 3600),
    attemptPolicy: AttemptPolicy = .init(),
    shop: ShopDetails = ShopDetails(name: ServerConfiguration.defaultShopName),
    cashierDiscountLimit: Int = Limits.defaultCashierDiscountLimit
  ) {
    self.host = host
    self.port = port
    self.staffTokens = staffTokens
    self.terminals = terminals
    self.adminToken = adminToken
    self.paymentProvider = paymentProvider
    self.paymentRecoveryInterval = paymentRecoveryInterval
    self.paymentRetryPolicy = paymentRetryPolicy
    self.maxConnections = maxConnections
    self.readDeadlines = readDeadlines
    self.failedAuthentications = failedAuthentications
    self.pinHashCost = pinHashCost
    self.sessionIdle = sessionIdle
    self.attemptPolicy = attemptPolicy
    self.shop = shop
    self.cashierDiscountLimit = cashierDiscountLimit
  }

  /// Checks what can be checked before binding; the message is one line for the operator.
  public func validated() throws(ServerConfigurationError) -> ServerConfiguration {
    var copy = self
    copy.staffTokens = staffTokens.filter { !$0.isEmpty }
    if copy.adminToken?.isEmpty == true { copy.adminToken = nil }
    if copy.metricsToken?.isEmpty == true { copy.metricsToken = nil }
    if let metricsToken = copy.metricsToken {
      guard metricsToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .invalidToken }
      guard metricsToken.count >= Self.minimumTokenLength else {
        throw .tokenTooShort(name: "the metrics token", length: metricsToken.count)
      }
    }
    guard !copy.staffTokens.isEmpty || !terminals.isEmpty else { throw ServerConfigurationError.noStaffToken }
    let tokens = copy.allTerminals.map(\.token) + [copy.adminToken].compactMap({ $0 })
    for token in tokens {
      guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
        throw ServerConfigurationError.invalidToken
      }
    }
    try Self.checkLengths(staffTokens: staffTokens, terminals: terminals, adminToken: copy.adminToken)
    try copy.checkTerminals()
    guard PINHasher.allowedCosts.contains(pinHashCost) else { throw .invalidPINHashCost(pinHashCost) }
    guard sessionIdle >= .seconds(1) else { throw .invalidSessionIdle }
    guard attemptPolicy.perCode >= 1, attemptPolicy.perTerminal >= 1, attemptPolicy.firstLockOut > .zero,
      attemptPolicy.longestLockOut >= attemptPolicy.firstLockOut
    else { throw .invalidAttemptPolicy }
    guard (0...65535).contains(port) else { throw ServerConfigurationError.invalidPort(port) }
    try checkTransport()
    guard paymentRecoveryInterval > .zero else { throw ServerConfigurationError.invalidRecoveryInterval }
    guard maxConnections >= 1 else { throw ServerConfigurationError.invalidMaxConnections(maxConnections) }
    guard (0...100).contains(cashierDiscountLimit) else { throw .invalidDiscountLimit(cashierDiscountLimit) }
    try ShopDetailsRules.check(shop)
    copy.paymentProvider = try paymentProvider?.validated()
    return copy
  }

  /// Every token at least `minimumTokenLength` long; a refusal names the token by its place in the list
  /// (as given, counting from 1) and its length, never its text.
  private static func checkLengths(staffTokens: [String], terminals: [Terminal], adminToken: String?)
    throws(ServerConfigurationError)
  {
    for (index, token) in staffTokens.enumerated() where !token.isEmpty && token.count < minimumTokenLength {
      throw .tokenTooShort(name: "staff token \(index + 1)", length: token.count)
    }
    for terminal in terminals where terminal.token.count < minimumTokenLength {
      throw .tokenTooShort(name: "the token of terminal \(terminal.name)", length: terminal.token.count)
    }
    if let adminToken, adminToken.count < minimumTokenLength {
      throw .tokenTooShort(name: "the admin token", length: adminToken.count)
    }
  }
}

/// Why the server refuses to start.
public enum ServerConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  case noStaffToken
  case invalidToken
  /// A terminal's name is not 1–32 of letters, digits, space, `_` and `-` (`place` counts named
  /// terminals from 1).
  case invalidTerminalName(place: Int)
  /// Two terminals have the same name (an unnamed staff token is `till-N`).
  case duplicateTerminalName(String)
  /// Two terminals have the same token (the second one's name is given): whose carts would it reach?
  case sharedTerminalToken(String)
  /// A configured token starts with the prefix of staff session tokens.
  case reservedTokenPrefix(name: String)
  case invalidPINHashCost(Int)
  case invalidSessionIdle
  case invalidAttemptPolicy
  /// A token is shorter than `ServerConfiguration.minimumTokenLength`; `name` says which one.
  case tokenTooShort(name: String, length: Int)
  /// The admin token is also a staff token: one leaked till token would then adjust stock.
  case sharedAdminToken
  case invalidPort(Int)
  case invalidRecoveryInterval
  case invalidMaxConnections(Int)
  /// The cashier's discount limit is not a whole percent from 0 to 100.
  case invalidDiscountLimit(Int)
  /// The shop's name, an address line or the VAT id cannot be printed on a receipt; the message says
  /// which.
  case invalidShopDetails(String)
  /// The payment provider's settings are unusable; the message never contains the secret key.
  case invalidPaymentProvider(String)
  /// Plain HTTP on an address other machines reach, without `--allow-plain-http`.
  case plainHTTPOnNetwork(host: String)
  /// The TLS certificate or key cannot be used; the message names the file.
  case invalidTLSFiles(String)

  public var description: String {
    switch self {
    case .noStaffToken:
      "no terminal: pass --terminal NAME=TOKEN or --staff-token TOKEN (repeatable), or set"
        + " TILL_TERMINALS=name=token,… or TILL_STAFF_TOKENS=token1,token2"
    case .invalidToken:
      "tokens may contain only visible ASCII characters (no spaces or control characters)"
    case .tokenTooShort(let name, let length):
      "a token must be at least \(ServerConfiguration.minimumTokenLength) characters (\(name) has \(length));"
        + " generate one with: openssl rand -hex 16"
    case .invalidTerminalName(let place):
      "terminal \(place)'s name must be 1 to 32 of letters, digits, space, _ and -"
    case .duplicateTerminalName(let name): "two terminals are named \(name)"
    case .sharedTerminalToken(let name): "terminal \(name) has the token of another terminal"
    case .reservedTokenPrefix(let name):
      "\(name) starts with \(SessionTokens.prefix), which only staff session tokens may"
    case .invalidPINHashCost(let cost):
      "the PIN hash cost must be \(PINHasher.allowedCosts.lowerBound) to \(PINHasher.allowedCosts.upperBound),"
        + " not \(cost)"
    case .invalidSessionIdle: "the staff session idle time must be at least one second"
    case .invalidAttemptPolicy: "the sign-in attempt limits and lock-out times must be positive"
    case .sharedAdminToken: "the admin token must differ from every terminal's token"
    case .invalidPort(let port): "port \(port) is out of range 0-65535"
    case .invalidRecoveryInterval: "the payment recovery interval must be positive"
    case .invalidMaxConnections(let value): "the connection cap must be at least 1, not \(value)"
    case .invalidDiscountLimit(let value): "the cashier discount limit must be 0 to 100 percent, not \(value)"
    case .invalidShopDetails(let reason): reason
    case .invalidPaymentProvider(let reason): reason
    case .plainHTTPOnNetwork(let host):
      "refusing plain HTTP on \(host), where tokens and PINs would cross the network readable: pass"
        + " --tls-certificate and --tls-key (make them with: till-server certificate create), or"
        + " --allow-plain-http"
    case .invalidTLSFiles(let reason): reason
    }
  }
}

/// Where and as whom the back end charges cards (a YooKassa-v3-shaped API, e.g. the sandbox).
///
/// The secret key is never printed: `description` and `debugDescription` redact it, so logging a
/// configuration (or an error carrying one) cannot leak it.
public struct PaymentProviderConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  /// `http(s)://host:port`, without a trailing path; `/v3/payments` is appended.
  public var baseURL: String
  /// The shop id: HTTP basic auth user name.
  public var shopId: String
  /// The secret key: HTTP basic auth password.
  public var secretKey: String
  /// Connect and per-call timeouts of the provider client. A timed-out call is retried with the same key.
  public var timeouts: HTTPConfiguration

  public init(
    baseURL: String, shopId: String, secretKey: String,
    timeouts: HTTPConfiguration = HTTPConfiguration(connectTimeout: .seconds(2), requestTimeout: .seconds(10))
  ) {
    self.baseURL = baseURL
    self.shopId = shopId
    self.secretKey = secretKey
    self.timeouts = timeouts
  }

  public var description: String {
    "PaymentProviderConfiguration(baseURL: \(Redaction.url(baseURL)), shopId: \(shopId), secretKey: <redacted>)"
  }

  public var debugDescription: String { description }

  /// The configuration with a trailing `/` of the URL removed, or why it is unusable.
  func validated() throws(ServerConfigurationError) -> PaymentProviderConfiguration {
    var copy = self
    while copy.baseURL.hasSuffix("/") { copy.baseURL.removeLast() }
    let host =
      copy.baseURL.hasPrefix("https://")
      ? copy.baseURL.dropFirst(8) : copy.baseURL.hasPrefix("http://") ? copy.baseURL.dropFirst(7) : nil
    guard let host, !host.isEmpty, !copy.baseURL.contains(where: \.isWhitespace) else {
      throw .invalidPaymentProvider(
        "the payment provider must be an http:// or https:// URL, not \(Redaction.url(baseURL))")
    }
    guard !shopId.isEmpty, !shopId.contains(":") else {
      throw .invalidPaymentProvider("the payment shop id must be non-empty and must not contain ':'")
    }
    guard !secretKey.isEmpty else { throw .invalidPaymentProvider("the payment secret key is empty") }
    return copy
  }
}
