extension SQLiteSchema {
  /// Tax rates and discounts, and the figures an order captures (`OrderPricing`).
  ///
  /// `products.tax_rate` is the effective rate: the product's own when `tax_rate_own`, else its
  /// category's (`category_tax_rates`, 0 when a category has no row); setting a category's rate updates
  /// its following products in the same transaction, so a checkout reads the rate from the product row.
  /// A cart's discounts are one per target (`target` is the SKU, or '' for the whole order); each
  /// discount operation's opId is recorded with its fingerprint (`DiscountRule`). Orders written before
  /// had no tax and no discounts: rate 0, discount 0, net = the line total, tax 0, one rate-0 row each.
  static let v6 = """
    ALTER TABLE products ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0
      CHECK (tax_rate BETWEEN 0 AND 10000);
    ALTER TABLE products ADD COLUMN tax_rate_own INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_own IN (0, 1));

    CREATE TABLE category_tax_rates (
      category TEXT NOT NULL PRIMARY KEY,
      rate INTEGER NOT NULL CHECK (rate BETWEEN 0 AND 10000)
    ) STRICT;

    CREATE TABLE cart_discounts (
      cart_id TEXT NOT NULL REFERENCES carts (id),
      target TEXT NOT NULL,
      percent INTEGER CHECK (percent BETWEEN 0 AND 100),
      amount INTEGER CHECK (amount >= 0),
      staff_code TEXT NOT NULL,
      approved_by TEXT,
      CHECK ((percent IS NULL) <> (amount IS NULL)),
      PRIMARY KEY (cart_id, target)
    ) STRICT, WITHOUT ROWID;

    -- Every applied discount operation; the primary key is what makes an opId apply once.
    CREATE TABLE discount_ops (
      cart_id TEXT NOT NULL REFERENCES carts (id),
      op_id TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      PRIMARY KEY (cart_id, op_id)
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE order_lines ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE order_lines ADD COLUMN discount_amount INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE order_lines ADD COLUMN net_amount INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE order_lines ADD COLUMN tax_amount INTEGER NOT NULL DEFAULT 0;
    UPDATE order_lines SET net_amount = line_total_amount;

    ALTER TABLE orders ADD COLUMN discount_total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE orders ADD COLUMN tax_basis TEXT NOT NULL DEFAULT 'inclusive'
      CHECK (tax_basis IN ('inclusive', 'exclusive'));

    CREATE TABLE order_taxes (
      order_id TEXT NOT NULL REFERENCES orders (id),
      rate INTEGER NOT NULL,
      net_amount INTEGER NOT NULL,
      tax_amount INTEGER NOT NULL,
      gross_amount INTEGER NOT NULL,
      PRIMARY KEY (order_id, rate)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO order_taxes (order_id, rate, net_amount, tax_amount, gross_amount)
    SELECT id, 0, total_amount, 0, total_amount FROM orders;
    """
}
