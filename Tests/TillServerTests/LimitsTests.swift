import Foundation
import Logging
import Testing
import TillCore
import TillHTTP
import TillServer
import TillStore
import TillTestSupport

/// Every documented limit hit for real over loopback: the answer a client sees (status, problem type,
/// headers), and that the refused request changed nothing.
@Suite struct LimitsTests {
  static let products = [Fixtures.product("LIM-A", stock: 10)]
  static let staff = [("Authorization", "Bearer \(ServerHarness.staffToken)")]
  static let admin = [("Authorization", "Bearer \(ServerHarness.adminToken)")]

  // MARK: connections

  @Test func connectionOverTheCapGets503ProblemAndClosing() async throws {
    try await withLimitedServer(maxConnections: 4) { server in
      let port = server.port
      var admitted: [RawHTTPSocket] = []
      for _ in 0..<4 {
        let socket = try RawHTTPSocket(port: port)
        socket.send("GET", "/v1/health")
        #expect(try await socket.readResponse().status == 200)
        admitted.append(socket)
      }
      // The fifth tries to change stock: it must be refused before any route runs.
      let fifth = try RawHTTPSocket(port: port)
      fifth.send(
        "POST", "/v1/products/LIM-A/stock-adjustments", headers: Self.admin,
        body: Array(#"{"delta": 5, "reason": "restock"}"#.utf8))
      let refused = try await fifth.readResponse()
      #expect(refused.status == 503)
      #expect(refused.headers["content-type"] == Problem.mediaType)
      #expect(refused.headers["retry-after"] == "1")
      #expect(refused.headers["connection"] == "close")
      let problem = try JSONDecoder().decode(Problem.self, from: Data(refused.body))
      #expect(problem.type == "/problems/too-many-connections")
      #expect(problem.status == 503)
      #expect(await fifth.isClosedByServer())

      // The admitted connections keep working, and the refused write changed nothing.
      admitted[1].send("GET", "/v1/products/LIM-A", headers: Self.staff)
      let product = try JSONDecoder().decode(
        Product.self, from: Data(try await admitted[1].readResponse().body))
      #expect(product.stock == 10)

      // Closing one admitted connection lets a new one in (the server notices the close asynchronously).
      admitted[0].close()
      let newcomer = try await firstAdmitted(port: port)
      #expect(newcomer != nil)
      for socket in admitted { socket.close() }
    }
  }

  @Test func concurrentConnectionsAdmitExactlyTheCap() async throws {
    let cap = 4
    let attempts = 12
    try await withLimitedServer(maxConnections: cap) { server in
      // Every client connects and sends at once, each from its own task, holding its connection open.
      let sockets = try (0..<attempts).map { _ in try RawHTTPSocket(port: server.port) }
      let statuses = await withTaskGroup(of: Int.self) { group in
        for socket in sockets {
          group.addTask {
            socket.send("GET", "/v1/health")
            return (try? await socket.readResponse().status) ?? -1
          }
        }
        var statuses: [Int] = []
        for await status in group { statuses.append(status) }
        return statuses
      }
      #expect(statuses.filter { $0 == 200 }.count == cap)
      #expect(statuses.filter { $0 == 503 }.count == attempts - cap)
      for socket in sockets { socket.close() }
      // Every place is given back once the clients have gone.
      #expect(try await firstAdmitted(port: server.port) != nil)
      var again: [RawHTTPSocket] = []
      for _ in 0..<cap {
        let socket = try RawHTTPSocket(port: server.port)
        socket.send("GET", "/v1/health")
        #expect(try await socket.readResponse().status == 200)
        again.append(socket)
      }
      for socket in again { socket.close() }
    }
  }

  @Test func invalidConnectionCapIsRefusedAtStart() {
    #expect(throws: ServerConfigurationError.invalidMaxConnections(0)) {
      _ = try ServerConfiguration(staffTokens: [ServerHarness.staffToken], maxConnections: 0).validated()
    }
    #expect(ServerConfiguration(staffTokens: [ServerHarness.staffToken]).maxConnections == 512)
  }

  // MARK: headers

  @Test func hugeHeaderGets431Problem() async throws {
    try await withLimitedServer { server in
      let socket = try RawHTTPSocket(port: server.port)
      socket.send(
        "POST", "/v1/products/LIM-A/stock-adjustments",
        headers: Self.admin + [("X-Padding", String(repeating: "a", count: 100_000))],
        body: Array(#"{"delta": 5, "reason": "restock"}"#.utf8))
      let response = try await socket.readResponse()
      #expect(response.status == 431)
      #expect(response.headers["content-type"] == Problem.mediaType)
      #expect(response.headers["connection"] == "close")
      let problem = try JSONDecoder().decode(Problem.self, from: Data(response.body))
      #expect(problem.type == "/problems/request-header-too-large")
      #expect(problem.status == 431)
      #expect(await socket.isClosedByServer())

      // The same through libcurl (what TillHTTP clients see), then: nothing changed.
      let client = APITestClient(baseURL: server.baseURL, token: ServerHarness.staffToken)
      let viaCurl = try await client.get(
        "/v1/products/LIM-A", headers: [(name: "X-Padding", value: String(repeating: "b", count: 100_000))])
      #expect(viaCurl.status == 431)
      #expect(viaCurl.problem?.type == "/problems/request-header-too-large")
      #expect(try await Fixtures.stock(client)["LIM-A"] == 10)
    }
  }

  @Test func headersJustBelowTheLimitAndTooManyFields() async throws {
    try await withLimitedServer { server in
      let client = APITestClient(baseURL: server.baseURL, token: ServerHarness.staffToken)
      let large = try await client.get(
        "/v1/products/LIM-A", headers: [(name: "X-Padding", value: String(repeating: "c", count: 20_000))])
      #expect(large.status == 200)
      let many = (0..<150).map { (name: "X-Field-\($0)", value: "v") }
      let tooMany = try await client.get("/v1/products/LIM-A", headers: many)
      #expect(tooMany.status == 431)
      #expect(tooMany.problem?.type == "/problems/request-header-too-large")
    }
  }

  @Test func garbageRequestLineGets400Problem() async throws {
    try await withLimitedServer { server in
      let socket = try RawHTTPSocket(port: server.port)
      socket.send(Array("NOT HTTP AT ALL\r\n\r\n".utf8))
      let response = try await socket.readResponse()
      #expect(response.status == 400)
      #expect(response.headers["content-type"] == Problem.mediaType)
      let problem = try JSONDecoder().decode(Problem.self, from: Data(response.body))
      #expect(problem.kind == .malformedRequest)
      #expect(await socket.isClosedByServer())
    }
  }

  // MARK: bodies

  @Test func bodyLimitIsExactly64KiB() async throws {
    try await withLimitedServer { server in
      let admin = APITestClient(baseURL: server.baseURL, token: ServerHarness.adminToken)
      let path = "/v1/products/LIM-A/stock-adjustments"
      // A valid adjustment padded with spaces to exactly the limit is read (and applied)...
      let json = Array(#"{"delta": 1, "reason": "restock"}"#.utf8)
      let exact = json + Array(repeating: 0x20, count: Limits.maxBodyBytes - json.count)
      let accepted = try await admin.send("POST", path, body: exact)
      #expect(accepted.status == 200)
      // ...one byte more is 413, and nothing changes.
      let over = try await admin.send("POST", path, body: exact + [0x20])
      #expect(over.status == 413)
      #expect(over.problem?.kind == .payloadTooLarge)
      #expect(try await Fixtures.stock(admin)["LIM-A"] == 11)
    }
  }

  @Test func chunkedBodyOverTheLimitIs413() async throws {
    try await withLimitedServer { server in
      // No Content-Length: the limit is enforced while reading.
      let socket = try RawHTTPSocket(port: server.port)
      var request = "POST /v1/products/LIM-A/stock-adjustments HTTP/1.1\r\nHost: x\r\n"
      request += "Authorization: Bearer \(ServerHarness.adminToken)\r\nTransfer-Encoding: chunked\r\n\r\n"
      var bytes = Array(request.utf8)
      let chunk = Array(repeating: UInt8(0x20), count: 16 * 1024)
      for _ in 0..<5 { bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + [13, 10] }
      bytes += Array("0\r\n\r\n".utf8)
      socket.send(bytes)
      let response = try await socket.readResponse()
      #expect(response.status == 413)
      #expect(response.headers["content-type"] == Problem.mediaType)
      let client = APITestClient(baseURL: server.baseURL, token: ServerHarness.staffToken)
      #expect(try await Fixtures.stock(client)["LIM-A"] == 10)
    }
  }

  // MARK: cart lines

  @Test func cartLine201Gets422AndChangesNothing() async throws {
    let products = DemoCatalogue.synthetic(count: Limits.maxCartLines + 1)
    try await withServer(products: products) { harness in
      let client = harness.client()
      let stockBefore = try await Fixtures.stock(client)
      let cart = try await client.createCart()
      for product in products.prefix(Limits.maxCartLines) {
        let response = try await client.increment(cart: cart.id, sku: product.sku, delta: 1)
        try #require(response.status == 200, "\(product.sku): \(response.text)")
      }
      let before = try await client.get("/v1/carts/\(cart.id)").decoded(Cart.self)
      let last = try #require(products.last)
      let refused = try await client.increment(cart: cart.id, sku: last.sku, delta: 1)
      #expect(refused.status == 422)
      #expect(refused.problem?.kind == .cartLineLimit)
      #expect(refused.problem?.field == "sku")
      let after = try await client.get("/v1/carts/\(cart.id)").decoded(Cart.self)
      #expect(after == before)
      #expect(after.lines.count == Limits.maxCartLines)
      // An existing line can still grow.
      let first = try #require(products.first)
      #expect(try await client.increment(cart: cart.id, sku: first.sku, delta: 1).status == 200)
      #expect(try await Fixtures.stock(client) == stockBefore)
    }
  }

  // MARK: helpers

  /// A new connection that is admitted within ten seconds (a closed connection's place is given back
  /// asynchronously; the bound only guards against a hang), or nil after failing the test.
  private func firstAdmitted(port: Int) async throws -> RawHTTPSocket? {
    try await eventuallyValue(
      within: .seconds(10), every: .milliseconds(50), "no new connection was admitted"
    ) {
      let socket = try RawHTTPSocket(port: port)
      socket.send("GET", "/v1/health")
      guard let response = try? await socket.readResponse(), response.status == 200 else { return nil }
      return socket
    }
  }
}

/// A server like `ServerHarness`'s (same tokens, fresh SQLite store) with a connection cap.
func withLimitedServer(
  maxConnections: Int = ServerConfiguration.defaultMaxConnections,
  products: [Product] = LimitsTests.products, _ body: (RunningServer) async throws -> Void
) async throws {
  let store = try await makeTestStore(.sqlite, products: products)
  guard let paymentStore = store as? any Store & PaymentStore else {
    await disposeTestStore(store)
    throw StoreError.engine("the store does not implement PaymentStore")
  }
  let configuration = ServerConfiguration(
    host: "127.0.0.1", port: 0, staffTokens: [ServerHarness.staffToken, ServerHarness.otherStaffToken],
    adminToken: ServerHarness.adminToken, maxConnections: maxConnections)
  let server: RunningServer
  do {
    server = try await RunningServer.start(
      store: paymentStore, configuration: configuration,
      logger: Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() }))
  } catch {
    await disposeTestStore(store)
    throw error
  }
  do {
    try await body(server)
  } catch {
    await server.stop()
    await disposeTestStore(store)
    throw error
  }
  await server.stop()
  await disposeTestStore(store)
}
