import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One plain TCP connection to a test server, for what libcurl will not do on purpose: hold many idle
/// kept-alive connections, send malformed HTTP, chunked bodies, or see exactly when the server closes.
/// Reads block (with a receive timeout) on a thread of their own, never on the cooperative pool, whose
/// few threads the server under test needs. Used from one task at a time, hence `@unchecked Sendable`.
final class RawHTTPSocket: @unchecked Sendable {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// A parsed response: status, headers (names lower-cased) and body.
  struct Response {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
  }

  private let fd: Int32
  private var buffer: [UInt8] = []
  private var closed = false

  /// Connects to 127.0.0.1:`port`; every read gives up after `timeout`.
  init(port: Int, timeout: Duration = .seconds(5)) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
    let seconds = timeout.components.seconds
    let micros = timeout.components.attoseconds / 1_000_000_000_000
    var interval = timeval(tv_sec: Int(seconds), tv_usec: Int(micros))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let code = errno
      Glibc.close(fd)
      throw Failure(description: "connect: errno \(code)")
    }
  }

  deinit { close() }

  func close() {
    guard !closed else { return }
    closed = true
    Glibc.close(fd)
  }

  /// Sends every byte; false when the server closed or reset the connection.
  @discardableResult
  func send(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  /// A request with `Host` and, when there is a body, `Content-Length`.
  @discardableResult
  func send(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
  ) -> Bool {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    return send(Array(head.utf8) + body)
  }

  /// Reads one response with a `Content-Length` body (all this server sends).
  func readResponse() async throws -> Response {
    try await Self.offThread { try self.readResponseBlocking() }
  }

  /// True when the server has closed the connection (end of stream or reset) within the timeout,
  /// with no further bytes.
  func isClosedByServer() async -> Bool {
    (try? await Self.offThread { self.isClosedBlocking() }) ?? false
  }

  private static func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try work() }) }.start()
    }
  }

  private func readResponseBlocking() throws -> Response {
    let separator = Array("\r\n\r\n".utf8)
    var headEnd = Self.find(separator, in: buffer)
    while headEnd == nil {
      guard try readMore() else {
        throw Failure(description: "connection closed before a response (\(buffer.count) bytes read)")
      }
      headEnd = Self.find(separator, in: buffer)
    }
    guard let headEnd else { throw Failure(description: "no response head") }
    let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let statusLine = lines.removeFirst().split(separator: " ")
    guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
      throw Failure(description: "bad status line in \(head)")
    }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    let start = headEnd + separator.count
    while buffer.count < start + length {
      guard try readMore() else { throw Failure(description: "connection closed inside a body") }
    }
    let body = Array(buffer[start..<(start + length)])
    buffer.removeFirst(start + length)
    return Response(status: status, headers: headers, body: body)
  }

  private func isClosedBlocking() -> Bool {
    guard buffer.isEmpty else { return false }
    do { return try !readMore() } catch { return false }
  }

  /// Reads what is available; false at end of stream or on a reset. Throws on a timeout.
  private func readMore() throws -> Bool {
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if count > 0 {
      buffer += chunk[0..<count]
      return true
    }
    if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
      throw Failure(description: "timed out waiting for the server")
    }
    return false
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }
}
