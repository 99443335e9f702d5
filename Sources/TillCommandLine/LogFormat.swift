import ArgumentParser
import Foundation
import Logging
import Synchronization

/// `--log-format`: the readable line (the default) or one JSON object a line for a log collector.
public enum LogFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
  case text, json

  public init?(argument: String) {
    self.init(rawValue: argument.lowercased())
  }

  /// A handler factory for `LoggingSystem.bootstrap`, writing to standard error at `level`.
  public func handler(level: Logger.Level) -> @Sendable (String) -> any LogHandler {
    switch self {
    case .text:
      return { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
      }
    case .json:
      return { label in
        var handler = JSONLogHandler(label: label)
        handler.logLevel = level
        return handler
      }
    }
  }
}

/// One JSON object a line on standard error: `time` (UTC, milliseconds), `level`, `label`, `message`,
/// `request_id` for a request's lines (Hummingbird's id, also sent as `X-Request-Id`), and every other
/// metadata value as a string. Keys are sorted, so lines compare and diff well.
public struct JSONLogHandler: LogHandler {
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]
  private let label: String

  public init(label: String) {
    self.label = label
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(
    level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
    file: String, function: String, line: UInt
  ) {
    var fields: [String: String] = [:]
    for (key, value) in metadata.merging(extra ?? [:], uniquingKeysWith: { $1 }) {
      fields[key == "hb.request.id" ? "request_id" : key] = value.description
    }
    fields["time"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date.now)
    fields["level"] = level.rawValue
    fields["label"] = label
    fields["message"] = message.description
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let line = try? encoder.encode(fields) else { return }
    JSONLogOutput.shared.write(line + [0x0A])
  }
}

/// Standard error, one whole line per write, so lines of concurrent requests never interleave.
private final class JSONLogOutput: Sendable {
  static let shared = JSONLogOutput()
  private let lock = Mutex(())

  func write(_ bytes: Data) {
    lock.withLock { _ in FileHandle.standardError.write(bytes) }
  }
}
