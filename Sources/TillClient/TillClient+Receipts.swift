import TillCore
import TillHTTP

extension TillClient {
  /// `POST /v1/carts/{id}/discounts`: a discount on one line (`request.sku`) or on the whole order, applied
  /// once per `request.opId`; every retry of this call reuses it. Past the cashier's limit the server
  /// answers `.approvalRequired`: send the same request (same `opId`) again with a manager's `approval`.
  public func applyDiscount(cartId: String, _ request: DiscountRequest) async throws(TillClientError) -> Cart
  {
    let body = try Self.encode(request)
    let path = "/v1/carts/" + PathEncoding.escape(cartId) + "/discounts"
    let response = try await send("POST", path, body: body, repeatability: .safe)
    return try Self.decode(Cart.self, from: response)
  }

  /// `GET /v1/orders/{id}/receipt?format=text`: the paid order's receipt as the server lays it out,
  /// `width` columns wide (42 or 48). `copy` marks it COPY (a reprint, which the server audits).
  /// An order that is not paid yet has no receipt: `.conflict` with `receipt-not-issued`.
  public func receiptText(orderId: String, width: Int = 42, copy: Bool = false) async throws(TillClientError)
    -> String
  {
    let response = try await receipt(orderId: orderId, format: "text", width: width, copy: copy)
    return String(decoding: response.body, as: UTF8.self)
  }

  /// `GET /v1/orders/{id}/receipt?format=escpos`: the receipt as the bytes a thermal printer takes
  /// (ESC/POS), to write to the printer unchanged. The original of a cash sale opens the drawer.
  public func receiptEscPos(orderId: String, width: Int = 42, copy: Bool = false)
    async throws(TillClientError) -> [UInt8]
  {
    try await receipt(orderId: orderId, format: "escpos", width: width, copy: copy).body
  }

  private func receipt(orderId: String, format: String, width: Int, copy: Bool) async throws(TillClientError)
    -> HTTPResponse
  {
    let path =
      "/v1/orders/" + PathEncoding.escape(orderId) + "/receipt"
      + PathEncoding.query([("format", format), ("width", String(width)), ("copy", copy ? "true" : "false")])
    let accept = format == "text" ? "text/plain" : "application/octet-stream"
    return try await send("GET", path, headers: [("Accept", accept)], repeatability: .safe)
  }

  /// `PUT /v1/categories/{name}/tax-rate` (admin): the category's VAT rate in basis points (700 = 7 %);
  /// products that follow their category take it too. Setting the same rate again changes nothing.
  public func setCategoryTaxRate(category: String, taxRate: Int) async throws(TillClientError) -> Category {
    let body = try Self.encode(TaxRateRequest(taxRate: taxRate))
    let path = "/v1/categories/" + PathEncoding.escape(category) + "/tax-rate"
    let response = try await send("PUT", path, body: body, repeatability: .safe)
    return try Self.decode(Category.self, from: response)
  }

  /// `PUT /v1/products/{sku}/tax-rate` (admin): the product's own VAT rate, overriding its category's.
  public func setProductTaxRate(sku: String, taxRate: Int) async throws(TillClientError) -> Product {
    let body = try Self.encode(TaxRateRequest(taxRate: taxRate))
    let path = "/v1/products/" + PathEncoding.escape(sku) + "/tax-rate"
    let response = try await send("PUT", path, body: body, repeatability: .safe)
    return try Self.decode(Product.self, from: response)
  }

  /// `DELETE /v1/products/{sku}/tax-rate` (admin): the product follows its category's rate again.
  public func clearProductTaxRate(sku: String) async throws(TillClientError) -> Product {
    let path = "/v1/products/" + PathEncoding.escape(sku) + "/tax-rate"
    let response = try await send("DELETE", path, repeatability: .safe)
    return try Self.decode(Product.self, from: response)
  }
}
