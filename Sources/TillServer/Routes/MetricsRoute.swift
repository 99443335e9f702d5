import Crypto
import Hummingbird
import NIOCore
import TillCore

/// `GET /metrics`: every metric in the Prometheus text format. With a metrics token configured, only a
/// scraper presenting it (`Authorization: Bearer <token>`) is answered; without one, only a scraper on
/// this machine (a loopback peer), so a back end listening on the shop's network does not show its
/// figures to it.
struct MetricsRoute {
  let store: any ServerStore
  let metrics: ServerMetrics
  let access: MetricsAccess

  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  func register(on router: Router<TillRequestContext>) {
    router.get("metrics") { request, context -> Response in
      try access.check(authorization: request.headers[.authorization], peer: context.remoteAddress)
      let text = try await metrics.scrape(store)
      var headers = HTTPFields()
      headers[.contentType] = Self.contentType
      return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }
  }
}

/// Who may read the metrics: the holder of the metrics token, or (without one) a loopback peer.
struct MetricsAccess: Sendable {
  /// SHA-256 of the token, compared without early exit; nil: loopback only.
  private let tokenDigest: [UInt8]?

  init(token: String?) {
    tokenDigest = token.map { Array(SHA256.hash(data: Array($0.utf8))) }
  }

  func check(authorization: String?, peer: SocketAddress?) throws(Problem) {
    guard let tokenDigest else {
      guard Self.isLoopback(peer) else {
        throw Problem(
          .forbidden,
          detail:
            "Metrics are served to this machine only; start the server with --metrics-token-file to scrape it."
        )
      }
      return
    }
    let prefix = "Bearer "
    guard let authorization, authorization.hasPrefix(prefix) else {
      throw Problem(.unauthorized, detail: "Send Authorization: Bearer <metrics token>.")
    }
    let presented = Array(SHA256.hash(data: Array(authorization.dropFirst(prefix.count).utf8)))
    var difference: UInt8 = 0
    for index in tokenDigest.indices { difference |= tokenDigest[index] ^ presented[index] }
    guard difference == 0 else {
      throw Problem(.unauthorized, detail: "The metrics token is not right.")
    }
  }

  /// 127.0.0.0/8, ::1 (also as an IPv4-mapped address) or a Unix socket.
  static func isLoopback(_ peer: SocketAddress?) -> Bool {
    guard let peer else { return false }
    let text = peer.ipAddress ?? ""
    switch peer {
    case .unixDomainSocket: return true
    case .v4: return text.hasPrefix("127.")
    case .v6: return text == "::1" || text.hasPrefix("::ffff:127.")
    }
  }
}
