extension SQLiteSchema {
  /// Split tender: an order may take several successful payments. `paid_amount` is what they have paid,
  /// raised in the transaction that records each one; its CHECK is the last line of defence behind
  /// `PaymentRules`: the parts of an order never sum to more than its total. Orders paid before this
  /// migration paid their total in one payment. `request_key` is the `Idempotency-Key` a part was paid
  /// under, once per order. The one-success index goes; one pending attempt per order stays.
  static let v9SplitTender = """
    ALTER TABLE orders ADD COLUMN paid_amount INTEGER NOT NULL DEFAULT 0
      CHECK (paid_amount >= 0 AND paid_amount <= total_amount);
    UPDATE orders SET paid_amount = total_amount WHERE status = 'paid';
    ALTER TABLE payments ADD COLUMN request_key TEXT;
    DROP INDEX payments_one_success;
    CREATE UNIQUE INDEX payments_by_request_key ON payments (order_id, request_key)
      WHERE request_key IS NOT NULL;
    """
}
