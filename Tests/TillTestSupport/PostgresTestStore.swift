import TillCore
import TillLocalServices
import TillStore

/// A `PostgresStore` on a fresh database of the shared test cluster, seeded with `products`: the
/// PostgreSQL counterpart of a SQLite store in a temp directory.
public func makePostgresTestStore(products: [Product], maximumConnections: Int = 10) async throws
  -> PostgresStore
{
  let cluster = try await PostgresCluster.shared()
  let url = try await cluster.makeDatabase()
  let store = try await PostgresStore.connect(url: url, maximumConnections: maximumConnections)
  _ = try await store.seedIfEmpty(with: products)
  return store
}
