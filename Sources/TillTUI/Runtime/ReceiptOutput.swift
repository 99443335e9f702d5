import Dispatch
import TillCore
import TillReceipt

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes receipts where they go: the printer's ESC/POS bytes to a device, pipe or file, and text copies
/// into a folder. Each answers nil when done, or why not in words; the file work runs on a dispatch
/// thread, so a slow printer holds neither the key loop nor the tasks that run other effects.
enum ReceiptOutput {
  /// Fetches the order's ESC/POS receipt and appends it to `path`.
  static func print(orderId: String, copy: Bool, path: String, width: Int, _ backend: any CashierBackend)
    async -> String?
  {
    await print(to: path) { () async throws(BackendFailure) in
      try await backend.receiptEscPos(orderId: orderId, width: width, copy: copy)
    }
  }

  /// Fetches a refund's ESC/POS receipt and appends it to `path`.
  static func print(
    orderId: String, refundId: String, path: String, width: Int, _ backend: any CashierBackend
  ) async -> String? {
    await print(to: path) { () async throws(BackendFailure) in
      try await backend.refundReceiptEscPos(orderId: orderId, refundId: refundId, width: width)
    }
  }

  /// Appends the bytes `fetch` answers to the printer at `path`.
  private static func print(to path: String, _ fetch: () async throws(BackendFailure) -> [UInt8]) async
    -> String?
  {
    let bytes: [UInt8]
    do {
      bytes = try await fetch()
    } catch {
      return Messages.describe(error)
    }
    // A device path is never created: a mistyped or unplugged printer fails instead of filling a file.
    let flags = path.hasPrefix("/dev/") ? O_WRONLY | O_APPEND : O_WRONLY | O_APPEND | O_CREAT
    return await onFileThread { writeAll(bytes, to: path, flags: flags) }
  }

  /// Fetches a refund's text receipt and writes it as `receipt-<terminal>-<number>.txt` in `directory`
  /// (refunds and sales share one receipt sequence, so the names never clash).
  static func save(
    orderId: String, refundId: String, receiptNumber: Int, directory: String, terminal: String,
    _ backend: any CashierBackend
  ) async -> String? {
    let text: String
    do {
      text = try await backend.refundReceiptText(orderId: orderId, refundId: refundId, width: 42)
    } catch {
      return Messages.describe(error)
    }
    return await save(text, number: receiptNumber, copy: false, directory: directory, terminal: terminal)
  }

  /// Writes the Z report to the printer at `path`: its text rows as ESC/POS, then the feed and cut (the
  /// drawer stays shut).
  static func print(_ z: ZReport, shopName: String, path: String, width: Int) async -> String? {
    let text = ZReportDocument.text(z, shop: ShopDetails(name: shopName), width: width)
    let rows = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
      ReceiptRow(String($0))
    }
    let bytes = EscPosReceipt.render(rows: Array(rows), drawerPulse: false)
    let flags = path.hasPrefix("/dev/") ? O_WRONLY | O_APPEND : O_WRONLY | O_APPEND | O_CREAT
    return await onFileThread { writeAll(bytes, to: path, flags: flags) }
  }

  /// Pulses the cash drawer wired to the printer at `path` (initialise, then the drawer pulse).
  static func openDrawer(path: String) async -> String? {
    let bytes = EscPosReceipt.initialise + EscPosReceipt.drawerPulse
    let flags = path.hasPrefix("/dev/") ? O_WRONLY | O_APPEND : O_WRONLY | O_APPEND | O_CREAT
    return await onFileThread { writeAll(bytes, to: path, flags: flags) }
  }

  /// Fetches the order (for its receipt number) and, unless given, its text receipt, and writes the text as
  /// `receipt-<terminal>-<number>.txt` in `directory`; a copy goes into the first free
  /// `receipt-<terminal>-<number>-copy-<n>.txt`, so no reprint overwrites another.
  static func save(
    orderId: String, copy: Bool, directory: String, terminal: String, text known: String?,
    _ backend: any CashierBackend
  ) async -> String? {
    let order: Order
    let text: String
    do {
      order = try await backend.order(id: orderId)
      // Every copy fetched is a reprint in the audit trail: one already on the screen is not fetched again.
      if let known {
        text = known
      } else {
        text = try await backend.receiptText(orderId: orderId, width: 42, copy: copy)
      }
    } catch {
      return Messages.describe(error)
    }
    guard let number = order.receiptNumber else { return "order #\(order.number) has no receipt number" }
    return await save(text, number: number, copy: copy, directory: directory, terminal: terminal)
  }

  /// Writes receipt `number`'s `text` into `directory`: the original, or a copy in the first free copy
  /// name.
  private static func save(_ text: String, number: Int, copy: Bool, directory: String, terminal: String)
    async -> String?
  {
    let base = directory + "/receipt-" + fileSafe(terminal) + "-" + String(number)
    let bytes = Array(text.utf8)
    return await onFileThread {
      guard copy else { return writeAll(bytes, to: base + ".txt", flags: O_WRONLY | O_CREAT | O_TRUNC) }
      for attempt in 1...10_000 {
        let failure = writeAll(bytes, to: base + "-copy-\(attempt).txt", flags: O_WRONLY | O_CREAT | O_EXCL)
        if failure != "exists" { return failure }
      }
      return "too many copies of receipt \(number)"
    }
  }

  /// A terminal name as a file name part: letters, digits, `-` and `_` kept, anything else `_`.
  static func fileSafe(_ name: String) -> String {
    String(
      name.map { character in
        character.isASCII
          && (character.isLetter || character.isNumber || character == "-" || character == "_")
          ? character : "_"
      })
  }

  /// How long a printer may take to accept more bytes before the print counts as failed.
  static let stallLimit: Int32 = 10_000

  /// Opens `path` (a FIFO without a reader fails at once rather than waiting), writes every byte, closes.
  /// A printer or pipe that stops taking bytes for `stallLimit` milliseconds fails the print instead of
  /// holding its thread. Answers nil, "exists" for an `O_EXCL` clash, or the reason in words.
  static func writeAll(_ bytes: [UInt8], to path: String, flags: Int32) -> String? {
    let descriptor = open(path, flags | O_NONBLOCK | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let code = errno
      return code == EEXIST ? "exists" : reason(code, path)
    }
    defer { close(descriptor) }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { buffer -> Int in
        guard let start = buffer.baseAddress else { return 0 }
        return write(descriptor, start + written, buffer.count - written)
      }
      if count >= 0 {
        written += count
        continue
      }
      let code = errno
      if code == EINTR { continue }
      guard code == EAGAIN || code == EWOULDBLOCK else { return reason(code, path) }
      var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      let polled = poll(&ready, 1, stallLimit)
      if polled == 0 { return "\(path): the printer is not taking data" }
      if polled < 0 && errno != EINTR { return reason(errno, path) }
    }
    return nil
  }

  private static func reason(_ code: Int32, _ path: String) -> String {
    let text = String(cString: strerror(code))
    return "\(path): \(text)"
  }

  private static func onFileThread(_ work: @escaping @Sendable () -> String?) async -> String? {
    await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
    }
  }
}
