import Foundation
import Testing
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The raw-socket helpers against each other over real loopback TCP.
@Suite struct LoopbackSocketTests {
  @Test func aRequestWrittenIsReadBackWithItsHeadersAndBody() throws {
    let (listener, port) = try LoopbackSocket.listen()
    defer { close(listener) }
    let client = try LoopbackSocket.connect(port: port, receiveTimeout: .seconds(5))
    defer { close(client) }
    let server = accept(listener, nil, nil)
    try #require(server >= 0)
    defer { close(server) }

    let body = Array(#"{"sku":"A"}"#.utf8)
    let request =
      "POST /v1/carts HTTP/1.1\r\nHost: x\r\nX-Test: Yes \r\nContent-Length: \(body.count)\r\n\r\n"
    #expect(LoopbackSocket.writeAll(client, Array(request.utf8) + body))
    var reader = HTTPMessageReader(fd: server)
    let message = try #require(try reader.next())
    #expect(message.startLine == ["POST", "/v1/carts", "HTTP/1.1"])
    #expect(message.headers["x-test"] == "Yes")
    #expect(message.body == body)
    #expect(reader.buffer.isEmpty)
  }

  @Test func aReadPastTheReceiveTimeoutThrowsAndAClosedPeerEndsTheStream() throws {
    let (listener, port) = try LoopbackSocket.listen()
    defer { close(listener) }
    let client = try LoopbackSocket.connect(port: port, receiveTimeout: .milliseconds(50))
    defer { close(client) }
    let server = accept(listener, nil, nil)
    try #require(server >= 0)
    var reader = HTTPMessageReader(fd: client)
    #expect(throws: HTTPMessageReaderError.timedOut) { _ = try reader.next() }
    close(server)
    #expect(try reader.next() == nil)
  }

  @Test func anUnusedPortRefusesConnections() throws {
    let port = try LoopbackSocket.unusedPort()
    #expect(throws: LoopbackSocketError.self) { _ = try LoopbackSocket.connect(port: port) }
  }
}
