import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// How long a client may take to send one request: its headers, then its body.
public struct ReadDeadlines: Sendable, Hashable {
  /// From the first byte of a request to the end of its headers.
  public var headers: Duration
  /// From the end of the headers to the end of the body.
  public var body: Duration

  public init(headers: Duration = .seconds(10), body: Duration = .seconds(10)) {
    self.headers = headers
    self.body = body
  }
}

/// Closes a connection whose request arrives too slowly, so slow clients cannot hold places under the
/// connection cap: the idle timeout alone restarts on every byte, and a header byte every few seconds
/// would keep a connection forever.
///
/// Sits after the HTTP/1 codec. The codec passes on every read of the socket (`channelReadComplete`) even
/// when no complete header has been decoded yet, so the first read of a new request starts the header
/// deadline; its head stops it and starts the body deadline; its end stops that. A kept-alive connection
/// that sends nothing starts no deadline (the idle timeout covers it). When one read both ends a request
/// and begins the next (pipelining, which the till's clients do not use), the next request's header
/// deadline starts with the following read.
final class ReadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart

  private enum Phase {
    /// Between requests: nothing of the next one has been read.
    case idle
    case headers
    case body
  }

  private let deadlines: ReadDeadlines
  private var phase = Phase.idle
  private var timer: Scheduled<Void>?
  /// A request ended in the read being processed: the rest of that read belongs to no new request yet.
  private var endedInThisRead = false

  init(deadlines: ReadDeadlines) { self.deadlines = deadlines }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head:
      start(.body, after: deadlines.body, context: context)
    case .body:
      break
    case .end:
      stopTimer()
      phase = .idle
      endedInThisRead = true
    }
    context.fireChannelRead(data)
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    if phase == .idle && !endedInThisRead {
      start(.headers, after: deadlines.headers, context: context)
    }
    endedInThisRead = false
    context.fireChannelReadComplete()
  }

  func handlerRemoved(context: ChannelHandlerContext) { stopTimer() }

  func channelInactive(context: ChannelHandlerContext) {
    stopTimer()
    context.fireChannelInactive()
  }

  private func start(_ next: Phase, after duration: Duration, context: ChannelHandlerContext) {
    stopTimer()
    phase = next
    let channel = context.channel
    let nanoseconds =
      duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    timer = context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { channel.close(promise: nil) }
  }

  private func stopTimer() {
    timer?.cancel()
    timer = nil
  }
}
