import CCurlShim

/// One libcurl easy handle and its connection cache: the blocking core of `HTTPConnection`.
///
/// Not thread-safe by design: `HTTPConnection` calls `perform` only from its own serial queue, so the
/// handle is never used by two threads at once. That is why the `Sendable` conformance is unchecked.
final class EasyHandle: @unchecked Sendable {
  private let handle: UnsafeMutableRawPointer?
  private let baseURL: String
  private let configuration: HTTPConfiguration
  /// CURLOPT_ERRORBUFFER: libcurl writes a specific message here on failure; lives as long as the handle.
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private let errorBufferSize = Int(till_curl_error_size())

  var maxResponseBytes: Int { configuration.maxResponseBytes }

  init(baseURL: String, configuration: HTTPConfiguration) {
    _ = till_curl_global_init_once()
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.configuration = configuration
    self.errorBuffer = .allocate(capacity: errorBufferSize)
    errorBuffer.initialize(repeating: 0, count: errorBufferSize)
    self.handle = curl_easy_init()
    setUpConstantOptions()
  }

  deinit {
    if let handle { curl_easy_cleanup(handle) }
    errorBuffer.deallocate()
  }

  /// Options that stay the same for every request of this handle.
  private func setUpConstantOptions() {
    guard let handle else { return }
    // No signals: libcurl must not use SIGALRM for timeouts in a multi-threaded process.
    till_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
    till_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.wholeMilliseconds)
    till_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.requestTimeout.wholeMilliseconds)
    if let proxy = configuration.proxy {
      till_curl_setopt_string(handle, CURLOPT_PROXY, proxy.url)
      till_curl_setopt_string(handle, CURLOPT_NOPROXY, proxy.noProxyList)
    } else {
      // Ignore http_proxy and friends: the back end is addressed directly, usually on loopback.
      till_curl_setopt_string(handle, CURLOPT_PROXY, "")
    }
    // Verification stays on whatever else is set: the chain, the dates and the host name.
    till_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
    till_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
    if let path = configuration.caCertificatePath { till_curl_setopt_string(handle, CURLOPT_CAINFO, path) }
    if let pin = configuration.pinnedPublicKey {
      till_curl_setopt_string(handle, CURLOPT_PINNEDPUBLICKEY, pin)
    }
    till_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
    till_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
    till_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
    till_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes))
    if !configuration.reusesConnections {
      till_curl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
    }
    till_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
    till_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, writeBody)
    till_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader)
    till_curl_setopt_xferinfo_callback(handle, CURLOPT_XFERINFOFUNCTION, checkCanceled)
    till_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
  }

  /// Sends one request and waits for the complete response. Blocks the calling thread.
  func perform(_ request: HTTPRequest, transfer: Transfer) -> Result<HTTPResponse, HTTPError> {
    guard let handle else {
      return .failure(.other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed"))
    }
    var headerList: UnsafeMutablePointer<curl_slist>? = nil
    defer {
      // The handle keeps the list pointer: detach it before freeing so a later request never sees it.
      till_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
      curl_slist_free_all(headerList)
    }
    // A CR or LF would end the header line and let the rest inject headers of its own: such a header is
    // not sent at all.
    for (name, value) in request.headers
    where !name.utf8.contains(where: Self.isLineBreak) && !value.utf8.contains(where: Self.isLineBreak) {
      headerList = curl_slist_append(headerList, "\(name): \(value)")
    }
    if request.body != nil {
      // libcurl would otherwise send "Expect: 100-continue" for larger bodies and wait for the answer.
      headerList = curl_slist_append(headerList, "Expect:")
    }
    till_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
    till_curl_setopt_string(handle, CURLOPT_URL, baseURL + request.path)
    setMethod(request.method, body: request.body, on: handle)
    let fresh = !configuration.reusesConnections || !request.isIdempotent
    till_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, fresh ? 1 : 0)

    let userdata = Unmanaged.passUnretained(transfer).toOpaque()
    till_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata)
    till_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata)
    till_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata)
    errorBuffer[0] = 0

    let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
    guard code == CURLE_OK else {
      if transfer.tooLarge { return .failure(.responseTooLarge) }
      if code == CURLE_ABORTED_BY_CALLBACK, transfer.canceled.load(ordering: .relaxed) {
        return .failure(.canceled)
      }
      return .failure(.from(code, detail: String(cString: errorBuffer)))
    }
    var status = 0
    var port = 0
    var connects = 0
    till_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    till_curl_getinfo_long(handle, CURLINFO_LOCAL_PORT, &port)
    till_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
    return .success(
      HTTPResponse(
        status: status, headers: transfer.headers, body: transfer.body, localPort: port > 0 ? port : nil,
        newConnections: connects))
  }

  private static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0D || byte == 0x0A }

  /// Resets every method-related option, since a reused handle remembers the previous request's.
  private func setMethod(_ method: String, body: [UInt8]?, on handle: UnsafeMutableRawPointer) {
    let method = method.uppercased()
    till_curl_setopt_long(handle, CURLOPT_NOBODY, 0)
    till_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
    till_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil)
    if method == "HEAD" {
      till_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
      return
    }
    let sendsBody = body != nil || method == "POST" || method == "PUT" || method == "PATCH"
    if sendsBody {
      let bytes = body ?? []
      // COPYPOSTFIELDS copies the bytes into the handle, so no buffer has to outlive this call; the size
      // must be set first, or libcurl would treat the body as a C string.
      till_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
      bytes.withUnsafeBufferPointer { buffer in
        let empty: StaticString = ""
        let pointer = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(empty.utf8Start)
        _ = till_curl_setopt_pointer(
          handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
      }
    }
    // libcurl now sends GET, or POST when there is a body; any other verb goes on the request line as is.
    if method != (sendsBody ? "POST" : "GET") {
      till_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
    }
  }
}
