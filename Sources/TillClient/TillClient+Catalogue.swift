import TillCore

extension TillClient {
  /// `GET /v1/health`: liveness; needs no token.
  public func health() async throws(TillClientError) -> Health {
    let response = try await send("GET", "/v1/health", repeatability: .safe, authenticated: false)
    return try Self.decode(Health.self, from: response)
  }

  /// `GET /v1/products`: one page of products matching `query`, ordered by SKU.
  public func products(_ query: ProductQuery = ProductQuery()) async throws(TillClientError) -> Page<Product>
  {
    let path =
      "/v1/products"
      + PathEncoding.query([
        ("q", query.text), ("category", query.category), ("limit", String(query.limit)),
        ("after", query.after),
      ])
    let response = try await send("GET", path, repeatability: .safe)
    return try Self.decode(Page<Product>.self, from: response)
  }

  /// `GET /v1/products/{sku}`: one product with its live stock.
  public func product(sku: String) async throws(TillClientError) -> Product {
    let response = try await send("GET", "/v1/products/" + PathEncoding.escape(sku), repeatability: .safe)
    return try Self.decode(Product.self, from: response)
  }

  /// `GET /v1/categories`: every category with its product count.
  public func categories() async throws(TillClientError) -> [Category] {
    let response = try await send("GET", "/v1/categories", repeatability: .safe)
    return try Self.decode(CategoryList.self, from: response).items
  }

  /// `POST /v1/products/{sku}/stock-adjustments` (admin token only): a restock (positive `delta`) or a
  /// write-off (negative). Sent once, never retried: an adjustment carries no key, so a repeat could
  /// apply twice. After a transport error, read the product to see whether it was applied.
  public func adjustStock(sku: String, delta: Int, reason: String) async throws(TillClientError) -> Product {
    let body = try Self.encode(StockAdjustmentRequest(delta: delta, reason: reason))
    let path = "/v1/products/" + PathEncoding.escape(sku) + "/stock-adjustments"
    let response = try await send("POST", path, body: body, repeatability: .once)
    return try Self.decode(Product.self, from: response)
  }
}
