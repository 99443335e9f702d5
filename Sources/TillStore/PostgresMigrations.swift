import PostgresNIO

/// The PostgreSQL schema as numbered migrations, recorded in `till_migrations`.
///
/// Each migration runs once, in its own transaction, under a transaction-scoped advisory lock, so two
/// servers starting at the same moment cannot both apply it (the second waits, then sees it done).
/// Never edit a shipped migration; append the next one.
enum PostgresMigrations {
  struct Migration: Sendable {
    var version: Int
    var name: String
    /// One statement each: the extended query protocol takes a single statement per query.
    var statements: [String]
  }

  /// An arbitrary constant naming the migration lock among all advisory locks of the database.
  static let lockKey = 7_411_000_001

  /// The same concepts as `SQLiteSchema`. SKUs and categories use the "C" collation so that ordering
  /// and keyset paging compare bytes, exactly as SQLite's BINARY collation does, whatever locale the
  /// database was created with.
  static let all: [Migration] = [
    Migration(
      version: 1, name: "catalogue-carts-orders",
      statements: [
        """
        CREATE TABLE products (
          sku text COLLATE "C" NOT NULL PRIMARY KEY,
          name text NOT NULL,
          category text COLLATE "C" NOT NULL,
          price_amount bigint NOT NULL CHECK (price_amount >= 0),
          currency text NOT NULL,
          stock bigint NOT NULL CHECK (stock >= 0),
          barcode text NOT NULL UNIQUE,
          search_text text NOT NULL
        )
        """,
        "CREATE INDEX products_by_category ON products (category, sku)",
        """
        CREATE TABLE stock_adjustments (
          id bigserial PRIMARY KEY,
          sku text COLLATE "C" NOT NULL REFERENCES products (sku),
          delta bigint NOT NULL,
          reason text NOT NULL,
          at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE carts (
          id text NOT NULL PRIMARY KEY,
          owner text NOT NULL,
          status text NOT NULL CHECK (status IN ('open', 'checked_out')),
          created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE cart_lines (
          cart_id text NOT NULL REFERENCES carts (id),
          sku text COLLATE "C" NOT NULL REFERENCES products (sku),
          quantity bigint NOT NULL CHECK (quantity > 0),
          PRIMARY KEY (cart_id, sku)
        )
        """,
        """
        CREATE TABLE applied_ops (
          cart_id text NOT NULL REFERENCES carts (id),
          op_id text NOT NULL,
          sku text COLLATE "C" NOT NULL,
          delta bigint NOT NULL,
          PRIMARY KEY (cart_id, op_id)
        )
        """,
        "CREATE SEQUENCE order_numbers AS bigint",
        """
        CREATE TABLE orders (
          id text NOT NULL PRIMARY KEY,
          number bigint NOT NULL UNIQUE,
          owner text NOT NULL,
          status text NOT NULL CHECK (status IN ('placed', 'paid', 'canceled')),
          total_amount bigint NOT NULL,
          currency text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          cart_id text NOT NULL UNIQUE REFERENCES carts (id)
        )
        """,
        "CREATE INDEX orders_by_owner ON orders (owner, number)",
        """
        CREATE TABLE order_lines (
          order_id text NOT NULL REFERENCES orders (id),
          sku text COLLATE "C" NOT NULL REFERENCES products (sku),
          name text NOT NULL,
          quantity bigint NOT NULL CHECK (quantity > 0),
          unit_price_amount bigint NOT NULL,
          line_total_amount bigint NOT NULL,
          PRIMARY KEY (order_id, sku)
        )
        """,
        // The row is written first (order_id still NULL) so that a concurrent request with the same
        // key waits on the unique index and then finds the finished order.
        """
        CREATE TABLE idempotency_keys (
          owner text NOT NULL,
          key text NOT NULL,
          cart_id text NOT NULL,
          order_id text REFERENCES orders (id),
          created_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (owner, key)
        )
        """,
      ]),
    // One row per payment attempt; the partial unique indexes are the last line of defence behind the
    // code: never two successful payments for an order, never two pending ones. `seq` orders recovery.
    Migration(
      version: 2, name: "payments",
      statements: [
        """
        CREATE TABLE payments (
          seq bigserial NOT NULL UNIQUE,
          id text NOT NULL PRIMARY KEY,
          order_id text NOT NULL REFERENCES orders (id),
          method text NOT NULL CHECK (method IN ('cash', 'card')),
          status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined')),
          amount bigint NOT NULL CHECK (amount >= 0),
          currency text NOT NULL,
          tendered bigint CHECK (tendered >= 0),
          change_given bigint CHECK (change_given >= 0),
          attempt bigint NOT NULL CHECK (attempt >= 1),
          idempotence_key text UNIQUE,
          decline_reason text,
          provider_payment_id text,
          created_at timestamptz NOT NULL DEFAULT now(),
          settled_at timestamptz,
          UNIQUE (order_id, attempt)
        )
        """,
        "CREATE UNIQUE INDEX payments_one_success ON payments (order_id) WHERE status = 'succeeded'",
        "CREATE UNIQUE INDEX payments_one_pending ON payments (order_id) WHERE status = 'pending'",
      ]),
    // Secrets of this database, by name: the owner-id HMAC key (`OwnerSecret`). The first server to
    // need it inserts it (ON CONFLICT DO NOTHING), so every server on the database reads the same one.
    Migration(
      version: 3, name: "owner-secret",
      statements: ["CREATE TABLE till_secrets (name text NOT NULL PRIMARY KEY, value bytea NOT NULL)"]),
    // Order numbers count per owner (`OrderNumbering`). Existing numbers were unique overall, hence per
    // owner too. `order_counters` holds each owner's last number: the order statement raises it under
    // the row's lock, which serialises one till's orders and no one else's. A counter row starts from
    // the owner's highest number when its first order after this migration is placed, so it needs no
    // filling here. The global sequence goes, so that no older server keeps numbering across tills.
    Migration(
      version: 4, name: "order-numbers-per-till",
      statements: [
        "CREATE TABLE order_counters (owner text NOT NULL PRIMARY KEY, last bigint NOT NULL)",
        "DROP INDEX orders_by_owner",
        "CREATE UNIQUE INDEX orders_by_owner ON orders (owner, number)",
        "ALTER TABLE orders DROP CONSTRAINT orders_number_key",
        "DROP SEQUENCE order_numbers",
      ]),
    staffMigration,
    taxMigration,
    receiptNumbersMigration,
    registerSessionsMigration,
    splitTenderMigration,
    refundsMigration,
  ]

  /// Applies every migration `connection`'s database lacks, up to and including `lastVersion`; answers
  /// the versions applied now.
  @discardableResult
  static func migrate(on connection: PostgresConnection, through lastVersion: Int = .max, logger: Logger)
    async throws -> [Int]
  {
    var applied: [Int] = []
    for migration in all where migration.version <= lastVersion {
      let didApply = try await connection.withTransaction(logger: logger) { connection in
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        try await connection.query(
          """
          CREATE TABLE IF NOT EXISTS till_migrations (
            version bigint PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          )
          """, logger: logger)
        let done = try await connection.query(
          "SELECT 1 FROM till_migrations WHERE version = \(migration.version)", logger: logger
        ).collect()
        guard done.isEmpty else { return false }
        for statement in migration.statements {
          try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await connection.query(
          "INSERT INTO till_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
          logger: logger)
        return true
      }
      if didApply { applied.append(migration.version) }
    }
    return applied
  }
}
