import Hummingbird
import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

/// The 405 answers come from the router's own route list: whatever is registered is allowed, nothing
/// else, with no second table to keep in step.
@Suite("405 answers read the router's route list")
struct RouteListTests {
  @Test("every route of the server's router is allowed for its path, and only those methods")
  func serverRoutes() async throws {
    let store = try await makeTestStore(.sqlite, products: [])
    let payments = try #require(store as? any Store & PaymentStore)
    let router = RouterListing.router(store: payments)
    let allowed = AllowedMethods()
    allowed.load(from: router)
    #expect(router.routes.count >= 14)
    for route in router.routes {
      let path =
        "/" + route.path.components.map { $0 ~= "" ? "probe" : $0.description }.joined(separator: "/")
      #expect(allowed.methods(for: path).contains(route.method.rawValue), "\(route) at \(path)")
    }
    #expect(allowed.methods(for: "/v1/orders") == ["GET", "POST"])
    #expect(allowed.methods(for: "/v1/orders/some-id/payments") == ["POST"])
    #expect(allowed.methods(for: "/v1/health") == ["GET"])
    #expect(allowed.methods(for: "/openapi.yaml") == ["GET"])
    #expect(allowed.methods(for: "/v1/nowhere").isEmpty)
    #expect(allowed.methods(for: "/v1/orders/a/payments/b").isEmpty)
    await disposeTestStore(store)
  }

  @Test("a route added to a router is in the list without being named anywhere else")
  func anyRouter() {
    let router = Router(context: TillRequestContext.self)
    router.put("things/:id") { _, _ in "put" }
    router.group("v1").delete("things/:id") { _, _ in "deleted" }
    let allowed = AllowedMethods()
    #expect(allowed.methods(for: "/things/1").isEmpty, "nothing before the list is loaded")
    allowed.load(from: router)
    #expect(allowed.methods(for: "/things/1") == ["PUT"])
    #expect(allowed.methods(for: "/v1/things/1") == ["DELETE"])
    #expect(allowed.methods(for: "/things").isEmpty)
  }
}
