import ArgumentParser
import Foundation
import Logging
import TillCore
import TillStore

/// Where `--database` points: a PostgreSQL database shared by any number of servers, or a SQLite
/// file owned by this one process.
///
/// Accepted forms: `postgres://USER[:PASSWORD]@HOST:PORT/DB` (also `postgresql://`; the password may
/// come from `PGPASSWORD` instead, which keeps it out of the process list), `sqlite:PATH`, or a plain
/// path, which is SQLite — so every existing `--database FILE` keeps working.
enum StoreLocation: Equatable, CustomStringConvertible {
  case postgres(PostgresURL)
  case sqlite(path: String)

  /// `--database`'s help, the same for serving and the staff commands.
  static let help = ArgumentHelp(
    "postgres://USER[:PASSWORD]@HOST:PORT/DB (password also from PGPASSWORD), sqlite:PATH, or a SQLite path "
      + "(default: $XDG_DATA_HOME/till/till.sqlite or ~/.local/share/till/till.sqlite).",
    valueName: "url-or-path")

  init(_ value: String, environment: [String: String]) throws(StoreError) {
    let lowered = value.lowercased()
    if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
      self = .postgres(try PostgresURL.parse(value, environment: environment))
      return
    }
    var path = value
    if lowered.hasPrefix("sqlite:") {
      path = String(value.dropFirst("sqlite:".count))
      // `sqlite:///var/till.sqlite` is the URL spelling of `sqlite:/var/till.sqlite`.
      if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
    } else if let scheme = value.firstRange(of: "://") {
      // A URL of an engine we do not have must not silently become a file named like a URL.
      throw StoreError.engine(
        "unsupported database \(value[..<scheme.lowerBound])://…; use postgres://USER@HOST:PORT/DB, "
          + "sqlite:PATH or a file path")
    }
    guard !path.isEmpty else { throw StoreError.engine("--database sqlite: needs a file path") }
    self = .sqlite(path: path)
  }

  /// For logs: never the password.
  var description: String {
    switch self {
    case .postgres(let url): "PostgreSQL postgres://\(url.user)@\(url.host):\(url.port)/\(url.database)"
    case .sqlite(let path): "SQLite \(path)"
    }
  }

  /// Opens (and migrates) the store, then fills an empty catalogue from `seedPath` or the demo
  /// catalogue. Several servers seeding one empty PostgreSQL database at once load it exactly once
  /// (the store serialises seeding on an advisory lock).
  func open(seedPath: String?, taxBasis: TaxBasis = .inclusive, logger: Logger) async throws
    -> any Store & PaymentStore
  {
    let store = try await connect(taxBasis: taxBasis, logger: logger)
    do {
      let products = try seedPath.map { try DemoCatalogue.load(from: $0) } ?? DemoCatalogue.load()
      let inserted = try await store.seedIfEmpty(with: products)
      if inserted > 0 { logger.info("seeded \(inserted) products") }
    } catch {
      await store.close()
      throw error
    }
    return store
  }

  /// Opens (and migrates) the store without touching its catalogue: what the staff commands need.
  /// `taxBasis` says whether catalogue prices include tax (the staff commands price nothing).
  func connect(taxBasis: TaxBasis = .inclusive, logger: Logger) async throws -> any Store & PaymentStore {
    let store: any Store & PaymentStore
    switch self {
    case .postgres(let url):
      store = try await PostgresStore.connect(to: url, taxBasis: taxBasis, logger: logger)
    case .sqlite(let path):
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw StartupError("cannot create the database directory \(directory): \(error.localizedDescription)")
      }
      store = try await SQLiteStore.open(path: path, taxBasis: taxBasis)
    }
    return store
  }
}
