import ArgumentParser
import Logging

/// `--log-level`: swift-log's levels by name, in any letter case.
public enum LogLevel: String, CaseIterable, ExpressibleByArgument, Sendable {
  case trace, debug, info, notice, warning, error, critical

  public init?(argument: String) {
    self.init(rawValue: argument.lowercased())
  }

  /// The same level as swift-log names it.
  public var level: Logger.Level {
    switch self {
    case .trace: .trace
    case .debug: .debug
    case .info: .info
    case .notice: .notice
    case .warning: .warning
    case .error: .error
    case .critical: .critical
    }
  }
}
