import Foundation
import Hummingbird

/// An error answered in YooKassa's shape:
/// `{"type": "error", "code": "...", "description": "...", "parameter": "..."}`.
struct SandboxError: HTTPResponseError, Encodable {
  let status: HTTPResponse.Status
  let code: String
  let description: String
  let parameter: String?

  init(_ status: HTTPResponse.Status, code: String, description: String, parameter: String? = nil) {
    self.status = status
    self.code = code
    self.description = description
    self.parameter = parameter
  }

  enum CodingKeys: String, CodingKey {
    case type, code, description, parameter
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("error", forKey: .type)
    try container.encode(code, forKey: .code)
    try container.encode(description, forKey: .description)
    try container.encodeIfPresent(parameter, forKey: .parameter)
  }

  func response(from request: Request, context: some RequestContext) throws -> Response {
    var response = jsonResponse(self, status: status)
    if status == .unauthorized {
      response.headers[.wwwAuthenticate] = "Basic realm=\"till-payments-sandbox\""
    }
    return response
  }

  static func invalidRequest(_ description: String, parameter: String? = nil) -> SandboxError {
    SandboxError(.badRequest, code: "invalid_request", description: description, parameter: parameter)
  }

  /// The 400 answer for a body that did not decode, naming the parameter when the decoder knows it.
  static func refusing(_ error: any Error) -> SandboxError {
    guard let error = error as? DecodingError else {
      return .invalidRequest("Request body is not valid JSON")
    }
    func dotted(_ path: [any CodingKey]) -> String? {
      let names = path.map(\.stringValue)
      return names.isEmpty ? nil : names.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      let parameter = dotted(context.codingPath)
      return .invalidRequest("\(parameter ?? "body") has the wrong type", parameter: parameter)
    case .keyNotFound(let key, let context):
      let parameter = dotted(context.codingPath + [key])
      return .invalidRequest("\(parameter ?? key.stringValue) is required", parameter: parameter)
    case .dataCorrupted(let context):
      if let parameter = dotted(context.codingPath) {
        return .invalidRequest("\(parameter) is invalid", parameter: parameter)
      }
      return .invalidRequest("Request body is not valid JSON")
    @unknown default:
      return .invalidRequest("Request body is not valid JSON")
    }
  }

  static let invalidCredentials = SandboxError(
    .unauthorized, code: "invalid_credentials",
    description: "Basic authentication failed: shop id or secret key is incorrect")

  static let missingIdempotenceKey = invalidRequest(
    "Idempotence-Key header is required", parameter: "Idempotence-Key")

  static let duplicatedIdempotenceKey = invalidRequest(
    "Idempotence key duplicated", parameter: "Idempotence-Key")

  static let internalError = SandboxError(
    .internalServerError, code: "internal_server_error",
    description: "Internal error in the sandbox provider; retry with the same Idempotence-Key")
}

/// Marks a request whose connection was closed on purpose (fault `drop-after-charge`): nothing is
/// answered, and the log line says so.
struct ConnectionDropped: Error {}

/// A JSON response with `Content-Type: application/json`.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
  // Encoding our own plain structs cannot fail; fall back to an empty object rather than crash.
  let data = (try? WireCoding.encoder().encode(value)) ?? Data("{}".utf8)
  var headers = HTTPFields()
  headers[.contentType] = "application/json"
  return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
