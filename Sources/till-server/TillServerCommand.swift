import ArgumentParser
import Foundation
import TillVersion

/// `till-server`: serves the Till API (the default command, `serve`) or manages the people who sign in
/// at the tills (`staff`), on the same database.
@main
struct TillServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "till-server",
    abstract: "Serve the Till point-of-sale API (catalogue, carts, orders, payments) on SQLite or Postgres.",
    discussion: """
      `till-server [serve] OPTIONS` serves (see `till-server serve --help`); `till-server staff …` adds, \
      lists and disables people and resets their PINs on the same --database; `till-server report z …` \
      prints past Z reports; `till-server backup --to FILE` copies a SQLite database while it serves, \
      `till-server restore --from FILE` puts one back while no server runs on it; `till-server \
      certificate create|show` makes the shop's TLS certificates.
      """,
    version: TillVersion.description,
    subcommands: [
      ServeCommand.self, StaffCommand.self, ReportCommand.self, BackupCommand.self, RestoreCommand.self,
      CertificateCommand.self,
    ],
    defaultSubcommand: ServeCommand.self)

  /// Parses and runs like `AsyncParsableCommand.main()`, except that a bad flag is one line
  /// (`till-server: …`), as every start-up refusal is: what an operator or a supervisor's log needs,
  /// without the usage text. `--help` still prints the manual.
  static func main() async {
    var command: any ParsableCommand
    do {
      command = try parseAsRoot()
    } catch {
      let status = exitCode(for: error)
      guard status != .success else { exit(withError: error) }  // --help
      printError(oneLine(message(for: error)))
      exit(withError: status)
    }
    do {
      if var asynchronous = command as? any AsyncParsableCommand {
        try await asynchronous.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }

  /// The parser's message on one line: a list of accepted values (one per line, `  - value`) becomes
  /// `value, value, …` after the sentence that introduces it.
  private static func oneLine(_ message: String) -> String {
    var lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard lines.count > 1 else { return message }
    let first = lines.removeFirst()
    let values = lines.map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    return first + " " + values.joined(separator: ", ")
  }

  static func printError(_ message: String) {
    FileHandle.standardError.write(Data("till-server: \(message)\n".utf8))
  }
}
