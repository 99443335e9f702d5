extension PostgresMigrations {
  /// The trading day, the same concepts as SQLite's `v8-register-sessions`: at most one open session per
  /// owner (a partial unique index, which also settles two opens from two back ends at one moment), cash
  /// moves with an opId once per owner, Z reports numbered per owner and never changed (a trigger refuses
  /// an update of their figures and every delete), and the session each order was placed in.
  static let registerSessionsMigration = Migration(
    version: 8, name: "register-sessions",
    statements: [
      """
      CREATE TABLE register_sessions (
        id text NOT NULL PRIMARY KEY,
        owner text NOT NULL,
        terminal text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        opening_float bigint NOT NULL CHECK (opening_float >= 0),
        currency text NOT NULL,
        opened_at timestamptz NOT NULL,
        opened_by text NOT NULL,
        closed_at timestamptz,
        closed_by text
      )
      """,
      "CREATE UNIQUE INDEX register_sessions_one_open ON register_sessions (owner) WHERE status = 'open'",
      """
      CREATE TABLE cash_moves (
        id text NOT NULL PRIMARY KEY,
        session_id text NOT NULL REFERENCES register_sessions (id),
        owner text NOT NULL,
        op_id text NOT NULL,
        fingerprint text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('pay-in', 'pay-out', 'no-sale')),
        amount bigint NOT NULL CHECK (amount >= 0),
        currency text NOT NULL,
        reason text NOT NULL,
        staff_code text NOT NULL,
        approved_by text,
        created_at timestamptz NOT NULL,
        UNIQUE (owner, op_id)
      )
      """,
      "CREATE INDEX cash_moves_by_session ON cash_moves (session_id)",
      """
      CREATE TABLE z_reports (
        id text NOT NULL PRIMARY KEY,
        owner text NOT NULL,
        terminal text NOT NULL,
        number bigint NOT NULL CHECK (number >= 1),
        session_id text NOT NULL UNIQUE REFERENCES register_sessions (id),
        idempotency_key text NOT NULL,
        counted_amount bigint NOT NULL,
        variance_amount bigint NOT NULL,
        currency text NOT NULL,
        closed_at timestamptz NOT NULL,
        closed_by text NOT NULL,
        report text NOT NULL,
        UNIQUE (owner, number)
      )
      """,
      "CREATE INDEX z_reports_by_terminal ON z_reports (terminal, closed_at)",
      """
      CREATE FUNCTION z_reports_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR (NEW.id, NEW.terminal, NEW.number, NEW.session_id, NEW.idempotency_key,
          NEW.counted_amount, NEW.variance_amount, NEW.currency, NEW.closed_at, NEW.closed_by, NEW.report)
          IS DISTINCT FROM (OLD.id, OLD.terminal, OLD.number, OLD.session_id, OLD.idempotency_key,
          OLD.counted_amount, OLD.variance_amount, OLD.currency, OLD.closed_at, OLD.closed_by, OLD.report)
        THEN
          RAISE EXCEPTION 'a Z report is never changed or deleted';
        END IF;
        RETURN NEW;
      END $$
      """,
      """
      CREATE TRIGGER z_reports_keep BEFORE UPDATE OR DELETE ON z_reports
      FOR EACH ROW EXECUTE FUNCTION z_reports_unchanged()
      """,
      "ALTER TABLE orders ADD COLUMN session_id text REFERENCES register_sessions (id)",
      "CREATE INDEX orders_by_session ON orders (session_id, status)",
    ])
}
