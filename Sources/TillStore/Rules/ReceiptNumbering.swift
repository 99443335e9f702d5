/// Receipt numbers count per till: the owner (the till's token identity) numbers its receipts 1, 2, 3, …
/// with no gap and no duplicate, apart from its order numbers. A number is taken in the transaction
/// that makes the order paid (a cash payment, or a card payment settled as succeeded, live or by
/// recovery), so an order that is never paid — placed, declined, canceled — takes none, and a replayed
/// payment answers the order as it was paid.
///
/// SQLite takes `next(after:)` of the owner's highest receipt number under its single writer.
/// PostgreSQL keeps the owner's last receipt number in a counter row and raises it by `step` under the
/// row's lock inside the paying transaction; a row that is missing starts after the owner's highest
/// receipt number (or at `first`), and a row behind that number catches up to it. Orders paid before
/// receipts were numbered were given numbers by the migration, `first` upwards in each owner's
/// order-number order (`legacyNumber(rank:)`).
enum ReceiptNumbering {
  /// The number of an owner's first receipt.
  static let first = 1
  /// How far each paid order moves the owner's receipt number on.
  static let step = 1

  /// The number of the owner's next receipt, after `last` (nil before its first receipt).
  static func next(after last: Int?) throws(StoreError) -> Int {
    guard let last else { return first }
    let (next, overflow) = last.addingReportingOverflow(step)
    guard !overflow else { throw .engine("the owner's receipt numbers are exhausted after \(last)") }
    return next
  }

  /// The SQL expression numbering already paid orders when the receipt numbers arrive: `rank` is an
  /// SQL expression for the order's 1-based position among its owner's paid orders by order number.
  /// The same text serves both engines' migrations, so both number old receipts alike.
  static func legacyNumber(rank: String) -> String {
    "\(first) + (\(rank) - 1) * \(step)"
  }
}
