extension PostgresMigrations {
  /// Staff, their sessions, counted sign-in attempts and the audit trail (the same concepts as SQLite's
  /// `v5-staff`). Carts, orders and payments written before people signed in belong to
  /// `LegacyStaff.code`; an order also records who canceled it and which manager approved that.
  /// Sessions are stored by the digest of their token only.
  static let staffMigration = Migration(
    version: 5, name: "staff",
    statements: [
      "ALTER TABLE carts ADD COLUMN staff_code text NOT NULL DEFAULT 'legacy'",
      """
      ALTER TABLE orders ADD COLUMN staff_code text NOT NULL DEFAULT 'legacy',
        ADD COLUMN canceled_by text, ADD COLUMN cancel_approved_by text
      """,
      "ALTER TABLE payments ADD COLUMN staff_code text NOT NULL DEFAULT 'legacy'",
      """
      CREATE TABLE staff (
        code text COLLATE "C" NOT NULL PRIMARY KEY,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('cashier', 'manager')),
        pin_hash text NOT NULL,
        enabled boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )
      """,
      """
      CREATE TABLE staff_sessions (
        token_digest text NOT NULL PRIMARY KEY,
        staff_code text COLLATE "C" NOT NULL REFERENCES staff (code),
        owner text NOT NULL,
        terminal text NOT NULL,
        started_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )
      """,
      "CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_code)",
      // One row per counted scope: a staff code ('code') or a terminal name ('terminal'); its row lock
      // is what makes concurrent guesses from any number of servers count together.
      """
      CREATE TABLE sign_in_attempts (
        scope text NOT NULL CHECK (scope IN ('code', 'terminal')),
        key text NOT NULL,
        attempts bigint NOT NULL CHECK (attempts >= 0),
        lock_outs bigint NOT NULL CHECK (lock_outs >= 0),
        locked_until timestamptz,
        PRIMARY KEY (scope, key)
      )
      """,
      // Append-only: rows are inserted, never changed.
      """
      CREATE TABLE audit_events (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        action text NOT NULL,
        staff_code text,
        terminal text,
        approved_by text,
        subject text,
        detail text
      )
      """,
    ])
}
