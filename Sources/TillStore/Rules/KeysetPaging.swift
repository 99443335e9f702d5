import TillCore

/// Keyset paging as both engines answer a list: a limit of 0 or less is an empty page (the server
/// validates the range; SQLite would read `LIMIT -1` as no limit), one row more than asked is fetched
/// to tell whether another page exists, and the last item's key is the next cursor.
struct KeysetPaging: Hashable, Sendable {
  let limit: Int

  /// Nil when no page can hold anything.
  init?(limit: Int) {
    guard limit > 0 else { return nil }
    self.limit = limit
  }

  /// The LIMIT of the query: one more than the page holds.
  var fetchLimit: Int { limit + 1 }

  /// The page of the fetched `rows`, with the cursor of its last item when more rows followed.
  func page<Item>(_ rows: [Item], cursor: (Item) -> String) -> Page<Item> {
    let items = Array(rows.prefix(limit))
    return Page(items: items, next: rows.count > limit ? items.last.map(cursor) : nil)
  }

  /// The order number an orders cursor names; nil when it is not a number, which has nothing after
  /// it (the server validates cursors; the store stays safe on its own).
  static func orderNumber(after cursor: String) -> Int? {
    Int(cursor)
  }

  /// The audit sequence number a trail cursor names; nil when it is not a number (nothing after it).
  static func sequence(after cursor: String) -> Int? {
    Int(cursor)
  }

  static func empty<Item>() -> Page<Item> {
    Page(items: [], next: nil)
  }
}
