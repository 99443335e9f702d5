import TillCore

extension TillClient {
  /// `POST /v1/carts`: a new open cart owned by this till's token. Sent once, never retried (a repeat
  /// would open a second cart); after a transport error simply call again.
  public func createCart() async throws(TillClientError) -> Cart {
    let response = try await send("POST", "/v1/carts", body: Array("{}".utf8), repeatability: .once)
    return try Self.decode(Cart.self, from: response)
  }

  /// `GET /v1/carts/{id}`: the cart's lines with live availability and its total.
  public func cart(id: String) async throws(TillClientError) -> Cart {
    let response = try await send("GET", "/v1/carts/" + PathEncoding.escape(id), repeatability: .safe)
    return try Self.decode(Cart.self, from: response)
  }

  /// `POST /v1/carts/{id}/increments`: adds `delta` (negative removes) to the line of `sku`, atomically,
  /// under a fresh operation id that every retry of this call reuses, so it is applied exactly once.
  public func increment(cartId: String, sku: String, delta: Int) async throws(TillClientError) -> Cart {
    try await increment(cartId: cartId, sku: sku, delta: delta, opId: Self.makeOperationID())
  }

  /// The same with a caller-chosen `opId` (1–64 of `[A-Za-z0-9_-]`), for callers that must retry an
  /// operation across calls, e.g. after showing "offline" and trying again later.
  public func increment(cartId: String, sku: String, delta: Int, opId: String) async throws(TillClientError)
    -> Cart
  {
    let body = try Self.encode(IncrementRequest(sku: sku, delta: delta, opId: opId))
    let path = "/v1/carts/" + PathEncoding.escape(cartId) + "/increments"
    let response = try await send("POST", path, body: body, repeatability: .safe)
    return try Self.decode(Cart.self, from: response)
  }
}
