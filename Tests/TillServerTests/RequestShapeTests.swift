import Foundation
import Testing
import TillCore
import TillTestSupport

/// Every request has a Host, and no body over the limit is taken, whatever the route does with it.
@Suite("request shape: Host required, body limit on every route")
struct RequestShapeTests {
  static let products = [Fixtures.product("SHAPE-1", stock: 5)]
  static let staff = [("Authorization", "Bearer \(ServerHarness.staffToken)")]

  /// An unpaid order of one unit, for the cancel route (which ignores its body).
  func placedOrder(_ harness: ServerHarness) async throws -> Order {
    let client = harness.client()
    let cart = try await client.createCart()
    _ = try await client.increment(cart: cart.id, sku: "SHAPE-1", delta: 1)
    return try await client.placeOrder(cart: cart.id).decoded(Order.self, expecting: 201)
  }

  @Test("a 10 MB cancel is refused before it is read, and cancels nothing", arguments: StoreEngine.allCases)
  func hugeBodyOnABodilessRoute(engine: StoreEngine) async throws {
    try await withServer(engine, products: Self.products) { harness in
      let order = try await placedOrder(harness)
      let socket = try RawHTTPSocket(port: harness.server.port)
      let head =
        "POST /v1/orders/\(order.id)/cancel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer \(ServerHarness.staffToken)\r\nContent-Type: application/json\r\n"
        + "Content-Length: \(10 * 1024 * 1024)\r\n\r\n"
      socket.send(Array(head.utf8) + Array(repeating: UInt8(ascii: " "), count: 64 * 1024))
      let answer = try await socket.readResponse()
      #expect(answer.status == 413)
      #expect(answer.headers["content-type"] == Problem.mediaType)
      socket.close()
      let after = try await harness.client().get("/v1/orders/\(order.id)").decoded(Order.self)
      #expect(after.status == .placed, "nothing was canceled")
    }
  }

  @Test("a chunked body over the limit is refused on a route that ignores bodies")
  func chunkedBodyOverTheLimit() async throws {
    try await withServer(products: Self.products) { harness in
      let order = try await placedOrder(harness)
      let socket = try RawHTTPSocket(port: harness.server.port)
      var bytes = Array(
        ("POST /v1/orders/\(order.id)/cancel HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer \(ServerHarness.staffToken)\r\nTransfer-Encoding: chunked\r\n\r\n").utf8)
      for _ in 0..<5 {
        bytes +=
          Array("4000\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 0x4000) + Array("\r\n".utf8)
      }
      bytes += Array("0\r\n\r\n".utf8)
      socket.send(bytes)
      #expect(try await socket.readResponse().status == 413)
      socket.close()
      let after = try await harness.client().get("/v1/orders/\(order.id)").decoded(Order.self)
      #expect(after.status == .placed)
      let canceled = try await harness.client().post(
        "/v1/orders/\(order.id)/cancel", json: [String: String]())
      #expect(canceled.status == 200, "a small body still works")
    }
  }

  @Test("a request without Host is 400 and changes nothing")
  func missingHost() async throws {
    try await withServer(products: Self.products) { harness in
      let socket = try RawHTTPSocket(port: harness.server.port)
      socket.send(Array("GET /v1/health HTTP/1.1\r\n\r\n".utf8))
      let health = try await socket.readResponse()
      #expect(health.status == 400)
      #expect(health.headers["content-type"] == Problem.mediaType)
      socket.close()
      let writer = try RawHTTPSocket(port: harness.server.port)
      let body = #"{"delta": 1, "reason": "no host"}"#
      writer.send(
        Array(
          ("POST /v1/products/SHAPE-1/stock-adjustments HTTP/1.1\r\nAuthorization: Bearer \(ServerHarness.adminToken)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8))
      #expect(try await writer.readResponse().status == 400)
      writer.close()
      #expect(try await Fixtures.stock(harness.client())["SHAPE-1"] == 5)
    }
  }
}
