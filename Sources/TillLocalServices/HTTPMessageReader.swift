import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One HTTP/1.1 message as it came off a socket: the start line's words, the headers (names lower-cased)
/// and the body (`Content-Length` bodies only: all the servers under test send).
public struct HTTPMessage: Sendable {
  /// `["GET", "/v1/health", "HTTP/1.1"]` or `["HTTP/1.1", "200", "OK"]`.
  public var startLine: [String]
  public var headers: [String: String]
  public var body: [UInt8]
}

/// Buffered reads of HTTP/1.1 messages (requests or responses) from one connection.
public struct HTTPMessageReader {
  public let fd: Int32
  /// Bytes read and not yet part of a returned message.
  public private(set) var buffer: [UInt8] = []

  public init(fd: Int32) { self.fd = fd }

  /// The next complete message; nil when the connection ends first. Throws when a receive timeout set on
  /// the socket passes, or the start line is empty.
  public mutating func next() throws(HTTPMessageReaderError) -> HTTPMessage? {
    let separator = Array("\r\n\r\n".utf8)
    var headEnd = Self.find(separator, in: buffer)
    while headEnd == nil {
      guard try readMore() else { return nil }
      headEnd = Self.find(separator, in: buffer)
    }
    guard let headEnd else { return nil }
    let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let startLine = lines.removeFirst().split(separator: " ").map(String.init)
    guard startLine.count >= 2 else { throw .malformed(head) }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    let bodyStart = headEnd + separator.count
    while buffer.count < bodyStart + length {
      guard try readMore() else { throw .closedInsideBody }
    }
    let body = Array(buffer[bodyStart..<(bodyStart + length)])
    buffer.removeFirst(bodyStart + length)
    return HTTPMessage(startLine: startLine, headers: headers, body: body)
  }

  /// Reads what is available into the buffer; false at end of stream or on a reset. Throws when a
  /// receive timeout set on the socket passes.
  public mutating func readMore() throws(HTTPMessageReaderError) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    if count > 0 {
      buffer += chunk[0..<count]
      return true
    }
    if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .timedOut }
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

public enum HTTPMessageReaderError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The socket's receive timeout passed with nothing to read.
  case timedOut
  /// The connection ended before the `Content-Length` bytes of a body.
  case closedInsideBody
  /// A message head without a start line of at least two words.
  case malformed(String)

  public var description: String {
    switch self {
    case .timedOut: "timed out waiting for the peer"
    case .closedInsideBody: "connection closed inside a body"
    case .malformed(let head): "bad start line in \(head)"
    }
  }
}
