extension PostgresMigrations {
  /// Receipt numbers per owner (`ReceiptNumbering`), the same concepts as SQLite's
  /// `v7-receipt-numbers`. `receipt_counters` holds each owner's last receipt number: the paying
  /// transaction raises it under the row's lock, which serialises one till's payments at that one step
  /// and no one else's. The unique index on `(owner, receipt_number)` backs it up.
  ///
  /// Orders paid before this migration are numbered here, in order-number order per owner (so a receipt
  /// can be printed for each), their `paid_at` their successful payment's settle time, and the counters
  /// start at each owner's highest number. The `ALTER TABLE` locks `orders` until this commits, so no
  /// order is paid between the numbering and the counters.
  static let receiptNumbersMigration = Migration(
    version: 7, name: "receipt-numbers",
    statements: [
      """
      ALTER TABLE orders ADD COLUMN receipt_number bigint CHECK (receipt_number >= \(ReceiptNumbering.first)),
        ADD COLUMN paid_at timestamptz
      """,
      "CREATE UNIQUE INDEX orders_by_receipt ON orders (owner, receipt_number)",
      """
      UPDATE orders SET receipt_number = numbered.receipt_number, paid_at = numbered.paid_at
      FROM (
        SELECT o.id,
          \(ReceiptNumbering.legacyNumber(rank: "row_number() OVER (PARTITION BY o.owner ORDER BY o.number)"))
            AS receipt_number,
          COALESCE(
            (SELECT p.settled_at FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded'),
            o.created_at) AS paid_at
        FROM orders o WHERE o.status = 'paid'
      ) AS numbered
      WHERE orders.id = numbered.id
      """,
      "CREATE TABLE receipt_counters (owner text NOT NULL PRIMARY KEY, last bigint NOT NULL)",
      """
      INSERT INTO receipt_counters (owner, last)
      SELECT owner, max(receipt_number) FROM orders WHERE receipt_number IS NOT NULL GROUP BY owner
      """,
    ])
}
