import TillClient
import TillCore

/// The real back end of the front end: every `CashierBackend` call goes through `TillClient` over HTTP,
/// and every `TillClientError` becomes the `BackendFailure` the update acts upon.
///
/// ```swift
/// let backend = TillClientBackend(client: TillClient(baseURL: server.baseURL, token: token))
/// let program = Program(configuration: configuration, backend: backend, terminal: NCursesTerminal())
/// ```
public struct TillClientBackend: CashierBackend {
  public let client: TillClient
  /// How many of this till's orders the orders list shows (newest first).
  public var ordersShown: Int

  public init(client: TillClient, ordersShown: Int = 50) {
    self.client = client
    self.ordersShown = min(max(1, ordersShown), Limits.maxPageSize)
  }

  public func products(_ query: ProductQuery) async throws(BackendFailure) -> Page<Product> {
    try await Self.mapping { () async throws(TillClientError) in try await client.products(query) }
  }

  public func categories() async throws(BackendFailure) -> [Category] {
    try await Self.mapping { () async throws(TillClientError) in try await client.categories() }
  }

  public func createCart() async throws(BackendFailure) -> Cart {
    try await Self.mapping { () async throws(TillClientError) in try await client.createCart() }
  }

  public func increment(cartId: String, sku: String, delta: Int, opId: String) async throws(BackendFailure)
    -> Cart
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.increment(cartId: cartId, sku: sku, delta: delta, opId: opId)
    }
  }

  public func placeOrder(cartId: String, idempotencyKey: String) async throws(BackendFailure) -> Order {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.placeOrder(cartId: cartId, idempotencyKey: idempotencyKey)
    }
  }

  /// A card payment the provider has not settled yet comes back as a `pending` payment, not an error:
  /// the client answers 202 with the pending payment as it does a 201, and a repeat while it is still
  /// pending is refused (409 `payment-pending`) with that same payment, which is the answer too.
  /// An order paid before (the server's 200) comes back as `alreadyPaid`, so the till never shows that
  /// earlier payment as a new one.
  public func pay(orderId: String, request: PaymentRequest, idempotencyKey: String)
    async throws(BackendFailure) -> PaymentAnswer
  {
    do {
      let outcome = try await client.payment(
        orderId: orderId, request: request, idempotencyKey: idempotencyKey)
      return PaymentAnswer(payment: outcome.payment, alreadyPaid: outcome.alreadyPaid)
    } catch {
      if case .conflict(let problem) = error, problem.kind == .paymentPending, let payment = problem.payment {
        return PaymentAnswer(payment: payment)
      }
      throw Self.failure(for: error)
    }
  }

  public func refund(orderId: String, request: RefundRequest, idempotencyKey: String)
    async throws(BackendFailure) -> Refund
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.refund(orderId: orderId, request: request, idempotencyKey: idempotencyKey)
    }
  }

  public func refundReceiptText(orderId: String, refundId: String, width: Int) async throws(BackendFailure)
    -> String
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.refundReceiptText(orderId: orderId, refundId: refundId, width: width)
    }
  }

  public func refundReceiptEscPos(orderId: String, refundId: String, width: Int)
    async throws(BackendFailure) -> [UInt8]
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.refundReceiptEscPos(orderId: orderId, refundId: refundId, width: width)
    }
  }

  public func cancelOrder(_ id: String, approval: Approval?) async throws(BackendFailure) -> Order {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.cancelOrder(id: id, approval: approval)
    }
  }

  public func signIn(code: String, pin: String) async throws(BackendFailure) -> SignedInStaff {
    let answer = try await Self.mapping { () async throws(TillClientError) in
      try await client.signIn(code: code, pin: pin)
    }
    return SignedInStaff(
      person: answer.staff, terminal: answer.terminal, register: answer.register,
      registerRequired: answer.registerRequired)
  }

  /// A sign-out that does not reach the server still ends the session here: the client forgets the
  /// session token, and the server lets it expire.
  public func signOut() async {
    try? await client.signOut()
  }

  public func orders() async throws(BackendFailure) -> [Order] {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.orders(limit: ordersShown).items
    }
  }

  public func order(id: String) async throws(BackendFailure) -> Order {
    try await Self.mapping { () async throws(TillClientError) in try await client.order(id: id) }
  }

  public func applyDiscount(cartId: String, request: DiscountRequest) async throws(BackendFailure) -> Cart {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.applyDiscount(cartId: cartId, request)
    }
  }

  public func receiptText(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> String {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.receiptText(orderId: orderId, width: width, copy: copy)
    }
  }

  public func receiptEscPos(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> [UInt8] {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.receiptEscPos(orderId: orderId, width: width, copy: copy)
    }
  }

  public func openRegister(float: Money) async throws(BackendFailure) -> RegisterSession {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.openSession(openingFloat: float)
    }
  }

  public func xReport() async throws(BackendFailure) -> SessionReport {
    try await Self.mapping { () async throws(TillClientError) in try await client.currentSession() }
  }

  public func recordCashMove(_ request: CashMoveRequest, sessionId: String) async throws(BackendFailure)
    -> CashMove
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.recordCashMove(request, sessionId: sessionId)
    }
  }

  public func closeRegister(sessionId: String, counted: Money, idempotencyKey: String)
    async throws(BackendFailure) -> ZReport
  {
    try await Self.mapping { () async throws(TillClientError) in
      try await client.closeSession(id: sessionId, countedCash: counted, idempotencyKey: idempotencyKey)
    }
  }

  private static func mapping<Value>(_ call: () async throws(TillClientError) -> Value)
    async throws(BackendFailure) -> Value
  {
    do {
      return try await call()
    } catch {
      throw failure(for: error)
    }
  }

  /// The failure the front end shows for a client error. Problem kinds the update words itself (card
  /// service down, cards not configured) keep their kind whatever the status, so the cashier reads
  /// "take cash" rather than a server fault.
  public static func failure(for error: TillClientError) -> BackendFailure {
    switch error {
    // A late refusal of an earlier person's session: sent again by the clock, under the current one.
    case .transport(.tls(let detail)): return .untrusted(detail)
    case .transport, .staleSession: return .offline(error.message)
    case .insufficientStock(let shortages): return .insufficientStock(shortages)
    case .paymentDeclined: return .declined(reason: error.declineReason ?? "no reason given")
    case .unauthorized: return .rejected(kind: .unauthorized, message: error.message)
    case .forbidden: return .rejected(kind: .forbidden, message: error.message)
    case .notFound: return .rejected(kind: .notFound, message: error.message)
    case .payloadTooLarge: return .rejected(kind: .payloadTooLarge, message: error.message)
    case .cardPaymentsUnavailable: return .rejected(kind: .cardPaymentsUnavailable, message: error.message)
    case .conflict(let problem), .invalid(let problem):
      return .rejected(kind: problem.kind, message: error.message)
    case .server(let problem):
      switch problem.kind {
      case .paymentProviderUnavailable, .cardPaymentsNotConfigured, .refundFailed:
        return .rejected(kind: problem.kind, message: error.message)
      default: return .server(problem.detail ?? problem.title)
      }
    case .unexpectedResponse(let status): return .server("unexpected answer, HTTP \(status)")
    case .sessionEnded: return .sessionEnded
    case .signInFailed(let problem), .tooManyAttempts(_, let problem), .signInRequired(let problem),
      .approvalRequired(let problem), .approvalRefused(let problem):
      return .rejected(kind: problem.kind, message: error.message)
    }
  }
}
