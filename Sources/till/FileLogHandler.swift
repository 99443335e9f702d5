import Foundation
import Logging

#if canImport(Glibc)
  import Glibc
#endif

/// An append-only log file shared by every logger of the process.
///
/// The back end runs inside the process that draws the cashier's screen, so its log must never reach
/// the terminal: it goes here instead. Each entry is one `write(2)` on an `O_APPEND` descriptor, so
/// lines from concurrent loggers never interleave.
final class LogFile: Sendable {
  let path: String
  private let descriptor: Int32

  /// Opens (creating when needed) `path` for appending.
  init(path: String) throws(LogFileError) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
    guard descriptor >= 0 else { throw LogFileError(path: path, reason: String(cString: strerror(errno))) }
    self.path = path
    self.descriptor = descriptor
  }

  deinit { close(descriptor) }

  func append(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(10)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
  }
}

/// Why the log file could not be opened.
struct LogFileError: Error, CustomStringConvertible {
  var path: String
  var reason: String

  var description: String { "cannot open the log file \(path): \(reason)" }
}

/// A swift-log handler writing `time level label: message key=value` lines to a `LogFile`.
struct FileLogHandler: LogHandler {
  let label: String
  let file: LogFile
  var logLevel: Logger.Level
  var metadata: Logger.Metadata = [:]

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
    let time = Date().formatted(.iso8601)
    file.append("\(time) \(event.level) \(label): \(event.message)\(fields)")
  }
}
