import Foundation
import HTTPTypes
import Hummingbird
import TillCore

/// Builds JSON answers.
enum JSONResponse {
  static let contentType = "application/json"

  /// `/problems/...` reads better without the optional `\/` escaping.
  private static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
  }

  static func make(
    _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
  ) throws -> Response {
    let data = try encoder().encode(value)
    var fields = headers
    fields[.contentType] = contentType
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// An `application/problem+json` answer with the problem's own status.
  static func problem(_ problem: Problem, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = Problem.mediaType
    // Encoding a Problem cannot fail (strings, ints and arrays of them); the fallback keeps it total anyway.
    let data = (try? encoder().encode(problem)) ?? Data(#"{"type":"/problems/internal-error"}"#.utf8)
    return Response(
      status: HTTPResponse.Status(code: problem.status), headers: fields,
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

/// A list in the API's envelope, with `next` written as `null` on the last page (the synthesised
/// `Page` coding would leave the key out, and clients in other languages expect it).
struct ListBody<Item: Encodable>: Encodable {
  var items: [Item]
  var next: String?

  enum CodingKeys: String, CodingKey { case items, next }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(items, forKey: .items)
    try container.encode(next, forKey: .next)
  }
}

extension ListBody where Item: Codable & Hashable & Sendable {
  init(_ page: Page<Item>) { self.init(items: page.items, next: page.next) }
}

extension HTTPField.Name {
  static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
  static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
