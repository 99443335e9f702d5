import Foundation
import Logging
import Testing
import TillServer
import TillStore
import TillTestSupport

/// Slow clients cannot hold the connection cap: a request's headers and body each have a deadline.
@Suite("read deadlines: slow clients are closed, idle kept-alive connections are not")
struct SlowClientTests {
  static let deadlines = ReadDeadlines(headers: .milliseconds(800), body: .milliseconds(800))

  /// A server with a cap of `cap` connections and short read deadlines.
  func withServer(cap: Int, _ body: (RunningServer) async throws -> Void) async throws {
    let store = try await makeTestStore(.sqlite, products: LimitsTests.products)
    guard let paymentStore = store as? any Store & PaymentStore else {
      await disposeTestStore(store)
      return
    }
    let configuration = ServerConfiguration(
      host: "127.0.0.1", port: 0, staffTokens: [ServerHarness.staffToken], maxConnections: cap,
      readDeadlines: Self.deadlines)
    let server = try await RunningServer.start(
      store: paymentStore, configuration: configuration,
      logger: Logger(label: "till.test", factory: { _ in SwiftLogNoOpLogHandler() }))
    do {
      try await body(server)
    } catch {
      Issue.record(error)
    }
    await server.stop()
    await disposeTestStore(store)
  }

  @Test func clientsDribblingHeadersAreClosedAndTheCapFreesUp() async throws {
    try await withServer(cap: 4) { server in
      let slow = try (0..<4).map { _ in try RawHTTPSocket(port: server.port) }
      // One header byte every 200 ms: each byte would restart an idle timeout, never the deadline.
      let dribble = Task.detached {
        let request = Array("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        for socket in slow { socket.send(request) }
        for _ in 0..<15 {
          try? await Task.sleep(for: .milliseconds(200))
          for socket in slow { socket.send([UInt8(ascii: "a")]) }
        }
      }
      for socket in slow {
        #expect(await socket.isClosedByServer(), "a dribbling client is closed by the header deadline")
      }
      // The server notices the closes asynchronously: a newcomer may need a few tries, never a long wait.
      let newcomer = try await eventuallyValue(
        within: .seconds(2), every: .milliseconds(50), "its place under the cap is never free again"
      ) { () throws -> RawHTTPSocket? in
        let socket = try RawHTTPSocket(port: server.port)
        socket.send("GET", "/v1/health")
        if let answer = try? await socket.readResponse(), answer.status == 200 { return socket }
        socket.close()
        return nil
      }
      dribble.cancel()
      for socket in slow { socket.close() }
      newcomer?.close()
    }
  }

  @Test func aBodyThatNeverArrivesIsClosed() async throws {
    try await withServer(cap: 4) { server in
      let socket = try RawHTTPSocket(port: server.port)
      let head =
        "POST /v1/carts/no-such-cart/increments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(ServerHarness.staffToken)\r\n"
        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":"
      socket.send(Array(head.utf8))
      #expect(await socket.isClosedByServer(), "the body deadline closes it")
      socket.close()
    }
  }

  @Test func anIdleKeptAliveConnectionOutlivesTheDeadlines() async throws {
    try await withServer(cap: 4) { server in
      let socket = try RawHTTPSocket(port: server.port)
      socket.send("GET", "/v1/health")
      #expect(try await socket.readResponse().status == 200)
      try await Task.sleep(for: .milliseconds(1_600))
      socket.send("GET", "/v1/health")
      #expect(try await socket.readResponse().status == 200, "sending nothing starts no deadline")
      socket.close()
    }
  }
}
