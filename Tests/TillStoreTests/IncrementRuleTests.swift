import Testing
import TillCore

@testable import TillStore

/// One increment decision: the facts an engine read, the request, and what the rule must answer.
struct IncrementCase: Sendable, CustomTestStringConvertible {
  var name: String
  var facts: IncrementFacts
  var increment = IncrementRequest(sku: "BAK-001", delta: 1, opId: "op-1")
  var expected: Result<IncrementDecision, StoreError>

  var testDescription: String { name }

  /// An open cart of 3 lines holding 2 × BAK-001, the op not seen before, the product known.
  static func facts(
    status: Cart.Status = .open, applied: IncrementFacts.AppliedOperation? = nil, productExists: Bool = true,
    current: Int = 2, lines: Int = 3
  ) -> IncrementFacts {
    IncrementFacts(
      cartStatus: status, applied: applied, productExists: productExists, currentQuantity: current,
      lineCount: lines)
  }

  static let same = IncrementFacts.AppliedOperation(sku: "BAK-001", delta: 1)

  static let all: [IncrementCase] = [
    IncrementCase(name: "adds to a line", facts: facts(), expected: .success(.apply(quantity: 3))),
    IncrementCase(
      name: "new line", facts: facts(current: 0), expected: .success(.apply(quantity: 1))),
    IncrementCase(
      name: "removes down to zero, never below", facts: facts(),
      increment: IncrementRequest(sku: "BAK-001", delta: -5, opId: "op-1"),
      expected: .success(.apply(quantity: 0))),
    IncrementCase(
      name: "decrement of an absent line at the line limit",
      facts: facts(current: 0, lines: Limits.maxCartLines),
      increment: IncrementRequest(sku: "BAK-001", delta: -1, opId: "op-1"),
      expected: .success(.apply(quantity: 0))),
    IncrementCase(
      name: "same op again is a replay", facts: facts(applied: same), expected: .success(.replay)),
    IncrementCase(
      name: "replay wins over a closed cart", facts: facts(status: .checkedOut, applied: same),
      expected: .success(.replay)),
    IncrementCase(
      name: "op reused with another delta", facts: facts(applied: .init(sku: "BAK-001", delta: 2)),
      expected: .failure(.operationReused(opId: "op-1"))),
    IncrementCase(
      name: "op reused with another sku, even when closed",
      facts: facts(status: .checkedOut, applied: .init(sku: "BAK-002", delta: 1)),
      expected: .failure(.operationReused(opId: "op-1"))),
    IncrementCase(
      name: "closed cart", facts: facts(status: .checkedOut), expected: .failure(.cartClosed)),
    IncrementCase(
      name: "closed cart before unknown product", facts: facts(status: .checkedOut, productExists: false),
      expected: .failure(.cartClosed)),
    IncrementCase(
      name: "unknown product", facts: facts(productExists: false, current: 0),
      expected: .failure(.notFound(what: "product"))),
    IncrementCase(
      name: "reaches the quantity limit", facts: facts(current: Limits.maxLineQuantity - 1),
      expected: .success(.apply(quantity: Limits.maxLineQuantity))),
    IncrementCase(
      name: "passes the quantity limit", facts: facts(current: Limits.maxLineQuantity),
      expected: .failure(.quantityLimit(sku: "BAK-001", limit: Limits.maxLineQuantity))),
    IncrementCase(
      name: "quantity limit before line limit", facts: facts(current: 0, lines: Limits.maxCartLines),
      increment: IncrementRequest(sku: "BAK-001", delta: Limits.maxLineQuantity + 1, opId: "op-1"),
      expected: .failure(.quantityLimit(sku: "BAK-001", limit: Limits.maxLineQuantity))),
    IncrementCase(
      name: "new line past the line limit", facts: facts(current: 0, lines: Limits.maxCartLines),
      expected: .failure(.cartLineLimit(limit: Limits.maxCartLines))),
    IncrementCase(
      name: "last line that fits", facts: facts(current: 0, lines: Limits.maxCartLines - 1),
      expected: .success(.apply(quantity: 1))),
    IncrementCase(
      name: "existing line at the line limit", facts: facts(lines: Limits.maxCartLines),
      expected: .success(.apply(quantity: 3))),
    IncrementCase(
      name: "absurd positive delta does not trap", facts: facts(),
      increment: IncrementRequest(sku: "BAK-001", delta: Int.max, opId: "op-1"),
      expected: .failure(.quantityLimit(sku: "BAK-001", limit: Limits.maxLineQuantity))),
    IncrementCase(
      name: "absurd negative delta removes", facts: facts(),
      increment: IncrementRequest(sku: "BAK-001", delta: Int.min, opId: "op-1"),
      expected: .success(.apply(quantity: 0))),
  ]
}

@Suite("Increment rule: facts in, decision or refusal out")
struct IncrementRuleTests {
  @Test(arguments: IncrementCase.all)
  func decides(_ row: IncrementCase) {
    #expect(
      decision { () throws(StoreError) in try IncrementRule.decide(row.increment, facts: row.facts) }
        == row.expected)
  }

  @Test(arguments: [
    (2, 3, 5), (2, -2, 0), (2, -3, 0), (0, -1, 0), (Int.max, 1, Int.max), (Int.max - 1, 1, Int.max),
    (5, Int.min, 0), (0, Int.max, Int.max),
  ])
  func quantityIsClampedWithoutTrapping(current: Int, delta: Int, expected: Int) {
    #expect(IncrementRule.quantity(current, adding: delta) == expected)
  }
}
