import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import TillCore

/// Limits of the HTTP layer itself (below the router), and the problem documents it answers.
enum HTTPServerLimits {
  /// Largest request header block (and largest single header line), in bytes. A bearer token and the
  /// API's headers take well under 1 KiB; 32 KiB leaves room for proxies' additions.
  static let maxHeaderBytes = 32 * 1024
  /// Most header fields in one request.
  static let maxHeaderCount = 100

  static let headerTooLarge = Problem(
    .requestHeaderTooLarge,
    detail: "Request headers may be at most \(maxHeaderBytes) bytes and \(maxHeaderCount) fields.")

  static let malformedHTTP = Problem(
    .malformedRequest, detail: "The request is not valid HTTP/1.1.")

  static func tooManyConnections(limit: Int) -> Problem {
    Problem(
      .tooManyConnections,
      detail: "The server holds its maximum of \(limit) connections; retry shortly.")
  }

}

/// Answers an HTTP parse error (a header over the limit: 431; anything else: 400) with a problem
/// document, then closes the connection.
///
/// Hummingbird itself answers a parse error with an empty 400; a client then cannot tell a header that
/// is too large from garbage. Sits after the HTTP/1 codec, so it sees the decoder's errors first. A
/// parse error while a request is still being answered is left to Hummingbird (answering here would
/// interleave two responses).
final class HTTPParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  /// Requests whose response has not ended yet.
  private var unanswered = 0
  private var answeredError = false

  /// How long the client may keep the connection after the error answer before it is closed.
  static let lingerTime = TimeAmount.seconds(2)

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head = unwrapInboundIn(data) { unanswered += 1 }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
    context.write(data, promise: promise)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    // After the answer the decoder reports every further byte as an error: drop them quietly.
    if answeredError { return }
    guard let parserError = error as? HTTPParserError, unanswered == 0 else {
      context.fireErrorCaught(error)
      return
    }
    answeredError = true
    let problem =
      parserError == .headerOverflow ? HTTPServerLimits.headerTooLarge : HTTPServerLimits.malformedHTTP
    let body = TillJSON.encode(problem)
    var fields = HTTPFields()
    fields[.contentType] = Problem.mediaType
    fields[.contentLength] = String(body.readableBytes)
    fields[.connection] = "close"
    let status = HTTPResponse.Status(code: problem.status)
    context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
    context.write(wrapOutboundOut(.body(body)), promise: nil)
    // Half-close after the answer and keep reading (and dropping) what the client still sends: closing
    // with unread bytes would reset the connection, and the client could lose the answer.
    let channel = context.channel
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
      channel.close(mode: .output, promise: nil)
    }
    context.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
  }
}
