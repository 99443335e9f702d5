import Hummingbird
import TillCore
import TillStore

/// `GET /v1/health`: liveness, no token needed.
struct HealthRoutes {
  static let path = "/v1/health"

  let store: any Store

  func register(on routes: RouteRegistrar) {
    routes.get(Self.path) { _, _ in
      try JSONResponse.make(Health(status: "ok", engine: store.engine))
    }
  }
}
