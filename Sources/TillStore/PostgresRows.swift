import Foundation
import PostgresNIO
import TillCore

/// Row layouts shared by several PostgreSQL queries; the SELECT lists must match these decoders.
enum PostgresRows {
  static let productColumns = "sku, name, category, price_amount, currency, stock, barcode"

  static func product(_ row: PostgresRow) throws -> Product {
    let (sku, name, category, price, currency, stock, barcode) = try row.decode(
      (String, String, String, Int, String, Int, String).self)
    return Product(
      sku: sku, name: name, category: category, price: Money(amount: price, currency: currency), stock: stock,
      barcode: barcode)
  }

  static let paymentColumns = """
    id, order_id, method, status, amount, currency, tendered, change_given, attempt, idempotence_key, \
    decline_reason
    """

  /// Decodes `paymentColumns` starting at column `offset`; nil when the payment id there is NULL
  /// (an outer join without a payment).
  static func payment(_ row: PostgresRow, offset: Int = 0) throws -> Payment? {
    let cells = Array(row)
    guard let id = try cells[offset].decode(String?.self) else { return nil }
    let currency = try cells[offset + 5].decode(String.self)
    guard let method = Payment.Method(rawValue: try cells[offset + 2].decode(String.self)),
      let status = Payment.Status(rawValue: try cells[offset + 3].decode(String.self))
    else { throw StoreError.engine("payment \(id) has an unknown method or status") }
    return Payment(
      id: id, orderId: try cells[offset + 1].decode(String.self), method: method, status: status,
      amount: Money(amount: try cells[offset + 4].decode(Int.self), currency: currency),
      tendered: try cells[offset + 6].decode(Int?.self).map { Money(amount: $0, currency: currency) },
      change: try cells[offset + 7].decode(Int?.self).map { Money(amount: $0, currency: currency) },
      attempt: try cells[offset + 8].decode(Int.self),
      idempotenceKey: try cells[offset + 9].decode(String?.self),
      declineReason: try cells[offset + 10].decode(String?.self))
  }

  /// A `timestamptz` column as RFC 3339 in UTC with second precision, e.g. "2026-11-25T12:24:53Z" —
  /// the same text the SQLite store writes.
  static func timestamp(_ column: String) -> String {
    "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
  }

  static func newIdentifier() -> String {
    UUID().uuidString.lowercased()
  }

  /// Advisory lock that serialises concurrent seeding (the migrations use their own key).
  static let seedLockKey = 7_411_000_002
}

extension String {
  /// PostgreSQL text cannot store U+0000; a value holding it can match nothing stored.
  var containsNUL: Bool { utf8.contains(0) }

  /// The text before the first U+0000.
  var cutAtNUL: String {
    guard let index = firstIndex(of: "\0") else { return self }
    return String(self[..<index])
  }

  /// U+0000 replaced by U+FFFD, for free text that must be stored (an audit reason).
  var replacingNUL: String {
    containsNUL ? replacingOccurrences(of: "\0", with: "\u{FFFD}") : self
  }
}
