extension SQLiteSchema {
  /// Refunds of paid orders and their lines. A refund belongs to its order (one per `(order, key)` and
  /// per `(order, sequence)`), a card refund to the card payment it goes back to (its provider key
  /// unique), a succeeded one to its terminal's receipt sequence (`(owner, receipt_number)` unique; the
  /// numbers are shared with the terminal's paid orders by `ReceiptNumbering`). A line's tax is never
  /// above its amount. The register session is the drawer (or the report) that counts it.
  static let v10Refunds = """
    CREATE TABLE refunds (
      id TEXT NOT NULL PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders (id),
      owner TEXT NOT NULL,
      sequence INTEGER NOT NULL CHECK (sequence >= 1),
      request_key TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
      status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      currency TEXT NOT NULL,
      receipt_number INTEGER CHECK (receipt_number >= 1),
      payment_id TEXT REFERENCES payments (id),
      idempotence_key TEXT UNIQUE,
      provider_refund_id TEXT,
      failure_reason TEXT,
      staff_code TEXT NOT NULL,
      approved_by TEXT,
      session_id TEXT REFERENCES register_sessions (id),
      created_at TEXT NOT NULL,
      settled_at TEXT,
      UNIQUE (order_id, sequence),
      UNIQUE (order_id, request_key)
    ) STRICT;
    CREATE UNIQUE INDEX refunds_by_receipt ON refunds (owner, receipt_number);
    CREATE INDEX refunds_by_session ON refunds (session_id);
    CREATE INDEX refunds_pending ON refunds (status) WHERE status = 'pending';

    CREATE TABLE refund_lines (
      refund_id TEXT NOT NULL REFERENCES refunds (id),
      sku TEXT NOT NULL,
      name TEXT NOT NULL,
      quantity INTEGER NOT NULL CHECK (quantity > 0),
      restock INTEGER NOT NULL CHECK (restock IN (0, 1)),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      tax INTEGER NOT NULL CHECK (tax >= 0 AND tax <= amount),
      tax_rate INTEGER NOT NULL,
      PRIMARY KEY (refund_id, sku)
    ) STRICT, WITHOUT ROWID;
    """
}
