import CCurlShim
import Synchronization

/// The state of one request in flight, reached from libcurl's C callbacks through an `Unmanaged` pointer.
///
/// Only the connection's own thread touches `body`, `headers` and `tooLarge` (libcurl calls the
/// callbacks from inside `curl_easy_perform`); `canceled` is the one field another thread sets.
final class Transfer: Sendable {
  nonisolated(unsafe) var body: [UInt8] = []
  nonisolated(unsafe) var headers: [String: String] = [:]
  nonisolated(unsafe) var tooLarge = false
  let maxBytes: Int
  let canceled = Atomic<Bool>(false)

  init(maxBytes: Int) {
    self.maxBytes = maxBytes
  }

  /// Appends a body chunk; false (abort the transfer) when the body would exceed the cap.
  func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
    guard body.count + chunk.count <= maxBytes else {
      tooLarge = true
      return false
    }
    body.append(contentsOf: chunk)
    return true
  }

  /// Records one raw header line. A status line starts a new header block, so only the final response's
  /// headers remain (after a `100 Continue`, say).
  func addHeaderLine(_ line: UnsafeRawBufferPointer) {
    if line.starts(with: "HTTP/".utf8) {
      headers.removeAll()
      return
    }
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
    let name = Self.trimmed(line[..<colon])
    let value = Self.trimmed(line[(colon + 1)...])
    guard !name.isEmpty else { return }
    headers[String(decoding: name, as: UTF8.self).lowercased()] = String(decoding: value, as: UTF8.self)
  }

  /// Bytes without leading and trailing spaces, tabs, CR and LF. Works on bytes because "\r\n" is one
  /// `Character`, which a character-based trim would not recognise as a space.
  private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
    let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    guard let first = bytes.firstIndex(where: { !isSpace($0) }),
      let last = bytes.lastIndex(where: { !isSpace($0) })
    else { return bytes[bytes.startIndex..<bytes.startIndex] }
    return bytes[first...last]
  }
}

// The C callbacks. Each is a capture-free closure, so it converts to a `@convention(c)` function pointer;
// the per-request state arrives as the opaque `userdata` pointer set through CURLOPT_WRITEDATA and friends.

let writeBody: curl_write_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
  let length = size * count
  guard let data, length > 0 else { return length }
  return transfer.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

let writeHeader: curl_write_callback = { data, size, count, userdata in
  guard let userdata else { return 0 }
  let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
  let length = size * count
  guard let data, length > 0 else { return length }
  transfer.addHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
  return length
}

/// Returning non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK; libcurl calls this at least
/// once a second while a transfer waits, so a canceled task stops waiting within about a second.
let checkCanceled: curl_xferinfo_callback = { userdata, _, _, _, _ in
  guard let userdata else { return 0 }
  let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
  return transfer.canceled.load(ordering: .relaxed) ? 1 : 0
}
