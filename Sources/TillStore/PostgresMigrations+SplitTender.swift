extension PostgresMigrations {
  /// Split tender, the same concepts as SQLite's `v9-split-tender`: `paid_amount` on orders (never
  /// above the total, by a CHECK behind `PaymentRules`), `request_key` on payments (once per order),
  /// and no more one-success index.
  static let splitTenderMigration = Migration(
    version: 9, name: "split-tender",
    statements: [
      "ALTER TABLE orders ADD COLUMN paid_amount bigint NOT NULL DEFAULT 0",
      "UPDATE orders SET paid_amount = total_amount WHERE status = 'paid'",
      """
      ALTER TABLE orders ADD CONSTRAINT orders_paid_within_total
        CHECK (paid_amount >= 0 AND paid_amount <= total_amount)
      """,
      "ALTER TABLE payments ADD COLUMN request_key text",
      "DROP INDEX payments_one_success",
      """
      CREATE UNIQUE INDEX payments_by_request_key ON payments (order_id, request_key)
        WHERE request_key IS NOT NULL
      """,
    ])
}
