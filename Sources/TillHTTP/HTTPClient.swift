import Synchronization

/// A small pool of `HTTPConnection`s for callers that send concurrently.
///
/// A request checks out an idle connection (the most recently used first, so a warm connection serves
/// sequential traffic), opens a new one while fewer than `maxConnections` exist, or else waits for one to
/// be checked back in. So at most `maxConnections` TCP connections reach the server.
public final class HTTPClient: Sendable {
  private struct Pool {
    var idle: [HTTPConnection] = []
    var created = 0
    var waiters: [CheckedContinuation<HTTPConnection, Never>] = []
  }

  private let baseURL: String
  private let configuration: HTTPConfiguration
  private let maxConnections: Int
  private let pool = Mutex(Pool())

  public init(baseURL: String, configuration: HTTPConfiguration = .init(), maxConnections: Int = 4) {
    self.baseURL = baseURL
    self.configuration = configuration
    self.maxConnections = max(1, maxConnections)
  }

  /// How many connections this client has opened so far (at most `maxConnections`).
  public var connectionCount: Int { pool.withLock { $0.created } }

  /// Sends one request on a pooled connection and returns the complete response, whatever its status.
  public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
    let connection = await checkOut()
    defer { checkIn(connection) }
    return try await connection.send(request)
  }

  private func checkOut() async -> HTTPConnection {
    await withCheckedContinuation { continuation in
      let ready: HTTPConnection? = pool.withLock { pool in
        if let connection = pool.idle.popLast() { return connection }
        if pool.created < maxConnections {
          pool.created += 1
          return HTTPConnection(baseURL: baseURL, configuration: configuration)
        }
        pool.waiters.append(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  private func checkIn(_ connection: HTTPConnection) {
    let waiter: CheckedContinuation<HTTPConnection, Never>? = pool.withLock { pool in
      if pool.waiters.isEmpty {
        pool.idle.append(connection)
        return nil
      }
      return pool.waiters.removeFirst()
    }
    waiter?.resume(returning: connection)
  }
}
