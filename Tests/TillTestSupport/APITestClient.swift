import Foundation
import TillCore
import TillHTTP

/// A tiny JSON client over one `HTTPConnection`, for tests that speak the API directly (status codes,
/// headers and problem documents included, which the typed client hides).
public struct APITestClient: Sendable {
  public let connection: HTTPConnection
  public var token: String?

  public init(baseURL: String, token: String?, configuration: HTTPConfiguration = .init()) {
    self.connection = HTTPConnection(baseURL: baseURL, configuration: configuration)
    self.token = token
  }

  public func get(_ path: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse
  {
    try await send("GET", path, body: nil, headers: headers)
  }

  public func post(
    _ path: String, json value: some Encodable, headers: [(name: String, value: String)] = []
  ) async throws -> HTTPResponse {
    try await send("POST", path, body: Array(try JSONEncoder().encode(value)), headers: headers)
  }

  /// Sends raw bytes (malformed JSON, huge bodies) or nothing.
  public func send(
    _ method: String, _ path: String, body: [UInt8]?, headers: [(name: String, value: String)] = []
  ) async throws -> HTTPResponse {
    var fields = headers
    if let token { fields.append((name: "Authorization", value: "Bearer \(token)")) }
    if body != nil { fields.append((name: "Content-Type", value: "application/json")) }
    return try await connection.send(HTTPRequest(method: method, path: path, headers: fields, body: body))
  }

  /// `POST /v1/carts`, answering the new cart.
  public func createCart() async throws -> Cart {
    try await post("/v1/carts", json: [String: String]()).decoded(Cart.self, expecting: 201)
  }

  /// `POST /v1/carts/{id}/increments` with a fresh opId unless one is given.
  public func increment(
    cart: String, sku: String, delta: Int, opId: String = "op-" + UUID().uuidString
  ) async throws -> HTTPResponse {
    try await post("/v1/carts/\(cart)/increments", json: IncrementRequest(sku: sku, delta: delta, opId: opId))
  }

  /// `POST /v1/orders` with `key` as the Idempotency-Key.
  public func placeOrder(cart: String, key: String = "key-" + UUID().uuidString) async throws -> HTTPResponse
  {
    try await post(
      "/v1/orders", json: PlaceOrderRequest(cartId: cart), headers: [(name: "Idempotency-Key", value: key)])
  }
}

/// A response that did not have the expected status or shape.
public struct UnexpectedResponse: Error, CustomStringConvertible {
  public var description: String
}

extension HTTPResponse {
  /// The body as `type`; throws when the status is not `expecting` or the body does not decode.
  public func decoded<Value: Decodable>(_ type: Value.Type, expecting status: Int = 200) throws -> Value {
    guard self.status == status else {
      throw UnexpectedResponse(
        description: "expected \(status), got \(self.status): \(String(decoding: body, as: UTF8.self))")
    }
    return try JSONDecoder().decode(Value.self, from: Data(body))
  }

  /// The problem document, when the answer is `application/problem+json`.
  public var problem: Problem? {
    guard header("Content-Type")?.hasPrefix(Problem.mediaType) == true else { return nil }
    return try? JSONDecoder().decode(Problem.self, from: Data(body))
  }

  public var text: String { String(decoding: body, as: UTF8.self) }
}
