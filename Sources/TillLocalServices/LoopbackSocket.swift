import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Plain TCP sockets on 127.0.0.1 for the tests' own servers, clients and proxies, and for finding a free
/// port: the one place in the package that calls `socket`, `bind` and `connect` itself.
public enum LoopbackSocket {
  /// A listening socket on 127.0.0.1 with an ephemeral port.
  public static func listen(backlog: Int32 = 128) throws(LoopbackSocketError) -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LoopbackSocketError("socket", errno) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
      let code = errno
      close(fd)
      throw LoopbackSocketError("bind/listen", code)
    }
    do {
      return (fd, try localPort(of: fd))
    } catch {
      close(fd)
      throw error
    }
  }

  /// The port a socket is bound to.
  public static func localPort(of fd: Int32) throws(LoopbackSocketError) -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard result == 0 else { throw LoopbackSocketError("getsockname", errno) }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// A port on 127.0.0.1 where nothing listens (bound once, then released).
  public static func unusedPort() throws(LoopbackSocketError) -> Int {
    let (fd, port) = try listen()
    close(fd)
    return port
  }

  /// A connection to 127.0.0.1:`port`; with `receiveTimeout`, a read that waits longer fails with EAGAIN.
  public static func connect(port: Int, receiveTimeout: Duration? = nil) throws(LoopbackSocketError) -> Int32
  {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LoopbackSocketError("socket", errno) }
    if let receiveTimeout {
      let (seconds, attoseconds) = receiveTimeout.components
      var interval = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }
    var address = loopback(port: port)
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      let code = errno
      close(fd)
      throw LoopbackSocketError("connect", code)
    }
    return fd
  }

  /// Sends every byte; false when the peer closed or reset the connection.
  public static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
    Array(bytes).withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return true }
      var offset = 0
      while offset < buffer.count {
        let written = send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
        guard written > 0 else { return false }
        offset += written
      }
      return true
    }
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }
}

/// A socket call that failed, with its errno.
public struct LoopbackSocketError: Error, CustomStringConvertible, Sendable {
  public var call: String
  public var code: Int32

  init(_ call: String, _ code: Int32) {
    self.call = call
    self.code = code
  }

  public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
}
