import Testing
import TillCore
import TillTestSupport

/// Every GET route answers HEAD with the GET's status and headers and no body, behind the same auth.
@Suite("HEAD on GET routes")
struct HeadRequestTests {
  static let products = [Fixtures.product("HEAD-1", stock: 3)]

  @Test("HEAD mirrors GET's status and headers without a body, on every kind of GET route")
  func mirrorsGet() async throws {
    try await withServer(products: Self.products) { harness in
      let client = harness.client()
      let cart = try await client.createCart()
      for path in [
        "/v1/health", "/openapi.yaml", "/v1/products?q=HEAD", "/v1/products/HEAD-1", "/v1/categories",
        "/v1/carts/\(cart.id)", "/v1/orders",
      ] {
        let get = try await client.get(path)
        let head = try await client.send("HEAD", path, body: nil)
        #expect(get.status == 200, "GET \(path): \(get.text.prefix(200))")
        #expect(head.status == get.status, "HEAD \(path)")
        #expect(head.body.isEmpty, "HEAD \(path) has no body")
        #expect(head.header("Content-Type") == get.header("Content-Type"), "HEAD \(path)")
        #expect(head.header("Content-Length") == get.header("Content-Length"), "HEAD \(path)")
      }
      #expect(try await client.send("HEAD", "/v1/products/NO-SUCH", body: nil).status == 404)
    }
  }

  @Test("HEAD needs the token GET needs, and a POST-only route lists what it allows")
  func authAndAllow() async throws {
    try await withServer(products: Self.products) { harness in
      #expect(try await harness.client(token: nil).send("HEAD", "/v1/products", body: nil).status == 401)
      let post = try await harness.client().send("HEAD", "/v1/carts", body: nil)
      #expect(post.status == 405)
      #expect(post.header("Allow") == "POST")
      let put = try await harness.client().send("PUT", "/v1/products/HEAD-1", body: nil)
      #expect(put.header("Allow") == "GET, HEAD")
    }
  }
}
