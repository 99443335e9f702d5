extension PostgresMigrations {
  /// Tax rates and discounts, and the figures an order captures (the same concepts as SQLite's
  /// `v6-tax-discounts`). `products.tax_rate` is the effective rate, so the order statement reads it
  /// from the product row it locks. Orders written before had no tax and no discounts: rate 0,
  /// discount 0, net = the line total, tax 0, one rate-0 row each.
  static let taxMigration = Migration(
    version: 6, name: "tax-discounts",
    statements: [
      """
      ALTER TABLE products
        ADD COLUMN tax_rate bigint NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 10000),
        ADD COLUMN tax_rate_own boolean NOT NULL DEFAULT false
      """,
      """
      CREATE TABLE category_tax_rates (
        category text COLLATE "C" NOT NULL PRIMARY KEY,
        rate bigint NOT NULL CHECK (rate BETWEEN 0 AND 10000)
      )
      """,
      // One discount per target: the SKU, or '' for the whole order.
      """
      CREATE TABLE cart_discounts (
        cart_id text NOT NULL REFERENCES carts (id),
        target text COLLATE "C" NOT NULL,
        percent bigint CHECK (percent BETWEEN 0 AND 100),
        amount bigint CHECK (amount >= 0),
        staff_code text NOT NULL,
        approved_by text,
        CHECK ((percent IS NULL) <> (amount IS NULL)),
        PRIMARY KEY (cart_id, target)
      )
      """,
      """
      CREATE TABLE discount_ops (
        cart_id text NOT NULL REFERENCES carts (id),
        op_id text NOT NULL,
        fingerprint text NOT NULL,
        PRIMARY KEY (cart_id, op_id)
      )
      """,
      """
      ALTER TABLE order_lines
        ADD COLUMN tax_rate bigint NOT NULL DEFAULT 0,
        ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0,
        ADD COLUMN net_amount bigint,
        ADD COLUMN tax_amount bigint NOT NULL DEFAULT 0
      """,
      "UPDATE order_lines SET net_amount = line_total_amount",
      "ALTER TABLE order_lines ALTER COLUMN net_amount SET NOT NULL",
      """
      ALTER TABLE orders
        ADD COLUMN discount_total bigint NOT NULL DEFAULT 0,
        ADD COLUMN tax_basis text NOT NULL DEFAULT 'inclusive' CHECK (tax_basis IN ('inclusive', 'exclusive'))
      """,
      """
      CREATE TABLE order_taxes (
        order_id text NOT NULL REFERENCES orders (id),
        rate bigint NOT NULL,
        net_amount bigint NOT NULL,
        tax_amount bigint NOT NULL,
        gross_amount bigint NOT NULL,
        PRIMARY KEY (order_id, rate)
      )
      """,
      """
      INSERT INTO order_taxes (order_id, rate, net_amount, tax_amount, gross_amount)
      SELECT id, 0, total_amount, 0, total_amount FROM orders
      """,
    ])
}
