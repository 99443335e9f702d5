import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct SocketError: Error, CustomStringConvertible {
  var description: String
}

/// Plain-socket helpers for the loopback test servers.
enum LoopbackSocket {
  /// A listening socket on 127.0.0.1 with an ephemeral port.
  static func listen() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError(description: "socket: errno \(errno)") }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, Glibc.listen(fd, 128) == 0 else {
      close(fd)
      throw SocketError(description: "bind/listen: errno \(errno)")
    }
    return (fd, try localPort(of: fd))
  }

  static func localPort(of fd: Int32) throws -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard result == 0 else { throw SocketError(description: "getsockname: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// A port on 127.0.0.1 where nothing listens (bound once, then released).
  static func unusedPort() throws -> Int {
    let (fd, port) = try listen()
    close(fd)
    return port
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if written <= 0 { return false }
      offset += written
    }
    return true
  }

  /// Buffered reads of HTTP/1.1 requests from one connection.
  struct Reader {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// Reads more bytes into the buffer; false on end of stream or error.
    mutating func readMore() -> Bool {
      var chunk = [UInt8](repeating: 0, count: 64 * 1024)
      let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      guard count > 0 else { return false }
      buffer += chunk[0..<count]
      return true
    }

    /// The next complete request, or nil when the connection ends first.
    mutating func readRequest() -> LoopbackHTTPServer.Request? {
      let separator: [UInt8] = Array("\r\n\r\n".utf8)
      var headEnd: Int?
      while headEnd == nil {
        headEnd = Self.find(separator, in: buffer)
        if headEnd == nil, !readMore() { return nil }
      }
      guard let headEnd else { return nil }
      let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
      var lines = head.components(separatedBy: "\r\n")
      let requestLine = lines.removeFirst().split(separator: " ")
      guard requestLine.count >= 2 else { return nil }
      var headers: [String: String] = [:]
      for line in lines {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
          .trimmingCharacters(in: .whitespaces)
      }
      let length = Int(headers["content-length"] ?? "0") ?? 0
      let bodyStart = headEnd + separator.count
      while buffer.count < bodyStart + length {
        if !readMore() { return nil }
      }
      let body = Array(buffer[bodyStart..<(bodyStart + length)])
      buffer.removeFirst(bodyStart + length)
      return LoopbackHTTPServer.Request(
        method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
      guard haystack.count >= needle.count else { return nil }
      for start in 0...(haystack.count - needle.count)
      where haystack[start..<(start + needle.count)].elementsEqual(needle) {
        return start
      }
      return nil
    }
  }
}
