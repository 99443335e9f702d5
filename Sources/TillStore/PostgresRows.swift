import Foundation
import PostgresNIO
import TillCore

extension PostgresRandomAccessRow {
  /// The cell named `column`, decoded; a missing column is a thrown engine error (postgres-nio's own
  /// subscript by name would trap).
  func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
    guard contains(column) else { throw StoreError.engine("the answer has no column \(column)") }
    return try self[column].decode(Value.self)
  }
}

/// Read shapes shared by several PostgreSQL queries: each column list is what the SELECT names and what
/// the decoder beside it reads, by column name.
enum PostgresRows {
  static let productColumns = ColumnSet([
    "sku", "name", "category", "price_amount", "currency", "stock", "barcode", "tax_rate",
  ])

  static func product(_ row: PostgresRow) throws -> Product {
    let row = row.makeRandomAccess()
    return Product(
      sku: try row.decode("sku"), name: try row.decode("name"), category: try row.decode("category"),
      price: Money(amount: try row.decode("price_amount"), currency: try row.decode("currency")),
      stock: try row.decode("stock"), barcode: try row.decode("barcode"), taxRate: try row.decode("tax_rate"))
  }

  static let paymentColumns = ColumnSet([
    "id", "order_id", "method", "status", "amount", "currency", "tendered", "change_given", "attempt",
    "idempotence_key", "decline_reason",
  ])

  /// Decodes `paymentColumns` selected with `prefix`; nil when the payment id is NULL (an outer join
  /// without a payment).
  static func payment(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> Payment? {
    func column<Value: PostgresDecodable>(_ name: String) throws -> Value {
      try row.decode(prefix + name)
    }
    guard let id: String = try column("id") else { return nil }
    let currency: String = try column("currency")
    let tendered: Int? = try column("tendered")
    let change: Int? = try column("change_given")
    return Payment(
      id: id, orderId: try column("order_id"), method: try StoredValue.paymentMethod(try column("method")),
      status: try StoredValue.paymentStatus(try column("status")),
      amount: Money(amount: try column("amount"), currency: currency),
      tendered: tendered.map { Money(amount: $0, currency: currency) },
      change: change.map { Money(amount: $0, currency: currency) }, attempt: try column("attempt"),
      idempotenceKey: try column("idempotence_key"), declineReason: try column("decline_reason"))
  }

  static func payment(_ row: PostgresRow, prefix: String = "") throws -> Payment? {
    try payment(row.makeRandomAccess(), prefix: prefix)
  }

  /// A cart line joined with its product (`l` the line, `p` the product).
  static let checkoutLineColumns = ColumnSet([
    "l.sku", "p.name", "l.quantity", "p.price_amount", "p.currency", "p.stock", "p.tax_rate",
  ])

  /// Decodes `checkoutLineColumns`; nil when the sku is NULL (a cart without lines in an outer join).
  static func checkoutLine(_ row: PostgresRandomAccessRow) throws -> CheckoutLine? {
    guard let sku: String = try row.decode("sku") else { return nil }
    return CheckoutLine(
      sku: sku, name: try row.decode("name"), quantity: try row.decode("quantity"),
      unitPrice: try row.decode("price_amount"), currency: try row.decode("currency"),
      stock: try row.decode("stock"), taxRate: try row.decode("tax_rate"))
  }

  /// A `timestamptz` column as RFC 3339 in UTC with second precision, e.g. "2026-11-25T12:24:53Z" —
  /// the same text the SQLite store writes.
  static func timestamp(_ column: String) -> String {
    "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
  }

  /// Advisory lock that serialises concurrent seeding (the migrations use their own key).
  static let seedLockKey = 7_411_000_002
}
