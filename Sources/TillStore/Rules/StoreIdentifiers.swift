import Foundation
import TillCore

/// How both engines make and check the text that names rows, so that they answer alike.
///
/// PostgreSQL text cannot hold U+0000 (binding it is an engine error) while SQLite stores it, so each
/// public store operation first calls the one guard below that fits it, on either engine. Nothing stored
/// holds U+0000 (ids are made here, SKUs pass `CatalogueRules`), so a name holding it names nothing: an
/// id or owner is "not found", an opId or idempotency key can never be the one recorded before. The
/// server refuses such text earlier (400); these guards keep the store consistent on its own.
enum StoreIdentifiers {
  /// A new row id (cart, order, payment): a random UUID in lower case.
  static func newIdentifier() -> String {
    UUID().uuidString.lowercased()
  }

  /// Whether `text` can name a stored row at all.
  static func canName(_ text: String) -> Bool {
    !text.containsNUL
  }

  /// `.notFound(what:)` when any of `names` (an id, its owner, a SKU) cannot name a stored row.
  static func requireNamed(_ what: String, _ names: String...) throws(StoreError) {
    guard names.allSatisfy(canName) else { throw .notFound(what: what) }
  }

  /// For an increment: the cart first, then the opId, then the product.
  static func checkIncrement(_ increment: IncrementRequest, cartId: String, owner: String)
    throws(StoreError)
  {
    try requireNamed("cart", cartId, owner)
    // An opId that cannot be recorded is answered like one recorded for another change.
    guard canName(increment.opId) else { throw .operationReused(opId: increment.opId) }
    try requireNamed("product", increment.sku)
  }

  /// For an order placement: the cart first, then the idempotency key.
  static func checkPlacement(cartId: String, owner: String, key: String) throws(StoreError) {
    try requireNamed("cart", cartId, owner)
    // A key that cannot be recorded is answered like one recorded for another request.
    guard canName(key) else { throw .idempotencyKeyReused }
  }

  /// For a new row owned by `owner`: owners come from the server's token table, never from a
  /// request body, so one holding U+0000 is our own fault.
  static func checkNewOwner(_ owner: String) throws(StoreError) {
    guard canName(owner) else { throw .engine("an owner cannot contain U+0000") }
  }

  /// For a row that records the person acting (a staff code, a terminal name): those come from the
  /// server's session, never from a request body, so one holding U+0000 is our own fault.
  static func checkActing(_ names: String?...) throws(StoreError) {
    guard names.allSatisfy({ $0.map(canName) ?? true }) else {
      throw .engine("a staff code or terminal name cannot contain U+0000")
    }
  }

  /// The query as both engines run it, or nil when it can match nothing: no stored product holds
  /// U+0000 in its search text or category, and for NUL-free SKUs "after a\0b" is "after a".
  static func searchable(_ query: ProductQuery) -> ProductQuery? {
    if let text = query.text, !canName(text) { return nil }
    if let category = query.category, !canName(category) { return nil }
    var query = query
    query.after = query.after?.cutAtNUL
    return query
  }

  /// Free text that must be stored (an adjustment reason, a provider's answer), with U+0000 replaced
  /// by U+FFFD on both engines.
  static func storable(_ text: String) -> String {
    text.containsNUL ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
  }
}

extension String {
  /// Whether the text holds U+0000, which PostgreSQL text cannot store.
  var containsNUL: Bool { utf8.contains(0) }

  /// The text before the first U+0000.
  var cutAtNUL: String {
    guard let index = firstIndex(of: "\0") else { return self }
    return String(self[..<index])
  }
}
