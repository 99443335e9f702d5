import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TillCore

/// The JSON the API speaks, in one place: the request context hands these to Hummingbird as its
/// `responseEncoder` and `requestDecoder`, so handlers return wire values (`ResponseEncodable`) and read
/// bodies with `request.decode(as:context:)`.
enum TillJSON {
  static let contentType = "application/json"

  /// `/problems/...` reads better without the optional `\/` escaping. Dates are never encoded (the wire
  /// types carry timestamps as ISO 8601 text), so no date strategy applies.
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
  }

  /// A problem document as bytes. Encoding a Problem cannot fail (strings, ints and arrays of them); the
  /// fallback keeps it total anyway.
  static func encode(_ problem: Problem) -> ByteBuffer {
    let data = (try? encoder().encode(problem)) ?? Data(#"{"type":"/problems/internal-error"}"#.utf8)
    return ByteBuffer(bytes: data)
  }
}

/// Encodes every successful answer: 200 and `Content-Type: application/json` (a route changes the status
/// or adds headers with `EditedResponse`).
public struct TillResponseEncoder: ResponseEncoder {
  public init() {}

  public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws
    -> Response
  {
    let data = try TillJSON.encoder().encode(value)
    var headers: HTTPFields = [:]
    headers[.contentType] = TillJSON.contentType
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

/// Decodes request bodies: at most the context's `maxUploadSize` (413 otherwise), and decoding errors
/// become 400 problems naming the field. It throws `Problem`s, which `request.decode(as:context:)`
/// passes on as they are.
public struct TillRequestDecoder: RequestDecoder {
  public init() {}

  public func decode<Value: Decodable>(
    _ type: Value.Type, from request: Request, context: some RequestContext
  ) async throws -> Value {
    let bytes = try await BodyLimit.collect(request, upTo: context.maxUploadSize)
    guard !bytes.isEmpty else {
      throw Problem(.malformedRequest, detail: "A JSON body is required.")
    }
    do {
      return try JSONDecoder().decode(Value.self, from: bytes)
    } catch let error as DecodingError {
      throw DecodingProblem.problem(for: error, body: bytes)
    } catch {
      throw Problem(.malformedRequest, detail: "The body is not valid JSON.")
    }
  }
}

/// The body-size rule every route shares.
enum BodyLimit {
  /// Collects the body. A body over `limit` is a 413 problem, refused from its Content-Length before
  /// anything is read when it declares one.
  static func collect(_ request: Request, upTo limit: Int = Limits.maxBodyBytes) async throws -> Data {
    if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
      throw tooLarge
    }
    do {
      let buffer = try await request.body.collect(upTo: limit)
      return Data(buffer.readableBytesView)
    } catch is NIOTooManyBytesError {
      throw tooLarge
    }
  }

  static let tooLarge = Problem(
    .payloadTooLarge, detail: "Request bodies may be at most \(Limits.maxBodyBytes) bytes.")
}

extension Problem {
  /// The `application/problem+json` answer, with the problem's own status.
  func response(headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = Problem.mediaType
    return Response(
      status: HTTPResponse.Status(code: status), headers: fields,
      body: .init(byteBuffer: TillJSON.encode(self)))
  }
}

/// A list in the API's envelope, with `next` written as `null` on the last page (the synthesised
/// `Page` coding would leave the key out, and clients in other languages expect it).
struct ListBody<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
  var items: [Item]
  var next: String?

  enum CodingKeys: String, CodingKey { case items, next }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(items, forKey: .items)
    try container.encode(next, forKey: .next)
  }
}

extension ListBody where Item: Codable & Hashable {
  init(_ page: Page<Item>) { self.init(items: page.items, next: page.next) }
}

// The wire types the routes answer with. They live in TillCore, which knows nothing of Hummingbird.
extension Cart: ResponseEncodable {}
extension Order: ResponseEncodable {}
extension Product: ResponseEncodable {}
extension Payment: ResponseEncodable {}
extension Refund: ResponseEncodable {}
extension Health: ResponseEncodable {}

extension HTTPField.Name {
  static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
  static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
