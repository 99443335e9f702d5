import Foundation
import Hummingbird
import TillCore

/// Every identifier a request names is checked here, once, at the HTTP boundary, with one rule per kind,
/// so both storage engines only ever see identifiers that pass (an engine never decides what a NUL or an
/// over-long key means). A refused identifier from the path names no resource (404); one from a body is
/// a field with an invalid value (422); the `Idempotency-Key` header is a malformed request (400).
///
/// Path segments arrive percent-encoded (the router splits on `/` and leaves them so): they are decoded
/// exactly once, here, so `/v1/products/%C3%84%C3%96-1` is the product `ÄÖ-1` and `a%2Fb` the SKU `a/b`,
/// the same SKU a body names. A segment that is not valid percent-encoded UTF-8 names nothing.
enum IdentifierValidation {
  /// A cart or order id: 1–64 characters of `A-Z a-z 0-9 _ -` (the store makes them as lowercase UUIDs).
  static func isValidRecordID(_ value: String) -> Bool {
    !value.isEmpty && value.utf8.count <= 64
      && value.utf8.allSatisfy { byte in
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
          || byte == 0x5F || byte == 0x2D
      }
  }

  // MARK: Path

  /// The SKU named by the path parameter `name` (`Identifiers.isValidSKU`), or 404.
  static func sku(_ name: String = "sku", in context: TillRequestContext) throws -> String {
    try pathValue(name, in: context, valid: Identifiers.isValidSKU, notFound: "No such product.")
  }

  /// The cart id named by the path parameter `id`, or 404.
  static func cartID(in context: TillRequestContext) throws -> String {
    try pathValue("id", in: context, valid: isValidRecordID, notFound: "No such cart.")
  }

  /// The order id named by the path parameter `id`, or 404.
  static func orderID(in context: TillRequestContext) throws -> String {
    try pathValue("id", in: context, valid: isValidRecordID, notFound: "No such order.")
  }

  static func refundID(in context: TillRequestContext) throws -> String {
    try pathValue("refund", in: context, valid: isValidRecordID, notFound: "No such refund.")
  }

  private static func pathValue(
    _ name: String, in context: TillRequestContext, valid: (String) -> Bool, notFound detail: String
  ) throws -> String {
    let raw = try context.parameters.require(name)
    guard let value = raw.removingPercentEncoding, valid(value) else {
      throw Problem(.notFound, detail: detail)
    }
    return value
  }

  // MARK: Body and headers

  /// A SKU named in a body: the same rule as in the path; 422 naming `field` otherwise.
  static func sku(_ value: String, field: String = "sku") throws(Problem) -> String {
    guard Identifiers.isValidSKU(value) else {
      throw Problem.invalidField(
        field, "\(field) must be 1 to \(Limits.maxSKUBytes) bytes of UTF-8 without control characters.")
    }
    return value
  }

  /// A cart id named in a body (`cartId`); 422 otherwise.
  static func cartID(_ value: String, field: String = "cartId") throws(Problem) -> String {
    guard isValidRecordID(value) else {
      throw Problem.invalidField(field, "\(field) must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.")
    }
    return value
  }

  /// An increment's `opId` (`Identifiers.isValidOperationID`); 422 otherwise.
  static func operationID(_ value: String) throws(Problem) -> String {
    guard Identifiers.isValidOperationID(value) else {
      throw Problem.invalidField("opId", "opId must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.")
    }
    return value
  }

  /// Exactly one `Idempotency-Key` header of 1–255 visible ASCII characters
  /// (`Identifiers.isValidIdempotencyKey`); 400 otherwise.
  static func idempotencyKey(of request: Request) throws(Problem) -> String {
    try idempotencyKey(request.headers[values: .idempotencyKey])
  }

  /// The request's `Idempotency-Key` when it sends one (nil for none); one that is malformed or sent
  /// twice is a 400 as above.
  static func optionalIdempotencyKey(of request: Request) throws(Problem) -> String? {
    let values = request.headers[values: .idempotencyKey]
    return values.isEmpty ? nil : try idempotencyKey(values)
  }

  /// The one `Idempotency-Key` among the header's `values`.
  static func idempotencyKey(_ values: [String]) throws(Problem) -> String {
    guard values.count == 1, Identifiers.isValidIdempotencyKey(values[0]) else {
      throw Problem(
        .missingHeader, detail: "Send one Idempotency-Key header of 1 to 255 visible ASCII characters.",
        field: "Idempotency-Key")
    }
    return values[0]
  }
}
