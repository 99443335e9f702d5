import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

/// The 405 answers come from the router's own route list: whatever is registered is allowed, nothing
/// else, with no second table to keep in step.
@Suite("405 answers read the router's route list")
struct RouteListTests {
  @Test("every route of the server's router is allowed for its path; a route added later once reloaded")
  func serverRoutes() async throws {
    let store = try await makeTestStore(.sqlite, products: [])
    let payments = try #require(store as? any Store & PaymentStore & StaffStore & RegisterStore & RefundStore)
    let router = TillApplication.makeRouter(
      store: payments, configuration: RouterListing.configuration, authenticator: RouterListing.authenticator,
      payments: RouterListing.payments(store: payments), metrics: ServerMetrics())
    let allowed = AllowedMethods()
    #expect(allowed.methods(for: "/v1/orders").isEmpty, "nothing before the list is loaded")
    allowed.load(from: router)
    let routes = RouterListing.routes(store: payments)
    #expect(routes.count >= 14)
    for route in routes {
      let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
      let path = parts[1].replacing(#/\{[^}]+\}/#, with: "probe")
      #expect(allowed.methods(for: path).contains(parts[0]), "\(route) at \(path)")
    }
    // Every GET route answers HEAD too (the router generates it), so 405 lists it.
    #expect(allowed.methods(for: "/v1/orders") == ["GET", "HEAD", "POST"])
    #expect(allowed.methods(for: "/v1/orders/some-id/payments") == ["POST"])
    #expect(allowed.methods(for: "/v1/health") == ["GET", "HEAD"])
    #expect(allowed.methods(for: "/openapi.yaml") == ["GET", "HEAD"])
    #expect(allowed.methods(for: "/v1/nowhere").isEmpty)
    #expect(allowed.methods(for: "/v1/orders/a/payments/b").isEmpty)

    // A route added to the router is allowed without being named anywhere else.
    router.group("v1").delete("orders/:id") { _, _ in "deleted" }
    allowed.load(from: router)
    #expect(allowed.methods(for: "/v1/orders/some-id") == ["DELETE", "GET", "HEAD"])
    await disposeTestStore(store)
  }
}
