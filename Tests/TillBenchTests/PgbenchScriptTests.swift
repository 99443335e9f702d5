import Foundation
import Testing
import TillCore
import TillLocalServices
import TillStore

@testable import TillBench

/// The pgbench transaction of `--compare-pgbench` runs against the schema as it is now: when a migration
/// adds a column the plain transaction must fill, this fails here rather than in a benchmark run.
@Suite("pgbench comparison script")
struct PgbenchScriptTests {
  @Test func runsOnTheCurrentSchemaAndIsCounted() async throws {
    let cluster = try await PostgresCluster.shared()
    let url = try await cluster.makeDatabase()
    let store = try await PostgresStore.connect(url: url, maximumConnections: 2)
    let products = DemoCatalogue.synthetic(count: 3).map { product -> Product in
      var product = product
      product.stock = 1_000_000
      return product
    }
    _ = try await store.seedIfEmpty(with: products)
    await store.close()
    let database = String(url.split(separator: "/").last ?? "")
    let comparison = PgbenchComparison(cluster: cluster, database: database, hotSKUs: products.map(\.sku))
    let tps = try await comparison.run(clients: 2, seconds: 1)
    #expect(tps > 0)
    let sold = try await comparison.soldUnits()
    #expect(Set(sold.keys) == Set(products.map(\.sku)))
    #expect(Set(sold.values).count == 1, "each order took one unit of every hot product: \(sold)")
    let remaining = try await cluster.psql("SELECT sum(stock) FROM products", database: database)
    let units = sold.values.reduce(0, +)
    #expect(
      Int(remaining.trimmingCharacters(in: .whitespacesAndNewlines)) == 3_000_000 - units, "stock conserved")
  }
}
