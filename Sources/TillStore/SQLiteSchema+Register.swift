extension SQLiteSchema {
  /// The trading day: register sessions (at most one open per owner: a partial unique index), cash moves
  /// (an opId once per owner), Z reports (numbered per owner, one per session, never changed: triggers
  /// refuse an update of their figures and every delete), and the session each order was placed in
  /// (NULL for orders placed outside a session).
  static let v8RegisterSessions = """
    CREATE TABLE register_sessions (
      id TEXT NOT NULL PRIMARY KEY,
      owner TEXT NOT NULL,
      terminal TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
      opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
      currency TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      opened_by TEXT NOT NULL,
      closed_at TEXT,
      closed_by TEXT
    ) STRICT;
    CREATE UNIQUE INDEX register_sessions_one_open ON register_sessions (owner) WHERE status = 'open';
    CREATE TABLE cash_moves (
      id TEXT NOT NULL PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES register_sessions (id),
      owner TEXT NOT NULL,
      op_id TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('pay-in', 'pay-out', 'no-sale')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      currency TEXT NOT NULL,
      reason TEXT NOT NULL,
      staff_code TEXT NOT NULL,
      approved_by TEXT,
      created_at TEXT NOT NULL,
      UNIQUE (owner, op_id)
    ) STRICT;
    CREATE INDEX cash_moves_by_session ON cash_moves (session_id);
    CREATE TABLE z_reports (
      id TEXT NOT NULL PRIMARY KEY,
      owner TEXT NOT NULL,
      terminal TEXT NOT NULL,
      number INTEGER NOT NULL CHECK (number >= 1),
      session_id TEXT NOT NULL UNIQUE REFERENCES register_sessions (id),
      idempotency_key TEXT NOT NULL,
      counted_amount INTEGER NOT NULL,
      variance_amount INTEGER NOT NULL,
      currency TEXT NOT NULL,
      closed_at TEXT NOT NULL,
      closed_by TEXT NOT NULL,
      report TEXT NOT NULL,
      UNIQUE (owner, number)
    ) STRICT;
    CREATE INDEX z_reports_by_terminal ON z_reports (terminal, closed_at);
    CREATE TRIGGER z_reports_keep_figures BEFORE UPDATE OF
      id, terminal, number, session_id, idempotency_key, counted_amount, variance_amount, currency, closed_at, closed_by, report
      ON z_reports
    BEGIN SELECT RAISE(ABORT, 'a Z report is never changed'); END;
    CREATE TRIGGER z_reports_keep_rows BEFORE DELETE ON z_reports
    BEGIN SELECT RAISE(ABORT, 'a Z report is never deleted'); END;
    ALTER TABLE orders ADD COLUMN session_id TEXT REFERENCES register_sessions (id);
    CREATE INDEX orders_by_session ON orders (session_id, status);
    """
}
