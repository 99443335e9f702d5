import Foundation
import TillCore
import TillStore

/// The storage engines the conformance suite runs against. A new engine adds a case here and a
/// branch in `makeTestStore`/`reopenTestStore`/`disposeTestStore`; the tests stay as they are.
public enum StoreEngine: String, CaseIterable, Sendable {
  case sqlite
}

/// A fresh, empty store of `engine` seeded with exactly `products`: for SQLite a real file in its own
/// temporary directory. Pair with `disposeTestStore(_:)` (or use `withTestStore`), which closes the
/// store and removes its files.
public func makeTestStore(_ engine: StoreEngine, products: [Product]) async throws -> any Store {
  let store: any Store
  switch engine {
  case .sqlite:
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("till-store-test-\(UUID().uuidString)", isDirectory: true)
    store = try await SQLiteStore.open(path: directory.appendingPathComponent("till.sqlite").path)
  }
  do {
    _ = try await store.seedIfEmpty(with: products)
  } catch {
    await disposeTestStore(store)
    throw error
  }
  return store
}

/// Closes `store` and opens the same database again, as a restarted process would.
public func reopenTestStore(_ store: any Store) async throws -> any Store {
  await store.close()
  if let sqlite = store as? SQLiteStore {
    return try await SQLiteStore.open(path: sqlite.path, currency: sqlite.currency)
  }
  throw StoreError.engine("reopenTestStore does not know the engine \(store.engine)")
}

/// Closes `store` and deletes what `makeTestStore` created for it.
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
