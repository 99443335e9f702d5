import TillCore

extension TillClient {
  /// `POST /v1/orders`: checks the cart out into an order, all or nothing, under a fresh
  /// `Idempotency-Key` that every retry of this call reuses, so at most one order is created.
  /// Throws `.insufficientStock` with every short line when stock cannot cover the cart.
  public func placeOrder(cartId: String) async throws(TillClientError) -> Order {
    try await placeOrder(cartId: cartId, idempotencyKey: Self.makeIdempotencyKey())
  }

  /// The same with a caller-chosen key (1–255 visible ASCII), for callers that keep one key per checkout
  /// attempt across calls.
  public func placeOrder(cartId: String, idempotencyKey: String) async throws(TillClientError) -> Order {
    let body = try Self.encode(PlaceOrderRequest(cartId: cartId))
    let response = try await send(
      "POST", "/v1/orders", body: body, headers: [("Idempotency-Key", idempotencyKey)], repeatability: .safe)
    return try Self.decode(Order.self, from: response)
  }

  /// `GET /v1/orders/{id}`: one of this till's orders with its payment state.
  public func order(id: String) async throws(TillClientError) -> Order {
    let response = try await send("GET", "/v1/orders/" + PathEncoding.escape(id), repeatability: .safe)
    return try Self.decode(Order.self, from: response)
  }

  /// `GET /v1/orders`: this till's orders, newest first, one page at a time (`after` is the previous
  /// page's `next`).
  public func orders(status: Order.Status? = nil, limit: Int = Limits.defaultPageSize, after: String? = nil)
    async throws(TillClientError) -> Page<Order>
  {
    let path =
      "/v1/orders"
      + PathEncoding.query([("status", status?.rawValue), ("limit", String(limit)), ("after", after)])
    let response = try await send("GET", path, repeatability: .safe)
    return try Self.decode(Page<Order>.self, from: response)
  }

  /// `POST /v1/orders/{id}/cancel`: cancels an unpaid order and returns its stock.
  ///
  /// Another person's order needs a manager: without `approval` that is `.approvalRequired`; with a
  /// manager's code and PIN the server checks them in the cancel's own transaction (`.approvalRefused`
  /// when they do not hold).
  ///
  /// Retried after transport failures: an order is canceled at most once. When a retry finds the order
  /// already canceled, the first attempt went through, and the canceled order is the answer.
  public func cancelOrder(id: String, approval: Approval? = nil) async throws(TillClientError) -> Order {
    let path = "/v1/orders/" + PathEncoding.escape(id) + "/cancel"
    let body = try Self.encode(CancelRequest(approval: approval))
    let (result, attempts) = await attempt("POST", path, body: body, repeatability: .safe)
    switch result {
    case .success(let response):
      return try Self.decode(Order.self, from: response)
    case .failure(.conflict(let problem)) where problem.kind == .orderNotCancelable && attempts > 1:
      let current = try await order(id: id)
      guard current.status == .canceled else { throw .conflict(problem) }
      return current
    case .failure(let error):
      throw error
    }
  }

  /// `POST /v1/orders/{id}/payments`: pays an order in cash (`.cash(tendered:)`) or by card (`.card`),
  /// all that is due or, with the request's `amount`, a part of it (split tender).
  ///
  /// The answer is the payment: `.succeeded` (new, or the earlier one when the order was already paid),
  /// or `.pending` when the card provider's outcome is still unknown (the server settles it later under
  /// the same key; read the order to follow it). A declined card throws `.paymentDeclined`.
  ///
  /// Retried after transport failures under one `Idempotency-Key` for the call: the server records one
  /// payment per key, never lets the parts sum to more than the total, and sends card attempts to the
  /// provider under a key derived from the order, so a repeat cannot charge twice.
  /// When a retry is refused with a conflict that carries a succeeded payment, that payment is the answer.
  public func pay(orderId: String, request: PaymentRequest) async throws(TillClientError) -> Payment {
    try await payment(orderId: orderId, request: request).payment
  }

  /// `pay` with a caller-chosen `Idempotency-Key` (1–255 visible ASCII), for callers that keep one key
  /// per payment across calls: the same key again answers the payment made under it.
  public func pay(orderId: String, request: PaymentRequest, idempotencyKey: String)
    async throws(TillClientError) -> Payment
  {
    try await payment(orderId: orderId, request: request, idempotencyKey: idempotencyKey).payment
  }

  /// `pay`, also telling whether the order had been paid before this call: the server answers 200 with
  /// the earlier payment then (201 for a new one, 202 for a pending card), and nothing new was taken.
  ///
  /// After a retry, a 200 (or a conflict carrying a succeeded payment) may be this call's own first
  /// attempt whose answer was lost: it counts as this call's payment when it matches the request (same
  /// method, and for cash the same tender), and as paid before when it does not.
  public func payment(
    orderId: String, request: PaymentRequest, idempotencyKey: String = TillClient.makePaymentKey()
  ) async throws(TillClientError) -> PaymentOutcome {
    let body = try Self.encode(request)
    let path = "/v1/orders/" + PathEncoding.escape(orderId) + "/payments"
    let (result, attempts) = await attempt(
      "POST", path, body: body, headers: [("Idempotency-Key", idempotencyKey)], repeatability: .safe)
    switch result {
    case .success(let response):
      let payment = try Self.decode(Payment.self, from: response)
      let earlier = response.status == 200 && (attempts == 1 || !payment.answers(request))
      return PaymentOutcome(payment: payment, alreadyPaid: earlier)
    case .failure(.conflict(let problem)) where attempts > 1:
      guard let payment = problem.payment, payment.status == .succeeded else { throw .conflict(problem) }
      return PaymentOutcome(payment: payment, alreadyPaid: !payment.answers(request))
    case .failure(let error):
      throw error
    }
  }
}

/// A payment and whether it was made before the request that answered it.
public struct PaymentOutcome: Hashable, Sendable {
  public var payment: Payment
  /// True when the order had already been paid: nothing new was taken by this request.
  public var alreadyPaid: Bool

  public init(payment: Payment, alreadyPaid: Bool) {
    self.payment = payment
    self.alreadyPaid = alreadyPaid
  }
}
