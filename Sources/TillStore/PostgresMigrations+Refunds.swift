extension PostgresMigrations {
  /// Refunds and their lines, the same concepts as SQLite's `v10-refunds`.
  static let refundsMigration = Migration(
    version: 10, name: "refunds",
    statements: [
      """
      CREATE TABLE refunds (
        seq bigserial NOT NULL,
        id text NOT NULL PRIMARY KEY,
        order_id text NOT NULL REFERENCES orders (id),
        owner text NOT NULL,
        sequence integer NOT NULL CHECK (sequence >= 1),
        request_key text NOT NULL,
        fingerprint text NOT NULL,
        method text NOT NULL CHECK (method IN ('cash', 'card')),
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        amount bigint NOT NULL CHECK (amount >= 0),
        currency text NOT NULL,
        receipt_number bigint CHECK (receipt_number >= \(ReceiptNumbering.first)),
        payment_id text REFERENCES payments (id),
        idempotence_key text UNIQUE,
        provider_refund_id text,
        failure_reason text,
        staff_code text NOT NULL,
        approved_by text,
        session_id text REFERENCES register_sessions (id),
        created_at timestamptz NOT NULL,
        settled_at timestamptz,
        UNIQUE (order_id, sequence),
        UNIQUE (order_id, request_key)
      )
      """,
      "CREATE UNIQUE INDEX refunds_by_receipt ON refunds (owner, receipt_number)",
      "CREATE INDEX refunds_by_session ON refunds (session_id)",
      "CREATE INDEX refunds_pending ON refunds (status) WHERE status = 'pending'",
      """
      CREATE TABLE refund_lines (
        refund_id text NOT NULL REFERENCES refunds (id),
        sku text COLLATE "C" NOT NULL,
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        restock boolean NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        tax bigint NOT NULL CHECK (tax >= 0 AND tax <= amount),
        tax_rate integer NOT NULL,
        PRIMARY KEY (refund_id, sku)
      )
      """,
    ])
}
