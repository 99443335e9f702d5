import CCurlShim

/// Why a request got no complete HTTP response. An HTTP error status is not an `HTTPError`.
public enum HTTPError: Error, Equatable, Sendable {
  /// Nothing listens at the address (or the host is unreachable): the back end is down.
  case connectionRefused
  /// The connect or the whole request took longer than its configured timeout.
  case timedOut
  /// The host name could not be resolved.
  case nameNotResolved
  /// The TLS handshake or certificate check failed.
  case tls(String)
  /// The response body is larger than `HTTPConfiguration.maxResponseBytes`.
  case responseTooLarge
  /// The connection broke after the request may have been sent: the server may have acted on it.
  case connectionLost(String)
  /// Anything else libcurl reports (the code is libcurl's `CURLcode`).
  case other(code: Int, message: String)
}

extension HTTPError {
  /// Maps a libcurl result to the error a caller can act on. `detail` is libcurl's error buffer, which
  /// names the specific cause where the generic `curl_easy_strerror` text does not.
  static func from(_ code: CURLcode, detail: String) -> HTTPError {
    let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    switch code {
    case CURLE_COULDNT_CONNECT:
      return .connectionRefused
    case CURLE_OPERATION_TIMEDOUT:
      return .timedOut
    case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
      return .nameNotResolved
    case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
      CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
      CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
      CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
      return .tls(message)
    case CURLE_FILESIZE_EXCEEDED:
      return .responseTooLarge
    case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
      CURLE_HTTP2_STREAM:
      return .connectionLost(message)
    default:
      return .other(code: Int(code.rawValue), message: message)
    }
  }

  /// What `send` throws when the calling task was canceled while the request was in flight.
  public static let canceled = HTTPError.other(
    code: Int(CURLE_ABORTED_BY_CALLBACK.rawValue), message: "canceled")
}
