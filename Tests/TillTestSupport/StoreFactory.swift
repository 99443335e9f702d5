import Foundation
import TillCore
import TillStore

/// The storage engines the conformance suite runs against. A new engine adds a case here and a
/// branch in `makeTestStore`/`reopenTestStore`/`disposeTestStore`; the tests stay as they are.
public enum StoreEngine: String, CaseIterable, Sendable {
  case sqlite
  /// A fresh database on the test process's one throwaway cluster (`PostgresCluster.shared()`).
  case postgres

  /// Every engine, or only those named in `TILL_TEST_ENGINES` (comma-separated, e.g. `sqlite`): an
  /// explicit choice for timing one engine or a quick local loop, never a silent skip — CI leaves it
  /// unset, and an unknown name stops the run.
  public static var allCases: [StoreEngine] {
    guard let list = ProcessInfo.processInfo.environment["TILL_TEST_ENGINES"], !list.isEmpty else {
      return [.sqlite, .postgres]
    }
    return list.split(separator: ",").map { name in
      let trimmed = name.trimmingCharacters(in: .whitespaces)
      guard let engine = StoreEngine(rawValue: trimmed) else {
        fatalError("TILL_TEST_ENGINES names an unknown engine \(trimmed); use sqlite, postgres or both")
      }
      return engine
    }
  }
}

/// The `--database` value for a `till-server` process on a fresh, empty database of `engine`: a
/// SQLite file inside `directory`, or a new database on the test cluster.
public func makeTestDatabaseLocation(_ engine: StoreEngine, directory: URL) async throws -> String {
  switch engine {
  case .sqlite: directory.appendingPathComponent("till.sqlite").path
  case .postgres: try await PostgresCluster.shared().makeDatabase()
  }
}

/// A fresh, empty store of `engine` seeded with exactly `products`: for SQLite a real file in its own
/// temporary directory, for PostgreSQL a new database on the shared test cluster. Pair with `disposeTestStore(_:)` (or use `withTestStore`), which closes the
/// store and removes its files.
public func makeTestStore(_ engine: StoreEngine, products: [Product]) async throws -> any Store {
  let store: any Store
  switch engine {
  case .sqlite:
    let directory = TemporaryDirectory.freshFile("till-store-test")
    store = try await SQLiteStore.open(path: directory.appendingPathComponent("till.sqlite").path)
  case .postgres:
    store = try await makePostgresTestStore(products: [])
  }
  do {
    _ = try await store.seedIfEmpty(with: products)
  } catch {
    await disposeTestStore(store)
    throw error
  }
  return store
}

/// Closes `store` and opens the same database again, as a restarted process would (with another tax
/// basis when `taxBasis` says so).
public func reopenTestStore(_ store: any Store, taxBasis: TaxBasis? = nil) async throws -> any Store {
  await store.close()
  if let sqlite = store as? SQLiteStore {
    return try await SQLiteStore.open(
      path: sqlite.path, currency: sqlite.currency, taxBasis: taxBasis ?? sqlite.taxBasis)
  }
  if let postgres = store as? PostgresStore {
    return try await PostgresStore.connect(
      to: postgres.url, currency: postgres.currency, taxBasis: taxBasis ?? postgres.taxBasis,
      maximumConnections: 10)
  }
  throw StoreError.engine("reopenTestStore does not know the engine \(store.engine)")
}

/// Closes `store` and deletes what `makeTestStore` created for it. A PostgreSQL test database stays
/// until the cluster itself is removed at the end of the test process (dropping each one would cost
/// a checkpoint per test for no gain).
public func disposeTestStore(_ store: any Store) async {
  await store.close()
  if let sqlite = store as? SQLiteStore {
    // The directory also holds the -wal and -shm files.
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: sqlite.path).deletingLastPathComponent())
  }
}

/// Runs `body` with a fresh store and disposes of it afterwards, also when `body` throws.
public func withTestStore<T>(
  _ engine: StoreEngine, products: [Product],
  isolation: isolated (any Actor)? = #isolation,
  _ body: (any Store) async throws -> T
) async throws -> T {
  let store = try await makeTestStore(engine, products: products)
  do {
    let result = try await body(store)
    await disposeTestStore(store)
    return result
  } catch {
    await disposeTestStore(store)
    throw error
  }
}

/// Runs `body` with two stores on one fresh PostgreSQL database seeded with `products` — two back ends'
/// connection pools, as two `till-server` processes would have — and closes both afterwards, also when
/// `body` throws.
public func withTwoPostgresStores(
  products: [Product], isolation: isolated (any Actor)? = #isolation,
  _ body: (PostgresStore, PostgresStore) async throws -> Void
) async throws {
  let first = try await makePostgresTestStore(products: products)
  let second: PostgresStore
  do {
    second = try await PostgresStore.connect(to: first.url, currency: first.currency, maximumConnections: 10)
  } catch {
    await disposeTestStore(first)
    throw error
  }
  do {
    try await body(first, second)
  } catch {
    await second.close()
    await disposeTestStore(first)
    throw error
  }
  await second.close()
  await disposeTestStore(first)
}
