import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Says that a server is running on a SQLite database: every serving process holds a shared lock on
/// `<database>.lock` for as long as it runs, and `SQLiteBackup.restore` takes it exclusively, so it
/// cannot replace a database under a running server. The lock is on a file of its own: a second
/// descriptor on the database file itself would drop SQLite's own locks when it is closed.
/// The kernel releases it when the process ends, however it ends.
public final class ServingLock: Sendable {
  private let descriptor: Int32

  private init(descriptor: Int32) { self.descriptor = descriptor }

  /// The lock file of `database`.
  public static func path(of database: String) -> String { database + ".lock" }

  /// Held by a server while it serves `database`; any number of servers may hold it at once.
  public static func serving(_ database: String) throws(StoreError) -> ServingLock {
    try take(database, operation: LOCK_SH, busy: "a restore is replacing \(database)")
  }

  /// Held while nothing may serve `database`; refused while a server runs on it.
  static func exclusive(_ database: String) throws(StoreError) -> ServingLock {
    try take(database, operation: LOCK_EX, busy: "a server is running on \(database); stop it first")
  }

  private static func take(_ database: String, operation: Int32, busy: String) throws(StoreError)
    -> ServingLock
  {
    let file = path(of: database)
    try? FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: database).deletingLastPathComponent().path,
      withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw .engine("cannot open \(file): \(String(cString: strerror(errno)))")
    }
    guard flock(descriptor, operation | LOCK_NB) == 0 else {
      close(descriptor)
      throw .engine(busy)
    }
    return ServingLock(descriptor: descriptor)
  }

  /// Lets go (also done by the kernel when the process ends).
  public func release() {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
