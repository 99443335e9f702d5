import Foundation
import TillLocalServices

#if canImport(Glibc)
  import Glibc
#endif

/// One plain TCP connection to a test server, for what libcurl will not do on purpose: hold many idle
/// kept-alive connections, send malformed HTTP, chunked bodies, or see exactly when the server closes.
/// Reads block (with a receive timeout) on a thread of their own, never on the cooperative pool, whose
/// few threads the server under test needs. Used from one task at a time, hence `@unchecked Sendable`.
public final class RawHTTPSocket: @unchecked Sendable {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// A parsed response: status, headers (names lower-cased) and body.
  public struct Response: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
  }

  private let fd: Int32
  private var reader: HTTPMessageReader
  private var closed = false

  /// Connects to 127.0.0.1:`port`; every read gives up after `timeout`.
  public init(port: Int, timeout: Duration = .seconds(5)) throws {
    do {
      fd = try LoopbackSocket.connect(port: port, receiveTimeout: timeout)
    } catch {
      throw Failure(description: error.description)
    }
    reader = HTTPMessageReader(fd: fd)
  }

  deinit { close() }

  public func close() {
    guard !closed else { return }
    closed = true
    Glibc.close(fd)
  }

  /// Sends every byte; false when the server closed or reset the connection.
  @discardableResult
  public func send(_ bytes: [UInt8]) -> Bool {
    LoopbackSocket.writeAll(fd, bytes)
  }

  /// A request with `Host` and, when there is a body, `Content-Length`.
  @discardableResult
  public func send(
    _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
  ) -> Bool {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    return send(Array(head.utf8) + body)
  }

  /// Reads one response with a `Content-Length` body (all this server sends).
  public func readResponse() async throws -> Response {
    try await Self.offThread { try self.readResponseBlocking() }
  }

  /// True when the server has closed the connection (end of stream or reset) within the timeout,
  /// with no further bytes.
  public func isClosedByServer() async -> Bool {
    (try? await Self.offThread { self.isClosedBlocking() }) ?? false
  }

  private static func offThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try work() }) }.start()
    }
  }

  private func readResponseBlocking() throws -> Response {
    let message: HTTPMessage?
    do {
      message = try reader.next()
    } catch {
      throw Failure(description: error.description)
    }
    guard let message else {
      throw Failure(description: "connection closed before a response (\(reader.buffer.count) bytes read)")
    }
    guard let status = Int(message.startLine[1]) else {
      throw Failure(description: "bad status line \(message.startLine.joined(separator: " "))")
    }
    return Response(status: status, headers: message.headers, body: message.body)
  }

  private func isClosedBlocking() -> Bool {
    guard reader.buffer.isEmpty else { return false }
    do { return try !reader.readMore() } catch { return false }
  }
}
