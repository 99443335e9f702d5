extension SQLiteSchema {
  /// Receipt numbers per owner (`ReceiptNumbering`): an order gets its number and the time it was paid
  /// in the transaction that makes it paid; the unique index on `(owner, receipt_number)` is the last
  /// line of defence behind the single writer (NULLs, the unpaid orders, never collide), and it is what
  /// finds an owner's highest number.
  ///
  /// Orders paid before this migration are numbered here, in order-number order per owner, so a receipt
  /// can be printed for each of them; their `paid_at` is their successful payment's settle time.
  static let v7ReceiptNumbers = """
    ALTER TABLE orders ADD COLUMN receipt_number INTEGER CHECK (receipt_number >= \(ReceiptNumbering.first));
    ALTER TABLE orders ADD COLUMN paid_at TEXT;
    CREATE UNIQUE INDEX orders_by_receipt ON orders (owner, receipt_number);
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
    WHERE orders.id = numbered.id;
    """
}
