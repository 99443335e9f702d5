import Hummingbird
import TillCore
import TillStore

/// `GET /v1/health`: liveness, no token needed. Registered on the router itself, outside the `/v1` group
/// and its auth middleware.
struct HealthRoutes {
  static let path = "/v1/health"

  let store: any Store

  func register(on router: Router<TillRequestContext>) {
    router.get(RouterPath(Self.path)) { _, _ -> Health in
      Health(status: "ok", engine: store.engine)
    }
  }
}
