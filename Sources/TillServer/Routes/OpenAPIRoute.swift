import Foundation
import Hummingbird
import TillCore
import TillResources

/// `GET /openapi.yaml`: the OpenAPI description of this API, no token needed (like `/v1/health`, it is
/// registered before the auth middleware). The file is read once, when the route is registered.
struct OpenAPIRoute {
  static let path = "/openapi.yaml"
  static let contentType = "application/yaml"

  /// The document, or nil when the resource bundle lacks it (a packaging fault: answered as 500).
  let document: Data?

  init(document: Data? = TillResources.openAPIURL.flatMap { try? Data(contentsOf: $0) }) {
    self.document = document
  }

  func register(on routes: RouteRegistrar) {
    routes.get(Self.path) { _, _ in
      guard let document else { throw Problem.internalError }
      var headers: HTTPFields = [:]
      headers[.contentType] = Self.contentType
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
  }
}
