import Foundation
import PostgresNIO

extension PostgresStore {
  public func ownerSecret() async throws(StoreError) -> [UInt8] {
    let fresh = Data(OwnerSecret.generate())
    let stored = try await withConnection { connection in
      // The first server on the database writes its secret; every server, that one too, then reads
      // the one that was written first.
      try await connection.query(
        """
        INSERT INTO till_secrets (name, value) VALUES (\(OwnerSecret.name), \(fresh))
        ON CONFLICT (name) DO NOTHING
        """, logger: logger)
      let rows = try await connection.query(
        "SELECT value FROM till_secrets WHERE name = \(OwnerSecret.name)", logger: logger
      ).collect()
      return try rows.first?.decode(Data.self)
    }
    return try OwnerSecret.checked(stored.map { Array($0) })
  }

  public func renameOwners(_ renames: [OwnerRename]) async throws(StoreError) -> Int {
    let renames = OwnedTables.distinct(renames)
    guard !renames.isEmpty else { return 0 }
    return try await transaction { connection in
      // Servers starting together on one database rename one after the other; the later one finds
      // nothing left to change.
      try await connection.query("SELECT pg_advisory_xact_lock(\(Self.ownerRenameLockKey))", logger: logger)
      var changed = 0
      for table in OwnedTables.postgres {
        var bindings = PostgresBindings()
        bindings.append(renames.map(\.old))
        bindings.append(renames.map(\.new))
        let rows = try await connection.query(
          PostgresQuery(
            unsafeSQL: """
              WITH changed AS (
                UPDATE \(table.name) AS owned SET owner = renames.new
                FROM unnest($1::text[], $2::text[]) AS renames (old, new)
                WHERE owned.owner = renames.old\(OwnedTables.keepsUniqueKey(table))
                RETURNING 1
              )
              SELECT count(*) AS changed FROM changed
              """, binds: bindings), logger: logger
        ).collect()
        changed += try rows.first?.decode(Int.self) ?? 0
      }
      return changed
    }
  }

  /// An arbitrary constant naming the owner-rename lock among the database's advisory locks.
  static let ownerRenameLockKey = 7_411_000_031
}
