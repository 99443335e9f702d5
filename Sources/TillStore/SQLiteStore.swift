import Foundation
import GRDB
import TillCore

/// The embedded engine: one SQLite file in WAL mode, owned by this process.
///
/// Every write runs on GRDB's single writer connection inside an explicit `BEGIN IMMEDIATE`
/// transaction, so two writes never interleave and a check-then-write cannot race. Writes that
/// arrive together share one commit (see `GroupCommit`), each in its own savepoint. Reads run
/// concurrently on reader connections, each on a consistent snapshot. The writer commits with
/// `synchronous = FULL`: what the API acknowledged survives a power cut.
public final class SQLiteStore: Store {
  public let engine = "sqlite"
  /// The database file.
  public let path: String
  /// The currency of an empty cart's total (carts with lines take their products' currency).
  public let currency: String
  /// Whether catalogue prices include tax; every back end on one database must use the same setting.
  public let taxBasis: TaxBasis
  /// Both settings, as the pricing rules take them.
  var pricing: ShopPricing { ShopPricing(currency: currency, basis: taxBasis) }

  let pool: DatabasePool
  private let batches: GroupCommit
  let counterBox = StoreCounterBox()
  public var counters: StoreCounters { counterBox.value }

  private init(path: String, currency: String, taxBasis: TaxBasis, pool: DatabasePool) {
    self.path = path
    self.currency = currency
    self.taxBasis = taxBasis
    self.pool = pool
    self.batches = GroupCommit(pool: pool, counters: counterBox)
  }

  /// Opens (creating if needed) the database at `path`, its parent directories, and migrates it.
  ///
  /// A new database is readable by its owner only (0600, in directories created 0700): it holds who
  /// owns every cart and order. SQLite gives its `-wal` and `-shm` files the database file's mode.
  public static func open(path: String, currency: String = "EUR", taxBasis: TaxBasis = .inclusive)
    async throws(StoreError) -> SQLiteStore
  {
    do {
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      if !FileManager.default.fileExists(atPath: path) {
        guard
          FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw StoreError.engine("cannot create the database file \(path)") }
      }
      var configuration = Configuration()
      configuration.label = "till"
      configuration.foreignKeysEnabled = true
      configuration.journalMode = .wal
      // One process owns the file; the timeout only covers outside tools (sqlite3, backups).
      configuration.busyMode = .timeout(5)
      let pool = try DatabasePool(path: path, configuration: configuration)
      // DatabasePool sets `synchronous = NORMAL` on its writer after `prepareDatabase`;
      // NORMAL can lose the last commits on power loss, so the writer is switched back to FULL.
      try await pool.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
      }
      try SQLiteSchema.migrator.migrate(pool)
      return SQLiteStore(path: path, currency: currency, taxBasis: taxBasis, pool: pool)
    } catch {
      throw StoreError.wrapping(error)
    }
  }

  public func close() async {
    // Closing fails only while a statement is still running; nothing useful can be done then.
    try? pool.close()
  }

  /// The durability settings as the writer connection reports them, for tests and health checks.
  public func writerSettings() async throws(StoreError) -> SQLiteSettings {
    try await writeWithoutTransaction { db in
      SQLiteSettings(
        journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
        synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
        foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
      )
    }
  }

  public func schemaStatus() async throws(StoreError) -> SchemaStatus {
    let migrator = SQLiteSchema.migrator
    let applied = try await read { db in try migrator.appliedIdentifiers(db) }
    return SchemaStatus.compare(known: migrator.migrations, applied: applied)
  }

  /// How many write operations and commits this store has made since it was opened.
  public var writeStatistics: WriteStatistics { batches.statistics }

  // MARK: - Database access with typed errors

  /// Runs `body` atomically on the writer, inside a `BEGIN IMMEDIATE` transaction shared with the
  /// writes that arrived at the same time; a thrown error rolls back `body`'s changes only.
  /// Returns once the change is committed (durable).
  func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await batches.write(body)
    } catch {
      throw StoreError.wrapping(error)
    }
  }

  /// Runs `body` on a reader connection, inside a read-only snapshot transaction.
  func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await pool.read(body)
    } catch {
      throw StoreError.wrapping(error)
    }
  }

  private func writeWithoutTransaction<T: Sendable>(
    _ body: @Sendable (Database) throws -> T
  ) async throws(StoreError) -> T {
    do {
      return try await pool.writeWithoutTransaction(body)
    } catch {
      throw StoreError.wrapping(error)
    }
  }
}

/// What the writer connection reports about durability.
public struct SQLiteSettings: Hashable, Sendable {
  /// `PRAGMA journal_mode`, e.g. "wal".
  public var journalMode: String
  /// `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
  public var synchronous: Int
  public var foreignKeys: Bool
}

extension StoreError {
  /// Our own refusals pass through; anything else (SQLite, I/O, cancellation) is the engine's fault,
  /// described in one line: GRDB's own description quotes the whole statement, which for a migration
  /// spans many lines of a start-up error or a log.
  static func wrapping(_ error: any Error) -> StoreError {
    if let storeError = error as? StoreError { return storeError }
    guard let error = error as? DatabaseError else { return .engine(String(describing: error)) }
    var text = "SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message")"
    if let sql = error.sql { text += " - while executing `\(oneLine(sql, limit: 80))`" }
    return .engine(text)
  }

  /// `text` with every run of whitespace (newlines included) as one space, cut to `limit` characters.
  static func oneLine(_ text: String, limit: Int) -> String {
    let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return words.count <= limit ? words : words.prefix(limit - 1) + "…"
  }
}
