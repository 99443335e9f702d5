/// The columns of one read shape, written once: the SELECT list is made from them, and the decoder
/// reads the answer by the same names, never by position.
///
/// A column is a table column (`sku`), or one qualified by its table in a join (`l.sku`), or a computed
/// expression given a name. `select(from:prefix:)` qualifies plain columns by `table` and renames every
/// column to `prefix + name`, so two shapes with an `id` can share one SELECT (`payment_id`).
struct ColumnSet: Sendable {
  struct Column: Sendable {
    /// What the decoder reads it by (without the prefix).
    var name: String
    /// The SQL for it, given the table qualifier ("" or "t.").
    var expression: @Sendable (_ qualifier: String) -> String
  }

  var columns: [Column]

  /// Plain or table-qualified columns (`sku`, `l.sku`), read by their name after the dot.
  init(_ sources: [String]) {
    columns = sources.map { source in
      if let dot = source.lastIndex(of: ".") {
        return Column(name: String(source[source.index(after: dot)...]), expression: { _ in source })
      }
      return Column(name: source, expression: { $0 + source })
    }
  }

  init(columns: [Column]) {
    self.columns = columns
  }

  /// This set and `computed` columns after it.
  func adding(_ computed: Column...) -> ColumnSet {
    ColumnSet(columns: columns + computed)
  }

  /// The SELECT list: every column qualified by `table` (when given), named `prefix + name`.
  func select(from table: String = "", prefix: String = "") -> String {
    let qualifier = table.isEmpty ? "" : table + "."
    return columns.map { column in
      let expression = column.expression(qualifier)
      let plain = expression == qualifier + column.name || expression.hasSuffix("." + column.name)
      return plain && prefix.isEmpty ? expression : "\(expression) AS \(prefix)\(column.name)"
    }.joined(separator: ", ")
  }

  /// The same names as plain columns, e.g. to read them back from a CTE that selected this set.
  var unqualified: ColumnSet { ColumnSet(columns.map(\.name)) }

  /// The SELECT list without qualifier or prefix.
  var list: String { select() }
}
