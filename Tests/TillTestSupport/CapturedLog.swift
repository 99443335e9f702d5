import Logging
import Synchronization

/// Everything a logger was given, kept in memory: each message with its level and its metadata as text,
/// for tests that check what a component logs (and that no secret is among it).
public final class CapturedLog: Sendable {
  public typealias Entry = (level: Logger.Level, message: String, metadata: String)

  private let storage = Mutex<[Entry]>([])

  public init() {}

  func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

  public var entries: [Entry] { storage.withLock { $0 } }

  /// Each entry as one line: level, message, metadata.
  public var lines: [String] { entries.map { "\($0.level) \($0.message) \($0.metadata)" } }

  /// A logger at trace level whose every entry lands here.
  public func logger(label: String = "till.test.capture") -> Logger {
    var logger = Logger(label: label) { _ in CapturingLogHandler(log: self) }
    logger.logLevel = .trace
    return logger
  }
}

/// The log handler behind `CapturedLog`: metadata of the logger and the event merged, sorted.
public struct CapturingLogHandler: LogHandler {
  let log: CapturedLog
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .trace

  public init(log: CapturedLog) { self.log = log }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    let all = metadata.merging(event.metadata ?? [:]) { $1 }
    let metadataText = all.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
    log.append(
      (level: event.level, message: "\(event.message)", metadata: metadataText + " source=\(event.source)"))
  }
}
