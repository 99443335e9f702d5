import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

@testable import TillServer

/// One rule per kind of identifier, checked at the HTTP boundary: the rules themselves, then every
/// route that takes an identifier answering the same on both engines.
@Suite("Identifiers are validated once, at the HTTP boundary")
struct IdentifierValidationTests {
  static let long65 = String(repeating: "a", count: 65)
  static let long64 = String(repeating: "a", count: 64)

  @Test(
    "opId: 1 to 64 of A-Z a-z 0-9 _ -",
    arguments: [
      ("op-1_A", true), (long64, true), ("", false), ("a\u{0}b", false), (long65, false), ("op%41", false),
      ("op 1", false), ("é", false),
    ])
  func operationIDs(value: String, valid: Bool) {
    #expect((try? IdentifierValidation.operationID(value)) == (valid ? value : nil))
    #expect(Identifiers.isValidOperationID(value) == valid)
  }

  @Test(
    "SKU: 1 to 64 bytes of UTF-8 without control characters",
    arguments: [
      ("TEA", true), ("ÄÖ-1", true), ("a/b", true), ("sp ace", true), ("%C3%84", true), (long64, true),
      ("", false), ("\u{0}", false), ("a\u{7F}", false), ("a\u{85}b", false), (long65, false),
      (String(repeating: "Ä", count: 33), false),
    ])
  func skus(value: String, valid: Bool) {
    #expect((try? IdentifierValidation.sku(value)) == (valid ? value : nil))
  }

  @Test(
    "cart and order ids: 1 to 64 of A-Z a-z 0-9 _ -",
    arguments: [
      (UUID().uuidString.lowercased(), true), ("no-such-cart", true), (long64, true), ("", false),
      ("\u{0}", false), (long65, false), ("a%2Fb", false), ("a/b", false),
    ])
  func recordIDs(value: String, valid: Bool) {
    #expect((try? IdentifierValidation.cartID(value)) == (valid ? value : nil))
  }

  @Test(
    "Idempotency-Key: exactly one, 1 to 255 visible ASCII characters",
    arguments: [
      (["key-1"], true), ([String(repeating: "k", count: 255)], true), (["~!%20"], true), ([], false),
      ([""], false), (["a\u{0}"], false), ([String(repeating: "k", count: 256)], false), (["a b"], false),
      (["ключ"], false), (["k1", "k2"], false),
    ])
  func idempotencyKeys(values: [String], valid: Bool) {
    do {
      let key = try IdentifierValidation.idempotencyKey(values)
      #expect(valid, "accepted \(key)")
      #expect([key] == values)
    } catch {
      #expect(!valid, "refused \(values)")
      #expect(error.kind == .missingHeader)
      #expect(error.status == 400)
      #expect(error.field == "Idempotency-Key")
    }
  }

  /// A request naming one identifier, and the answer it must get.
  struct Row: Sendable, CustomTestStringConvertible {
    var name: String
    var method = "GET"
    /// `{cart}` and `{order}` stand for the test's cart and order.
    var path: String
    var body: String?
    var key: String?
    var status: Int
    var kind: ProblemKind?
    var field: String?
    var testDescription: String { name }
  }

