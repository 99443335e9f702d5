import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// Backups of a SQLite database while a server runs on it, and putting one back while none does.
///
/// `copy` uses SQLite's online backup (through GRDB) in one step, inside one read transaction: the copy
/// is the database as one commit left it, whatever the server writes meanwhile. `restore` refuses while
/// a server holds the database's `ServingLock`, checks the backup (integrity, and a schema no newer than
/// this build's), and replaces the database in one rename.
public enum SQLiteBackup {
  /// What a finished copy holds, for the operator's line.
  public struct Summary: Sendable, Hashable {
    public var orders: Int
    public var bytes: Int
  }

  /// Copies the database at `source` to `destination`, a new file (an existing one is refused, never
  /// overwritten), readable by its owner only, synced to disk before it gets its name.
  public static func copy(from source: String, to destination: String) throws(StoreError) -> Summary {
    guard FileManager.default.fileExists(atPath: source) else { throw .engine("no database at \(source)") }
    guard !FileManager.default.fileExists(atPath: destination) else {
      throw .engine("\(destination) exists; a backup never overwrites a file")
    }
    let partial = destination + ".partial"
    do {
      let orders = try stagedCopy(of: source, at: partial)
      try FileManager.default.moveItem(atPath: partial, toPath: destination)
      try syncFile(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
      let bytes = (try FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
      return Summary(orders: orders, bytes: bytes)
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw StoreError.engine("the backup failed: \(StoreError.wrapping(error))")
    }
  }

  /// Puts the backup at `backup` in place of the database at `database` (which may not exist yet).
  /// Refused while a server runs on it; the database's old `-wal` and `-shm` files are removed first, so
  /// none of them is ever read against the restored file.
  public static func restore(from backup: String, to database: String) throws(StoreError) {
    guard FileManager.default.fileExists(atPath: backup) else { throw .engine("no backup at \(backup)") }
    let lock = try ServingLock.exclusive(database)
    defer { lock.release() }
    let staging = database + ".restoring"
    do {
      _ = try stagedCopy(of: backup, at: staging)
      for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
        try FileManager.default.removeItem(atPath: database + suffix)
      }
      // One rename: the database is the old file or the restored one, never a mix.
      guard rename(staging, database) == 0 else {
        throw StoreError.engine(
          "cannot rename \(staging) to \(database): \(String(cString: strerror(errno)))")
      }
      try syncFile(URL(fileURLWithPath: database).deletingLastPathComponent().path)
    } catch let error as StoreError {
      try? FileManager.default.removeItem(atPath: staging)
      throw error
    } catch {
      try? FileManager.default.removeItem(atPath: staging)
      throw StoreError.engine("the restore failed: \(StoreError.wrapping(error))")
    }
  }

  /// SQLite's online backup of `source` (opened read-only) into the new private file `staging`, in one
  /// step, checked and synced; answers how many orders the copy holds.
  private static func stagedCopy(of source: String, at staging: String) throws -> Int {
    try? FileManager.default.removeItem(atPath: staging)
    try createPrivateFile(staging)
    var configuration = Configuration()
    configuration.readonly = true
    let from = try DatabaseQueue(path: source, configuration: configuration)
    let to = try DatabaseQueue(path: staging)
    try from.backup(to: to)
    try from.close()
    let orders = try checked(to)
    try to.close()
    try syncFile(staging)
    return orders
  }

  /// A database fit to serve from: SQLite finds it intact and its schema is this build's or an older
  /// one (the server migrates it at start); answers how many orders it holds.
  private static func checked(_ database: DatabaseQueue) throws -> Int {
    try database.read { db in
      let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
      guard integrity == ["ok"] else {
        throw StoreError.engine("the copy is damaged: " + integrity.prefix(3).joined(separator: "; "))
      }
      let migrator = SQLiteSchema.migrator
      let status = SchemaStatus.compare(
        known: migrator.migrations, applied: try migrator.appliedIdentifiers(db))
      guard status.unknown.isEmpty else {
        throw StoreError.engine("the backup comes from a newer build (\(status.explanation))")
      }
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
    }
  }

  private static func createPrivateFile(_ path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
    else { throw StoreError.engine("cannot create \(path)") }
  }

  /// fsync of a file or a directory (so a rename in it survives a power cut).
  private static func syncFile(_ path: String) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw StoreError.engine("cannot open \(path) to sync it") }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw StoreError.engine("cannot sync \(path)") }
  }
}
