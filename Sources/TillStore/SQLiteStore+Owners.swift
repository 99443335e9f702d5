import Foundation
import GRDB

extension SQLiteStore {
  public func ownerSecret() async throws(StoreError) -> [UInt8] {
    let fresh = Data(OwnerSecret.generate())
    let stored = try await write { db in
      try db.run(
        "INSERT INTO till_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        [OwnerSecret.name, fresh])
      return try Data.fetchOne(
        db, sql: "SELECT value FROM till_secrets WHERE name = ?", arguments: [OwnerSecret.name])
    }
    return try OwnerSecret.checked(stored.map { Array($0) })
  }

  public func renameOwners(_ renames: [OwnerRename]) async throws(StoreError) -> Int {
    let renames = OwnedTables.distinct(renames)
    guard !renames.isEmpty else { return 0 }
    // One statement per table joins a VALUES list of (old, new): each table is scanned once, however
    // many tokens are renamed.
    let pairs = Array(repeating: "(?, ?)", count: renames.count).joined(separator: ", ")
    let source = "(SELECT column1 AS old, column2 AS new FROM (VALUES \(pairs))) AS renames"
    let arguments = StatementArguments(renames.flatMap { [$0.old, $0.new] })
    return try await write { db in
      var changed = 0
      for table in OwnedTables.common {
        try db.execute(
          sql: """
            UPDATE \(table.name) AS owned SET owner = renames.new FROM \(source)
            WHERE owned.owner = renames.old\(OwnedTables.keepsUniqueKey(table))
            """, arguments: arguments)
        changed += db.changesCount
      }
      return changed
    }
  }
}
