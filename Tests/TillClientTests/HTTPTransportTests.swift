import Foundation
import Synchronization
import Testing
import TillTestSupport

@testable import TillHTTP

/// TillHTTP against a real TCP server on loopback, through real libcurl.
@Suite("TillHTTP transport")
struct HTTPTransportTests {
  /// Echoes what it received: method, path, one header and the body, as "METHOD PATH|x-test|body".
  static func echo(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Reply {
    let text = "\(request.method) \(request.path)|\(request.headers["x-test"] ?? "")|"
    return .init(
      status: 200, headers: [("Content-Type", "text/plain"), ("X-Echo", "yes")],
      body: Array(text.utf8) + request.body)
  }

  @Test("many sequential requests share one kept-alive TCP connection")
  func keepAlive() async throws {
    let server = try LoopbackHTTPServer(handler: Self.echo)
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    var ports: Set<Int?> = []
    var newConnections = 0
    for index in 0..<50 {
      let method = index.isMultiple(of: 2) ? "GET" : "POST"
      let response = try await connection.send(
        HTTPRequest(method: method, path: "/r/\(index)", body: method == "POST" ? [1, 2] : nil))
      #expect(response.status == 200)
      ports.insert(response.localPort)
      newConnections += response.newConnections
    }
    #expect(server.acceptedConnections == 1)
    #expect(ports.count == 1)
    #expect(newConnections == 1)
  }

  @Test("method, path, headers and body travel both ways; option state does not leak between requests")
  func roundTrip() async throws {
    let server = try LoopbackHTTPServer(handler: Self.echo)
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL + "/")
    let post = try await connection.send(
      HTTPRequest(
        method: "POST", path: "/v1/x?q=a", headers: [("X-Test", "one"), ("X-Evil", "a\r\nX-Test: injected")],
        body: Array("hi".utf8)))
    #expect(String(decoding: post.body, as: UTF8.self) == "POST /v1/x?q=a|one|hi")
    #expect(post.header("x-echo") == "yes")
    #expect(post.header("CONTENT-TYPE") == "text/plain")
    #expect(post.headers["content-type"] == "text/plain")
    // After a POST with a header and a body, a GET must carry neither.
    let get = try await connection.send(HTTPRequest(method: "GET", path: "/g"))
    #expect(String(decoding: get.body, as: UTF8.self) == "GET /g||")
    let delete = try await connection.send(HTTPRequest(method: "DELETE", path: "/d"))
    #expect(String(decoding: delete.body, as: UTF8.self) == "DELETE /d||")
    let put = try await connection.send(HTTPRequest(method: "PUT", path: "/p", body: [0x41]))
    #expect(String(decoding: put.body, as: UTF8.self) == "PUT /p||A")
    let emptyPost = try await connection.send(HTTPRequest(method: "POST", path: "/e"))
    #expect(String(decoding: emptyPost.body, as: UTF8.self) == "POST /e||")
    // A body above libcurl's Expect: 100-continue threshold is sent at once.
    let big = [UInt8](repeating: 0x62, count: 200_000)
    let large = try await connection.send(HTTPRequest(method: "POST", path: "/big", body: big))
    #expect(large.body.count == "POST /big||".utf8.count + big.count)
    #expect(server.acceptedConnections == 1)
  }

