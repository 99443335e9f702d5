import TillCore
import TillHTTP

extension TillClient {
  /// `POST /v1/orders/{id}/refunds`: lines of a paid order back, once per `idempotencyKey` (every retry of
  /// this call, and every later call with the same key, answers the same refund). A cashier needs a
  /// manager's `approval` in the request (`.approvalRequired` without it). A card refund still pending
  /// at the provider comes back `pending` (the server settles it later under its key); a card refund the
  /// provider refused throws `.server` with `refund-failed`.
  public func refund(orderId: String, request: RefundRequest, idempotencyKey: String)
    async throws(TillClientError) -> Refund
  {
    let body = try Self.encode(request)
    let path = "/v1/orders/" + PathEncoding.escape(orderId) + "/refunds"
    let response = try await send(
      "POST", path, body: body, headers: [("Idempotency-Key", idempotencyKey)], repeatability: .safe)
    return try Self.decode(Refund.self, from: response)
  }

  /// `GET /v1/orders/{id}/refunds`: the order's refunds, by sequence.
  public func refunds(orderId: String) async throws(TillClientError) -> [Refund] {
    let path = "/v1/orders/" + PathEncoding.escape(orderId) + "/refunds"
    let response = try await send("GET", path, repeatability: .safe)
    return try Self.decode(Page<Refund>.self, from: response).items
  }

  /// `GET /v1/orders/{id}/refunds/{refund}/receipt?format=text`: a refund's receipt as the server lays it
  /// out, `width` columns wide (42 or 48).
  public func refundReceiptText(orderId: String, refundId: String, width: Int = 42)
    async throws(TillClientError) -> String
  {
    let response = try await refundReceipt(orderId: orderId, refundId: refundId, format: "text", width: width)
    return String(decoding: response.body, as: UTF8.self)
  }

  /// `GET /v1/orders/{id}/refunds/{refund}/receipt?format=escpos`: a refund's receipt as the bytes a
  /// thermal printer takes; the original of a cash refund opens the drawer.
  public func refundReceiptEscPos(orderId: String, refundId: String, width: Int = 42)
    async throws(TillClientError) -> [UInt8]
  {
    try await refundReceipt(orderId: orderId, refundId: refundId, format: "escpos", width: width).body
  }

  private func refundReceipt(orderId: String, refundId: String, format: String, width: Int)
    async throws(TillClientError) -> HTTPResponse
  {
    let path =
      "/v1/orders/" + PathEncoding.escape(orderId) + "/refunds/" + PathEncoding.escape(refundId) + "/receipt"
      + PathEncoding.query([("format", format), ("width", String(width))])
    let accept = format == "text" ? "text/plain" : "application/octet-stream"
    return try await send("GET", path, headers: [("Accept", accept)], repeatability: .safe)
  }
}
