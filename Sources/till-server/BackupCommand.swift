import ArgumentParser
import Foundation
import TillCommandLine
import TillStore

/// `till-server backup --to FILE`: a consistent copy of the SQLite database, taken while it serves.
struct BackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "Copy the SQLite database to a new file while the server runs (SQLite's online backup).",
    discussion: """
      The copy is the database as one commit left it: what the server writes during the copy is either \
      all in it or not at all. It is checked (integrity) before it gets its name, readable by its owner \
      only. An existing file is never overwritten. A PostgreSQL database is backed up with pg_dump \
      (see the README).
      """)

  @Option(name: .long, help: ArgumentHelp("The new backup file.", valueName: "file"))
  var to: String

  @Option(name: .long, help: StoreLocation.help)
  var database: String?

  func run() async throws {
    try await StaffCommandFailure.reported {
      let path = try sqlitePath(database, doing: "back up", with: "pg_dump")
      let summary = try SQLiteBackup.copy(from: path, to: to)
      print("backed up \(path) to \(to): \(summary.orders) orders, \(summary.bytes) bytes")
    }
  }
}

/// `till-server restore --from FILE`: a backup back in place, while no server runs on the database.
struct RestoreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Put a backup in place of the SQLite database; refused while a server runs on it.",
    discussion: """
      The backup is checked first (integrity; a schema no newer than this build's, an older one is \
      migrated at the next start). Every till-server and till serving the database holds its lock file \
      (<database>.lock): stop them first. The database's -wal and -shm files are removed with it. A \
      PostgreSQL database is restored with pg_restore (see the README).
      """)

  @Option(name: .long, help: ArgumentHelp("The backup file to restore.", valueName: "file"))
  var from: String

  @Option(name: .long, help: StoreLocation.help)
  var database: String?

  func run() async throws {
    try await StaffCommandFailure.reported {
      let path = try sqlitePath(database, doing: "restore", with: "pg_restore")
      try SQLiteBackup.restore(from: from, to: path)
      print("restored \(from) to \(path)")
    }
  }
}

/// The SQLite file `--database` names (or the default one); a PostgreSQL URL is refused, naming the tool
/// that does the job there.
private func sqlitePath(_ database: String?, doing action: String, with tool: String) throws -> String {
  let environment = ProcessInfo.processInfo.environment
  let value = database ?? DataDirectory.defaultDatabasePath(environment: environment)
  switch try StoreLocation(value, environment: environment) {
  case .sqlite(let path): return path
  case .postgres:
    throw StaffCommandFailure("till-server cannot \(action) PostgreSQL; use \(tool) (see the README)")
  }
}
