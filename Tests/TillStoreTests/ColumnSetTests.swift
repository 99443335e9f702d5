import Testing

@testable import TillStore

@Suite("Column sets: one list for the SELECT and the decoder")
struct ColumnSetTests {
  static let computed = ColumnSet(["id", "status"]).adding(
    .init(name: "created_at", expression: { "to_char(\($0)created_at)" }))

  @Test(arguments: [
    (ColumnSet(["id", "status"]), "", "", "id, status"),
    (ColumnSet(["id", "status"]), "o", "", "o.id, o.status"),
    (ColumnSet(["id", "status"]), "pay", "payment_", "pay.id AS payment_id, pay.status AS payment_status"),
    (ColumnSet(["l.sku", "p.name"]), "", "", "l.sku, p.name"),
    (ColumnSet(["l.sku", "p.name"]), "ignored", "line_", "l.sku AS line_sku, p.name AS line_name"),
    (ColumnSet(["l.sku", "p.name"]).unqualified, "lines", "", "lines.sku, lines.name"),
    (computed, "", "", "id, status, to_char(created_at) AS created_at"),
    (
      computed, "o", "order_",
      "o.id AS order_id, o.status AS order_status, to_char(o.created_at) AS order_created_at"
    ),
  ])
  func selectList(columns: ColumnSet, table: String, prefix: String, expected: String) {
    #expect(columns.select(from: table, prefix: prefix) == expected)
  }
}
