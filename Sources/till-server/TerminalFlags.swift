import ArgumentParser
import TillServer

/// `--terminal NAME=TOKEN` (repeatable) and `TILL_TERMINALS=name=token,name=token`: the tills' names
/// (shown in their title bars and the audit trail) and tokens. The names' shape and uniqueness are the
/// server configuration's to check; here only the `=`. A refusal names the entry by its place, never by
/// its text, which may hold a token.
enum TerminalFlags {
  static let variable = "TILL_TERMINALS"

  static func terminals(flags: [String], environment: [String: String]) throws -> [ServerConfiguration
    .Terminal]
  {
    var terminals: [ServerConfiguration.Terminal] = []
    for (index, flag) in flags.enumerated() {
      guard let terminal = terminal(flag) else {
        throw StartupError("--terminal \(index + 1) is not NAME=TOKEN")
      }
      terminals.append(terminal)
    }
    let entries = (environment[variable] ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    for (index, entry) in entries.enumerated() where !entry.isEmpty {
      guard let terminal = terminal(entry) else {
        throw StartupError("\(variable) entry \(index + 1) is not NAME=TOKEN")
      }
      terminals.append(terminal)
    }
    return terminals
  }

  private static func terminal(_ text: String) -> ServerConfiguration.Terminal? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let name = text[..<equals].trimmingCharacters(in: .whitespaces)
    let token = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, !token.isEmpty else { return nil }
    return ServerConfiguration.Terminal(name: name, token: token)
  }
}

/// `--session-idle`: how long a staff session lives without use, as `90s`, `30m`, `12h` or `1d`.
struct IdleDuration: ExpressibleByArgument, Sendable, Equatable {
  var duration: Duration
  private var text: String

  init(hours: Int) {
    duration = .seconds(hours * 3600)
    text = "\(hours)h"
  }

  init?(argument: String) {
    guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0 else { return nil }
    let unitSeconds: Int
    switch unit {
    case "s": unitSeconds = 1
    case "m": unitSeconds = 60
    case "h": unitSeconds = 3600
    case "d": unitSeconds = 86_400
    default: return nil
    }
    // At most 30 days: a session that outlives a month of disuse is no longer a shift.
    guard count <= 30 * 86_400 / unitSeconds else { return nil }
    let seconds = count * unitSeconds
    duration = .seconds(seconds)
    text = argument
  }

  var defaultValueDescription: String { text }
}
