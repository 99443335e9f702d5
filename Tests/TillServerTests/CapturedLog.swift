import Logging
import Synchronization

/// Everything logged: each message with its level, and its metadata as text.
final class CapturedLog: Sendable {
  typealias Entry = (level: Logger.Level, message: String, metadata: String)

  private let storage = Mutex<[Entry]>([])

  func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }
  var entries: [Entry] { storage.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
  let log: CapturedLog
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(
    level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
    file: String, function: String, line: UInt
  ) {
    let all = self.metadata.merging(explicit ?? [:]) { $1 }
    let metadataText = all.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
    log.append((level: level, message: "\(message)", metadata: metadataText + " source=\(source)"))
  }
}
