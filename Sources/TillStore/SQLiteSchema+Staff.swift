extension SQLiteSchema {
  /// Staff, their sessions, counted sign-in attempts and the audit trail. Carts, orders and payments
  /// written before people signed in belong to `LegacyStaff.code`; an order also records who canceled
  /// it and which manager approved that.
  ///
  /// Sessions are stored by the digest of their token only; dates the rules compare (`expires_at`,
  /// `locked_until`) are GRDB's UTC date text, which sorts as time does.
  static let v5 = """
    ALTER TABLE carts ADD COLUMN staff_code TEXT NOT NULL DEFAULT 'legacy';
    ALTER TABLE orders ADD COLUMN staff_code TEXT NOT NULL DEFAULT 'legacy';
    ALTER TABLE orders ADD COLUMN canceled_by TEXT;
    ALTER TABLE orders ADD COLUMN cancel_approved_by TEXT;
    ALTER TABLE payments ADD COLUMN staff_code TEXT NOT NULL DEFAULT 'legacy';

    CREATE TABLE staff (
      code TEXT NOT NULL PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
      pin_hash TEXT NOT NULL,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE staff_sessions (
      token_digest TEXT NOT NULL PRIMARY KEY,
      staff_code TEXT NOT NULL REFERENCES staff (code),
      owner TEXT NOT NULL,
      terminal TEXT NOT NULL,
      started_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX staff_sessions_by_staff ON staff_sessions (staff_code);

    -- One row per counted scope: a staff code ('code') or a terminal name ('terminal').
    CREATE TABLE sign_in_attempts (
      scope TEXT NOT NULL CHECK (scope IN ('code', 'terminal')),
      key TEXT NOT NULL,
      attempts INTEGER NOT NULL CHECK (attempts >= 0),
      lock_outs INTEGER NOT NULL CHECK (lock_outs >= 0),
      locked_until TEXT,
      PRIMARY KEY (scope, key)
    ) STRICT, WITHOUT ROWID;

    -- Append-only: rows are inserted, never changed.
    CREATE TABLE audit_events (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      action TEXT NOT NULL,
      staff_code TEXT,
      terminal TEXT,
      approved_by TEXT,
      subject TEXT,
      detail TEXT
    ) STRICT;
    """
}
