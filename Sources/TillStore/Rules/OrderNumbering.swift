/// Order numbers count per till: the owner (the till's token identity) numbers its orders 1, 2, 3, …
/// with no gap and no duplicate, so a till's numbers tell it nothing about other tills' sales. A number
/// is taken in the same transaction that writes the order, so an order that is refused or rolled back
/// takes none, and a replayed order answers the number it was given.
///
/// SQLite takes `next(after:)` of the owner's highest number under its single writer. PostgreSQL keeps
/// the owner's last number in a counter row and raises it by `step` under the row's lock inside the
/// order statement; a row that is missing starts after the owner's highest number (or at `first`).
/// Numbers written before they were per till stay as they are; the owner's next order continues after
/// the highest of them.
enum OrderNumbering {
  /// The number of an owner's first order.
  static let first = 1
  /// How far each order moves the owner's number on.
  static let step = 1

  /// The number of the owner's next order, after `last` (nil before its first order).
  static func next(after last: Int?) throws(StoreError) -> Int {
    guard let last else { return first }
    let (next, overflow) = last.addingReportingOverflow(step)
    guard !overflow else { throw .engine("the owner's order numbers are exhausted after \(last)") }
    return next
  }
}
