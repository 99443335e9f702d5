import Dispatch

/// One libcurl easy handle (one kept-alive TCP connection), used by one thread at a time.
///
/// Requests are queued on a private serial queue; each runs the blocking `curl_easy_perform` there, so the
/// handle is never touched concurrently and the connection it caches is reused by the next request.
/// Concurrent callers are served one after another; use `HTTPClient` to send in parallel.
public final class HTTPConnection: Sendable {
  private let easy: EasyHandle
  private let queue: DispatchQueue

  public init(baseURL: String, configuration: HTTPConfiguration = .init()) {
    self.easy = EasyHandle(baseURL: baseURL, configuration: configuration)
    self.queue = DispatchQueue(label: "till.http.connection")
  }

  /// Sends one request and returns the complete response, whatever its status.
  ///
  /// Canceling the calling task aborts the transfer within about a second with
  /// `HTTPError.canceled` (`.other(code: 42, message: "canceled")`).
  public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
    let transfer = Transfer(maxBytes: easy.maxResponseBytes)
    let result = await withTaskCancellationHandler {
      await withCheckedContinuation {
        (continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>) in
        queue.async { [easy] in
          continuation.resume(returning: easy.perform(request, transfer: transfer))
        }
      }
    } onCancel: {
      transfer.canceled.store(true, ordering: .relaxed)
    }
    return try result.get()
  }
}
