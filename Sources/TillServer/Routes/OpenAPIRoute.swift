import Foundation
import Hummingbird
import TillCore
import TillResources

/// `GET /openapi.yaml`: the OpenAPI description of this API, no token needed (like `/v1/health`, it is
/// registered on the router itself, outside the `/v1` group). The file is read once, at start.
struct OpenAPIRoute {
  static let path = "/openapi.yaml"
  static let contentType = "application/yaml"

  /// The document, or nil when the resource bundle lacks it (a packaging fault: answered as 500).
  let document: Data?

  init(document: Data? = TillResources.openAPIURL.flatMap { try? Data(contentsOf: $0) }) {
    self.document = document
  }

  func register(on router: Router<TillRequestContext>) {
    router.get(RouterPath(Self.path)) { _, _ -> Response in
      guard let document else { throw Problem.internalError }
      var headers: HTTPFields = [:]
      headers[.contentType] = Self.contentType
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
  }
}