  @Test("an HTTP error status is a response, not an error")
  func errorStatusIsResponse() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 404, body: Array("nope".utf8)) }
    defer { server.stop() }
    let response = try await HTTPConnection(baseURL: server.baseURL).send(
      HTTPRequest(method: "GET", path: "/"))
    #expect(response.status == 404)
    #expect(response.body == Array("nope".utf8))
  }

  @Test("a port nobody listens on fails fast with connectionRefused")
  func refused() async throws {
    let port = try LoopbackSocket.unusedPort()
    let connection = HTTPConnection(baseURL: "http://127.0.0.1:\(port)")
    let clock = ContinuousClock()
    let start = clock.now
    let error = await #expect(throws: HTTPError.self) {
      _ = try await connection.send(HTTPRequest(method: "GET", path: "/"))
    }
    #expect(error == .connectionRefused)
    #expect(clock.now - start < .seconds(1))
  }

  @Test("a server that never answers gives timedOut within the request timeout")
  func timeout() async throws {
    let server = try LoopbackHTTPServer { request in request.path == "/hang" ? nil : Self.echo(request) }
    defer { server.stop() }
    let connection = HTTPConnection(
      baseURL: server.baseURL, configuration: .init(requestTimeout: .milliseconds(300)))
    let clock = ContinuousClock()
    let start = clock.now
    let error = await #expect(throws: HTTPError.self) {
      _ = try await connection.send(HTTPRequest(method: "GET", path: "/hang"))
    }
    let elapsed = clock.now - start
    #expect(error == .timedOut)
    #expect(elapsed >= .milliseconds(250))
    #expect(elapsed < .seconds(2))
    // The same connection object recovers: the next request opens a fresh TCP connection and succeeds.
    let next = try await connection.send(HTTPRequest(method: "GET", path: "/ok"))
    #expect(next.status == 200)
  }

  @Test("a response body above the cap fails with responseTooLarge, with or without Content-Length")
  func tooLarge() async throws {
    let server = try LoopbackHTTPServer { request in
      .init(status: 200, body: [UInt8](repeating: 7, count: 300_000), chunked: request.path == "/chunked")
    }
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL, configuration: .init(maxResponseBytes: 100_000))
    for path in ["/sized", "/chunked"] {
      let error = await #expect(throws: HTTPError.self) {
        _ = try await connection.send(HTTPRequest(method: "GET", path: path))
      }
      #expect(error == .responseTooLarge)
    }
    let roomy = HTTPConnection(baseURL: server.baseURL, configuration: .init(maxResponseBytes: 300_000))
    let response = try await roomy.send(HTTPRequest(method: "GET", path: "/chunked"))
    #expect(response.body.count == 300_000)
  }

  @Test("a connection closed by the server before answering is connectionLost")
  func lost() async throws {
    let (listener, port) = try LoopbackSocket.listen()
    defer { close(listener) }
    // Accept, read the request, close without a byte of response.
    Thread.detachNewThread {
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else { return }
      var reader = HTTPMessageReader(fd: fd)
      _ = try? reader.next()
      close(fd)
    }
    let connection = HTTPConnection(baseURL: "http://127.0.0.1:\(port)")
    let error = await #expect(throws: HTTPError.self) {
      _ = try await connection.send(HTTPRequest(method: "POST", path: "/x", body: [1]))
    }
    guard case .connectionLost = error else {
      Issue.record("expected connectionLost, got \(String(describing: error))")
      return
    }
  }

  @Test("a server that closes after each answer costs a reconnect, not a failure")
  func serverCloses() async throws {
    let server = try LoopbackHTTPServer { request in
      var reply = Self.echo(request)
      reply.close = true
      return reply
    }
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    for index in 0..<5 {
      let response = try await connection.send(HTTPRequest(method: "GET", path: "/\(index)"))
      #expect(response.status == 200)
    }
    #expect(server.acceptedConnections == 5)
  }

  @Test("reusesConnections false opens one TCP connection per request")
  func freshConnections() async throws {
    let server = try LoopbackHTTPServer(handler: Self.echo)
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL, configuration: .init(reusesConnections: false))
    for index in 0..<5 {
      let response = try await connection.send(HTTPRequest(method: "GET", path: "/\(index)"))
      #expect(response.newConnections == 1)
    }
    #expect(server.acceptedConnections == 5)
  }

  @Test("a non-idempotent request goes out on a fresh TCP connection; the next one reuses again")
  func nonIdempotentFresh() async throws {
    let server = try LoopbackHTTPServer(handler: Self.echo)
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    let warm = try await connection.send(HTTPRequest(method: "GET", path: "/a"))
    let once = try await connection.send(
      HTTPRequest(method: "POST", path: "/b", body: [1], isIdempotent: false))
    let after = try await connection.send(HTTPRequest(method: "GET", path: "/c"))
    #expect(warm.newConnections == 1)
    #expect(once.newConnections == 1)
    #expect(after.newConnections == 0)
    #expect(server.acceptedConnections == 2)
  }

  @Test("an answer lost on a reused connection: resent only when the request is idempotent")
  func lostOnReusedConnection() async throws {
    let hits = Mutex<[String: Int]>([:])
    let server = try LoopbackHTTPServer { request in
      let count = hits.withLock { hits in
        hits[request.path, default: 0] += 1
        return hits[request.path, default: 0]
      }
      var reply = Self.echo(request)
      reply.abort = request.path.hasPrefix("/lost") && count == 1
      return reply
    }
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    _ = try await connection.send(HTTPRequest(method: "GET", path: "/warm"))
    // libcurl resends on its own when a reused connection dies before any answer byte.
    let resent = try await connection.send(HTTPRequest(method: "POST", path: "/lost-a", body: [1]))
    #expect(resent.status == 200)
    #expect(hits.withLock { $0["/lost-a"] } == 2)
    // A non-idempotent request never reaches the server twice: the caller hears of the loss instead.
    _ = try await connection.send(HTTPRequest(method: "GET", path: "/warm"))
    let error = await #expect(throws: HTTPError.self) {
      _ = try await connection.send(
        HTTPRequest(method: "POST", path: "/lost-b", body: [1], isIdempotent: false))
    }
    guard case .connectionLost = error else {
      Issue.record("expected connectionLost, got \(String(describing: error))")
      return
    }
    #expect(hits.withLock { $0["/lost-b"] } == 1)
  }

  @Test("one HTTPConnection used by many tasks at once serialises them on one TCP connection")
  func connectionSharedByTasks() async throws {
    let server = try LoopbackHTTPServer(handler: Self.echo)
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    let correct = await withTaskGroup(of: Bool.self) { group in
      for index in 0..<100 {
        group.addTask {
          let response = try? await connection.send(HTTPRequest(method: "GET", path: "/\(index)"))
          return response.map { String(decoding: $0.body, as: UTF8.self) == "GET /\(index)||" } ?? false
        }
      }
      return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(correct == 100)
    #expect(server.acceptedConnections == 1)
  }

  @Test("an HTTPClient used by many tasks at once answers every request on at most maxConnections")
  func clientConcurrency() async throws {
    let inFlight = Atomic<Int>(0)
    let peak = Atomic<Int>(0)
    let server = try LoopbackHTTPServer { request in
      let now = inFlight.add(1, ordering: .sequentiallyConsistent).newValue
      peak.max(now, ordering: .sequentiallyConsistent)
      usleep(2_000)
      inFlight.subtract(1, ordering: .sequentiallyConsistent)
      return Self.echo(request)
    }
    defer { server.stop() }
    let client = HTTPClient(baseURL: server.baseURL, maxConnections: 4)
    let correct = await withTaskGroup(of: Bool.self) { group in
      for index in 0..<200 {
        group.addTask {
          let response = try? await client.send(
            HTTPRequest(method: "POST", path: "/\(index)", body: Array("b\(index)".utf8)))
          return response.map { String(decoding: $0.body, as: UTF8.self) == "POST /\(index)||b\(index)" }
            ?? false
        }
      }
      return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    #expect(correct == 200)
    #expect(server.acceptedConnections <= 4)
    #expect(client.connectionCount <= 4)
    // Real parallelism happened: more than one request was inside the server at once.
    #expect(peak.load(ordering: .sequentiallyConsistent) > 1)
  }

  @Test("canceling the task aborts a request that waits on a silent server")
  func cancellation() async throws {
    let server = try LoopbackHTTPServer { _ in nil }
    defer { server.stop() }
    let connection = HTTPConnection(baseURL: server.baseURL)
    let clock = ContinuousClock()
    let start = clock.now
    let task = Task { () async throws(HTTPError) -> HTTPResponse in
      try await connection.send(HTTPRequest(method: "GET", path: "/hang"))
    }
    try await Task.sleep(for: .milliseconds(100))
    task.cancel()
    let result = await task.result
    #expect(throws: HTTPError.canceled) { try result.get() }
    #expect(clock.now - start < .seconds(3))
  }
}
