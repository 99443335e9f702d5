import Foundation
import Synchronization
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 over plain sockets, for testing the transport against real TCP.
///
/// It counts accepted TCP connections, serves keep-alive connections (one thread each) and asks `handler`
/// for each request's reply; a nil reply means "never answer" (the connection is held open silently).
final class LoopbackHTTPServer: Sendable {
  struct Request: Sendable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: [UInt8]
  }

  struct Reply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Send the body with chunked encoding, so the client cannot know its size up front.
    var chunked = false
    /// Close the connection after this reply.
    var close = false
    /// Close the connection instead of replying: the request was received, the answer is lost.
    var abort = false
  }

  let port: Int
  private let listener: Int32
  private let accepted = Atomic<Int>(0)
  private let clients = Mutex<[Int32]>([])
  private let handler: @Sendable (Request) -> Reply?

  /// TCP connections accepted so far.
  var acceptedConnections: Int { accepted.load(ordering: .sequentiallyConsistent) }

  init(handler: @escaping @Sendable (Request) -> Reply?) throws {
    let (listener, port) = try LoopbackSocket.listen()
    self.listener = listener
    self.port = port
    self.handler = handler
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Stops accepting and ends every open connection. Sockets are only shut down here; the threads using
  /// them close them, so no number is closed while another thread may still use it.
  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    // Under the lock: a connection closes its descriptor under the same lock, so no number shut down
    // here can have been reused by another test's socket meanwhile.
    clients.withLock { fds in
      for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
    }
  }

  private func acceptLoop() {
    while true {
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else {
        close(listener)
        return
      }
      accepted.add(1, ordering: .sequentiallyConsistent)
      clients.withLock { $0.append(fd) }
      Thread.detachNewThread { [self] in serve(fd) }
    }
  }

  private func serve(_ fd: Int32) {
    defer {
      clients.withLock { fds in
        fds.removeAll { $0 == fd }
        close(fd)
      }
    }
    var reader = HTTPMessageReader(fd: fd)
    while let message = try? reader.next() {
      let request = Request(
        method: message.startLine[0], path: message.startLine[1], headers: message.headers, body: message.body
      )
      guard let reply = handler(request) else {
        // Never answer: wait until the client gives up and closes.
        while (try? reader.readMore()) == true {}
        return
      }
      if reply.abort { return }
      guard LoopbackSocket.writeAll(fd, Self.encode(reply)) else { return }
      if reply.close { return }
    }
  }

  private static func encode(_ reply: Reply) -> [UInt8] {
    var head = "HTTP/1.1 \(reply.status) Status\r\n"
    for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
    if reply.close { head += "Connection: close\r\n" }
    var bytes: [UInt8]
    if reply.chunked {
      head += "Transfer-Encoding: chunked\r\n\r\n"
      bytes = Array(head.utf8)
      bytes +=
        Array((String(reply.body.count, radix: 16) + "\r\n").utf8) + reply.body + Array("\r\n0\r\n\r\n".utf8)
    } else {
      head += "Content-Length: \(reply.body.count)\r\n\r\n"
      bytes = Array(head.utf8) + reply.body
    }
    return bytes
  }
}