  static let rows: [Row] = [
    Row(name: "path SKU percent-encoded", path: "/v1/products/%C3%84%C3%96-1", status: 200),
    Row(name: "path SKU holding a slash", path: "/v1/products/a%2Fb", status: 200),
    Row(name: "path SKU U+0000", path: "/v1/products/%00", status: 404, kind: .notFound),
    Row(name: "path SKU of 65 bytes", path: "/v1/products/\(long65)", status: 404, kind: .notFound),
    Row(name: "path SKU not UTF-8", path: "/v1/products/%C3", status: 404, kind: .notFound),
    Row(
      name: "admin path SKU U+0000", method: "POST", path: "/v1/products/%00/stock-adjustments",
      body: #"{"delta": 1, "reason": "x"}"#, status: 404, kind: .notFound),
    Row(
      name: "body SKU as in the path", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "ÄÖ-1", "delta": 1, "opId": "ok-1"}"#, status: 200),
    Row(
      name: "body SKU empty", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "", "delta": 1, "opId": "x-1"}"#, status: 422, kind: .invalidField, field: "sku"),
    Row(
      name: "body SKU U+0000", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "\u0000", "delta": 1, "opId": "x-2"}"#, status: 422, kind: .invalidField, field: "sku"),
    Row(
      name: "body SKU of 65 bytes", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "\#(long65)", "delta": 1, "opId": "x-3"}"#, status: 422, kind: .invalidField,
      field: "sku"),
    Row(
      name: "body SKU percent-encoded is taken literally", method: "POST",
      path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "%C3%84%C3%96-1", "delta": 1, "opId": "x-4"}"#, status: 404, kind: .notFound),
    Row(
      name: "opId U+0000", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "TEA", "delta": 1, "opId": "a\u0000"}"#, status: 422, kind: .invalidField, field: "opId"
    ),
    Row(
      name: "opId empty", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "TEA", "delta": 1, "opId": ""}"#, status: 422, kind: .invalidField, field: "opId"),
    Row(
      name: "opId of 65", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "TEA", "delta": 1, "opId": "\#(long65)"}"#, status: 422, kind: .invalidField,
      field: "opId"),
    Row(
      name: "opId percent-encoded", method: "POST", path: "/v1/carts/{cart}/increments",
      body: #"{"sku": "TEA", "delta": 1, "opId": "op%2D1"}"#, status: 422, kind: .invalidField, field: "opId"),
    Row(name: "cart id U+0000", path: "/v1/carts/%00", status: 404, kind: .notFound),
    Row(name: "cart id of 65", path: "/v1/carts/\(long65)", status: 404, kind: .notFound),
    Row(name: "cart id percent-encoded", path: "/v1/carts/{cart}%00", status: 404, kind: .notFound),
    Row(
      name: "cartId U+0000", method: "POST", path: "/v1/orders", body: #"{"cartId": "\u0000"}"#, key: "k-1",
      status: 422, kind: .invalidField, field: "cartId"),
    Row(
      name: "cartId empty", method: "POST", path: "/v1/orders", body: #"{"cartId": ""}"#, key: "k-2",
      status: 422, kind: .invalidField, field: "cartId"),
    Row(
      name: "cartId of 65", method: "POST", path: "/v1/orders", body: #"{"cartId": "\#(long65)"}"#,
      key: "k-3",
      status: 422, kind: .invalidField, field: "cartId"),
    Row(
      name: "Idempotency-Key empty", method: "POST", path: "/v1/orders", body: #"{"cartId": "{cart}"}"#,
      key: "", status: 400, kind: .missingHeader, field: "Idempotency-Key"),
    Row(
      name: "Idempotency-Key of 256", method: "POST", path: "/v1/orders", body: #"{"cartId": "{cart}"}"#,
      key: String(repeating: "k", count: 256), status: 400, kind: .missingHeader, field: "Idempotency-Key"),
    Row(name: "order id U+0000", path: "/v1/orders/%00", status: 404, kind: .notFound),
    // Cursors and search text are positions and words, not names of records: any text within its length
    // answers a page, the same on both engines.
    Row(name: "product cursor U+0000", path: "/v1/products?after=%00", status: 200),
    Row(name: "order cursor U+0000", path: "/v1/orders?after=%00", status: 200),
    Row(name: "search text U+0000", path: "/v1/products?q=%00", status: 200),
    Row(name: "category U+0000", path: "/v1/products?category=%00", status: 200),
    Row(
      name: "order id U+0000 on payments", method: "POST", path: "/v1/orders/%00/payments",
      body: #"{"method": "card"}"#, status: 404, kind: .notFound),
    Row(name: "order id of 65 on cancel", method: "POST", path: "/v1/orders/\(long65)/cancel", status: 404),
  ]

  @Test("every route answers each identifier the same on both engines", arguments: StoreEngine.allCases)
  func routes(engine: StoreEngine) async throws {
    let products = ["TEA", "ÄÖ-1", "a/b"].map { Fixtures.product($0, stock: 5) }
    try await withServer(engine, products: products) { harness in
      let staff = harness.client()
      let admin = harness.client(token: ServerHarness.adminToken)
      let cart = try await staff.createCart()
      for row in Self.rows {
        let path = row.path.replacingOccurrences(of: "{cart}", with: cart.id)
        let body = row.body.map { Array($0.replacingOccurrences(of: "{cart}", with: cart.id).utf8) }
        let headers = row.key.map { [(name: "Idempotency-Key", value: $0)] } ?? []
        let client = path.hasSuffix("stock-adjustments") ? admin : staff
        let response = try await client.send(row.method, path, body: body, headers: headers)
        #expect(response.status == row.status, "\(row.name): \(response.text.prefix(300))")
        if let kind = row.kind {
          #expect(response.problem?.kind == kind, "\(row.name)")
          #expect(response.problem?.field == row.field, "\(row.name)")
        }
      }
      // Nothing a refused row sent reached the cart (the one accepted increment did).
      let after = try await staff.get("/v1/carts/\(cart.id)").decoded(Cart.self)
      #expect(after.lines.map(\.sku) == ["ÄÖ-1"])
    }
  }
}
