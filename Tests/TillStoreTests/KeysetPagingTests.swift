import Testing
import TillCore

@testable import TillStore

@Suite("Keyset paging: limits, the extra row and the cursor")
struct KeysetPagingTests {
  @Test(arguments: [Int.min, -1, 0])
  func noPositiveLimitIsNoPage(limit: Int) {
    #expect(KeysetPaging(limit: limit) == nil)
  }

  @Test(
    arguments: [
      (3, ["a", "b"], ["a", "b"], nil),
      (3, ["a", "b", "c"], ["a", "b", "c"], nil),
      (3, ["a", "b", "c", "d"], ["a", "b", "c"], "c"),
      (1, ["a", "b"], ["a"], "a"),
      (2, [], [], nil),
    ] as [(Int, [String], [String], String?)])
  func pageOfFetchedRows(limit: Int, rows: [String], items: [String], next: String?) throws {
    let paging = try #require(KeysetPaging(limit: limit))
    #expect(paging.fetchLimit == limit + 1)
    #expect(paging.page(rows) { $0.uppercased() } == Page(items: items, next: next?.uppercased()))
  }

  @Test(arguments: [("12", 12), ("0", 0), ("x", nil), ("", nil), ("1.5", nil)] as [(String, Int?)])
  func orderCursor(cursor: String, number: Int?) {
    #expect(KeysetPaging.orderNumber(after: cursor) == number)
  }
}
