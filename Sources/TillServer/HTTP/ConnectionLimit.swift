import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization
import TillCore

/// Counts the open client connections and admits a new one only below the cap.
final class ConnectionLimiter: Sendable {
  let limit: Int
  private let open = Atomic<Int>(0)

  init(limit: Int) { self.limit = limit }

  /// Takes one place; false when `limit` connections are already open.
  func tryOpen() -> Bool {
    var current = open.load(ordering: .relaxed)
    while current < limit {
      let (exchanged, original) = open.compareExchange(
        expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
      if exchanged { return true }
      current = original
    }
    return false
  }

  /// Gives back the place of a connection that closed.
  func close() { open.subtract(1, ordering: .acquiringAndReleasing) }

  var openConnections: Int { open.load(ordering: .relaxed) }
}

/// Hummingbird's HTTP/1.1 child channel with two additions:
/// - a cap on open connections: a connection over the cap still gets an answer — it reads the first
///   request, answers `503` `too-many-connections` (problem+json, `Retry-After: 1`, `Connection: close`)
///   and closes — instead of hanging in the accept backlog (Hummingbird's own `availableConnectionsDelegate`
///   stops accepting, which a client only sees as a connect that never completes);
/// - a documented header limit, answered with a problem document (`HTTPParserErrorResponder`);
/// - deadlines for a request's headers and body (`ReadDeadlineHandler`).
struct LimitedHTTP1Channel: ServerChildChannel {
  struct Value: ServerChildChannelValue {
    let inner: HTTP1Channel.Value
    /// False: the connection is over the cap and only gets the 503.
    let admitted: Bool
    var channel: any Channel { inner.channel }
  }

  let base: HTTP1Channel
  let limiter: ConnectionLimiter
  /// How long a connection over the cap may take to send its request before it is closed unanswered.
  let refusalTimeout: TimeAmount
  /// How long an admitted connection may sit idle before it is closed. A till that loses power or its
  /// network sends no FIN: without this its kept-alive connections would hold places in the cap for
  /// ever. A working till polls stock every second, and its client reconnects on the next request.
  static let idleTimeout = TimeAmount.seconds(120)

  init(
    responder: @escaping HTTPChannelHandler.Responder, limiter: ConnectionLimiter,
    readDeadlines: ReadDeadlines, refusalTimeout: TimeAmount = .seconds(5)
  ) {
    let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
      maxHeaderFieldSize: HTTPServerLimits.maxHeaderBytes, maxHeaderListSize: HTTPServerLimits.maxHeaderBytes,
      maxHeaderFieldCount: HTTPServerLimits.maxHeaderCount)
    self.base = HTTP1Channel(
      responder: responder,
      configuration: .init(
        additionalChannelHandlers: [
          HTTPParserErrorResponder(), ReadDeadlineHandler(deadlines: readDeadlines),
        ],
        idleTimeout: Self.idleTimeout,
        httpDecoderConfiguration: decoder))
    self.limiter = limiter
    self.refusalTimeout = refusalTimeout
  }

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let admitted = limiter.tryOpen()
    if admitted {
      let limiter = self.limiter
      channel.closeFuture.whenComplete { _ in limiter.close() }
    }
    return base.setup(channel: channel, logger: logger).map { Value(inner: $0, admitted: admitted) }
  }

  func handle(value: Value, logger: Logger) async {
    if value.admitted {
      await base.handle(value: value.inner, logger: logger)
    } else {
      logger.notice(
        "connection refused: \(limiter.limit) connections are open",
        metadata: ["till.maxConnections": "\(limiter.limit)"])
      await refuse(value.inner)
    }
  }

  /// Reads the request (so closing does not reset the connection and lose the answer), answers 503 and
  /// closes. A client that sends nothing within `refusalTimeout` is closed unanswered.
  private func refuse(_ asyncChannel: HTTP1Channel.Value) async {
    let channel = asyncChannel.channel
    let timeout = channel.eventLoop.scheduleTask(in: refusalTimeout) { channel.close(promise: nil) }
    defer { timeout.cancel() }
    do {
      try await asyncChannel.executeThenClose { inbound, outbound in
        var sawHead = false
        for try await part in inbound {
          if case .head = part { sawHead = true }
          if case .end = part { break }
        }
        guard sawHead else { return }
        let problem = HTTPServerLimits.tooManyConnections(limit: limiter.limit)
        let body = TillJSON.encode(problem)
        var fields = HTTPFields()
        fields[.contentType] = Problem.mediaType
        fields[.contentLength] = String(body.readableBytes)
        fields[.retryAfter] = "1"
        fields[.connection] = "close"
        try await outbound.write(.head(HTTPResponse(status: .serviceUnavailable, headerFields: fields)))
        try await outbound.write(.body(body))
        try await outbound.write(.end(nil))
      }
    } catch {
      // The client went away or timed out: nothing to answer.
    }
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 with at most `maxConnections` open connections, the header limit of `HTTPServerLimits`
  /// and `readDeadlines` for each request.
  static func till(maxConnections: Int, readDeadlines: ReadDeadlines) -> HTTPServerBuilder {
    let limiter = ConnectionLimiter(limit: maxConnections)
    return HTTPServerBuilder { responder in
      LimitedHTTP1Channel(responder: responder, limiter: limiter, readDeadlines: readDeadlines)
    }
  }
}
