import GRDB

/// The schema, as a sequence of named migrations. Never edit a shipped migration; add the next one.
enum SQLiteSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-catalogue-carts-orders") { db in
      try db.execute(sql: v1)
    }
    migrator.registerMigration("v2-payments") { db in
      try db.execute(sql: v2)
    }
    migrator.registerMigration("v3-owner-secret") { db in
      try db.execute(sql: v3)
    }
    migrator.registerMigration("v4-order-numbers-per-till") { db in
      try rebuildOrdersNumberedPerOwner(db)
    }
    migrator.registerMigration("v5-staff") { db in
      try db.execute(sql: v5)
    }
    migrator.registerMigration("v6-tax-discounts") { db in
      try db.execute(sql: v6)
    }
    migrator.registerMigration("v7-receipt-numbers") { db in
      try db.execute(sql: v7ReceiptNumbers)
    }
    migrator.registerMigration("v8-register-sessions") { db in
      try db.execute(sql: v8RegisterSessions)
    }
    migrator.registerMigration("v9-split-tender") { db in
      try db.execute(sql: v9SplitTender)
    }
    migrator.registerMigration("v10-refunds") { db in
      try db.execute(sql: v10Refunds)
    }
    return migrator
  }

  /// STRICT tables so a wrong type is an error, not a silent conversion. CHECK constraints back up
  /// the code: stock and quantities can never go negative even through a bug.
  private static let v1 = """
    CREATE TABLE products (
      sku TEXT NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      category TEXT NOT NULL,
      price_amount INTEGER NOT NULL CHECK (price_amount >= 0),
      currency TEXT NOT NULL,
      stock INTEGER NOT NULL CHECK (stock >= 0),
      barcode TEXT NOT NULL UNIQUE,
      -- name, SKU and barcode, lower-cased and diacritics folded in Swift (see SearchText)
      search_text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX products_by_category ON products (category, sku);

    CREATE TABLE stock_adjustments (
      id INTEGER PRIMARY KEY,
      sku TEXT NOT NULL REFERENCES products (sku),
      delta INTEGER NOT NULL,
      reason TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE carts (
      id TEXT NOT NULL PRIMARY KEY,
      owner TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'checked_out')),
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE cart_lines (
      cart_id TEXT NOT NULL REFERENCES carts (id),
      sku TEXT NOT NULL REFERENCES products (sku),
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      PRIMARY KEY (cart_id, sku)
    ) STRICT, WITHOUT ROWID;

    -- Every applied increment; the primary key is what makes an opId apply once.
    CREATE TABLE applied_ops (
      cart_id TEXT NOT NULL REFERENCES carts (id),
      op_id TEXT NOT NULL,
      sku TEXT NOT NULL,
      delta INTEGER NOT NULL,
      PRIMARY KEY (cart_id, op_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE orders (
      id TEXT NOT NULL PRIMARY KEY,
      number INTEGER NOT NULL UNIQUE,
      owner TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'canceled')),
      total_amount INTEGER NOT NULL,
      currency TEXT NOT NULL,
      created_at TEXT NOT NULL,
      cart_id TEXT NOT NULL UNIQUE REFERENCES carts (id)
    ) STRICT;
    CREATE INDEX orders_by_owner ON orders (owner, number);

    CREATE TABLE order_lines (
      order_id TEXT NOT NULL REFERENCES orders (id),
      sku TEXT NOT NULL REFERENCES products (sku),
      name TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      unit_price_amount INTEGER NOT NULL,
      line_total_amount INTEGER NOT NULL,
      PRIMARY KEY (order_id, sku)
    ) STRICT, WITHOUT ROWID;

    -- One row per (owner, key); cart_id is the request fingerprint (the body is just the cart id).
    CREATE TABLE idempotency_keys (
      owner TEXT NOT NULL,
      key TEXT NOT NULL,
      cart_id TEXT NOT NULL,
      order_id TEXT NOT NULL REFERENCES orders (id),
      created_at TEXT NOT NULL,
      PRIMARY KEY (owner, key)
    ) STRICT, WITHOUT ROWID;
    """

  /// One row per payment attempt. The partial unique indexes are the last line of defence behind the
  /// code: an order can never hold two successful payments, nor two pending ones (which would mean two
  /// provider call sequences). A card attempt's key is unique, so one key can never name two rows.
  private static let v2 = """
    CREATE TABLE payments (
      id TEXT NOT NULL PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders (id),
      method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
      status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      currency TEXT NOT NULL,
      tendered INTEGER CHECK (tendered >= 0),
      change INTEGER CHECK (change >= 0),
      attempt INTEGER NOT NULL CHECK (attempt >= 1),
      idempotence_key TEXT UNIQUE,
      decline_reason TEXT,
      provider_payment_id TEXT,
      created_at TEXT NOT NULL,
      settled_at TEXT,
      UNIQUE (order_id, attempt)
    ) STRICT;
    CREATE UNIQUE INDEX payments_one_success ON payments (order_id) WHERE status = 'succeeded';
    CREATE UNIQUE INDEX payments_one_pending ON payments (order_id) WHERE status = 'pending';
    """

  /// Secrets of this database, by name: the owner-id HMAC key (`OwnerSecret`), written on first use.
  private static let v3 = """
    CREATE TABLE till_secrets (
      name TEXT NOT NULL PRIMARY KEY,
      value BLOB NOT NULL
    ) STRICT;
    """
}
