import Foundation
import GRDB
import TillCore

/// Small helpers so hot paths use prepared statements from the connection's cache: re-preparing
/// SQL on every call cost about half the throughput in a measurement on this machine.
extension Database {
  func fetchRows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
    try Row.fetchAll(cachedStatement(sql: sql), arguments: arguments)
  }

  func fetchRow(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
    try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
  }

  func fetchInt(_ sql: String, _ arguments: StatementArguments = []) throws -> Int? {
    try Int.fetchOne(cachedStatement(sql: sql), arguments: arguments)
  }

  /// Runs one statement and answers how many rows it changed.
  @discardableResult
  func run(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
    try cachedStatement(sql: sql).execute(arguments: arguments)
    return changesCount
  }
}

/// Read shapes shared by several SQLite queries: each column list is what the SELECT names and what
/// the decoder beside it reads, by column name (`Row.decode(forColumn:)` throws where `row[...]` traps).
enum SQLiteRows {
  static let productColumns = ColumnSet([
    "sku", "name", "category", "price_amount", "currency", "stock", "barcode", "tax_rate",
  ])

  static func product(_ row: Row) throws -> Product {
    Product(
      sku: try row.decode(forColumn: "sku"), name: try row.decode(forColumn: "name"),
      category: try row.decode(forColumn: "category"),
      price: Money(
        amount: try row.decode(forColumn: "price_amount"), currency: try row.decode(forColumn: "currency")),
      stock: try row.decode(forColumn: "stock"), barcode: try row.decode(forColumn: "barcode"),
      taxRate: try row.decode(forColumn: "tax_rate"))
  }

  static let paymentColumns = ColumnSet([
    "id", "order_id", "method", "status", "amount", "currency", "tendered", "change", "attempt",
    "idempotence_key", "decline_reason",
  ])

  /// Decodes `paymentColumns` selected with `prefix`; nil when the payment id is NULL (an outer join
  /// without a payment).
  static func payment(_ row: Row, prefix: String = "") throws -> Payment? {
    func column<Value: DatabaseValueConvertible>(_ name: String) throws -> Value {
      try row.decode(forColumn: prefix + name)
    }
    guard let id: String = try column("id") else { return nil }
    let currency: String = try column("currency")
    let tendered: Int? = try column("tendered")
    let change: Int? = try column("change")
    return Payment(
      id: id, orderId: try column("order_id"),
      method: try StoredValue.paymentMethod(try column("method")),
      status: try StoredValue.paymentStatus(try column("status")),
      amount: Money(amount: try column("amount"), currency: currency),
      tendered: tendered.map { Money(amount: $0, currency: currency) },
      change: change.map { Money(amount: $0, currency: currency) }, attempt: try column("attempt"),
      idempotenceKey: try column("idempotence_key"), declineReason: try column("decline_reason"))
  }

  /// A cart line joined with its product (`l` the line, `p` the product).
  static let checkoutLineColumns = ColumnSet([
    "l.sku", "p.name", "l.quantity", "p.price_amount", "p.currency", "p.stock", "p.tax_rate",
  ])

  static func checkoutLine(_ row: Row) throws -> CheckoutLine {
    CheckoutLine(
      sku: try row.decode(forColumn: "sku"), name: try row.decode(forColumn: "name"),
      quantity: try row.decode(forColumn: "quantity"), unitPrice: try row.decode(forColumn: "price_amount"),
      currency: try row.decode(forColumn: "currency"), stock: try row.decode(forColumn: "stock"),
      taxRate: try row.decode(forColumn: "tax_rate"))
  }

  /// RFC 3339 in UTC, second precision, e.g. "2026-11-25T12:24:53Z".
  static func timestamp(_ date: Date = Date()) -> String {
    date.formatted(.iso8601)
  }
}
