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

  func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { $1 }
    let metadataText = all.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
    log.append(
      (level: event.level, message: "\(event.message)", metadata: metadataText + " source=\(event.source)"))
  }
}
