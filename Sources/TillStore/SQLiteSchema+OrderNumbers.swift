import GRDB

extension SQLiteSchema {
  /// Order numbers count per owner (`OrderNumbering`): the global UNIQUE on `number` becomes a unique
  /// index on `(owner, number)`. Existing numbers were unique overall, so they are unique per owner too,
  /// and each owner's next order continues after its highest.
  ///
  /// SQLite cannot drop a column's inline UNIQUE, so the table is rebuilt: create the new table, copy,
  /// drop the old one, rename, recreate the index. The migrator runs this with foreign keys off and
  /// checks them all before it commits, so the order lines, keys and payments that reference `orders`
  /// are verified to still find their order.
  static func rebuildOrdersNumberedPerOwner(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE orders_numbered_per_owner (
          id TEXT NOT NULL PRIMARY KEY,
          number INTEGER NOT NULL,
          owner TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'canceled')),
          total_amount INTEGER NOT NULL,
          currency TEXT NOT NULL,
          created_at TEXT NOT NULL,
          cart_id TEXT NOT NULL UNIQUE REFERENCES carts (id)
        ) STRICT;
        INSERT INTO orders_numbered_per_owner
          (id, number, owner, status, total_amount, currency, created_at, cart_id)
        SELECT id, number, owner, status, total_amount, currency, created_at, cart_id FROM orders;
        DROP TABLE orders;
        ALTER TABLE orders_numbered_per_owner RENAME TO orders;
        -- The owner's orders newest first (the orders list) and its highest number (the next order's).
        CREATE UNIQUE INDEX orders_by_owner ON orders (owner, number);
        """)
  }
}
