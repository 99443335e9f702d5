import ArgumentParser

/// `--listen host:port` of the servers: `127.0.0.1:8080`, `[::1]:8080`, or `:8080` for loopback;
/// port 0 picks a free one.
public struct ListenAddress: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  public init?(argument: String) {
    guard let colon = argument.lastIndex(of: ":") else { return nil }
    var host = String(argument[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard let port = Int(argument[argument.index(after: colon)...]), (0...65535).contains(port) else {
      return nil
    }
    self.init(host: host.isEmpty ? "127.0.0.1" : host, port: port)
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
  public var defaultValueDescription: String { description }
}
