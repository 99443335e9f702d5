import Testing
import TillCore

@testable import TillStore

/// One discount decision: the facts an engine read under the cart's lock, the request, who asks, and
/// what the rule must answer.
struct DiscountCase: Sendable, CustomTestStringConvertible {
  var name: String
  var request: DiscountRequest
  var actor: StaffActor = DiscountCase.cashier
  var approval: VerifiedApproval?
  var facts: DiscountFacts = DiscountCase.facts()
  var limit = 10
  var expected: Result<DiscountDecision, StoreError>

  var testDescription: String { name }

  static let cashier = Fixture.actor(staff: "1001")
  static let manager = Fixture.actor(staff: "2001", role: .manager)
  static let managerFacts = StaffFacts(enabled: true, role: .manager, pinHash: "hash-2001")
  static let approval = VerifiedApproval(code: "2001", pinHash: "hash-2001")

  /// A open cart: A is 2 × 2.50 (5.00), B is 1 × 1.00; `discounts` already given.
  static func facts(
    status: Cart.Status = .open, applied: String? = nil, discounts: [CartDiscount] = [],
    approver: StaffFacts? = nil
  ) -> DiscountFacts {
    DiscountFacts(
      cartStatus: status, appliedFingerprint: applied,
      lines: [
        CheckoutLine(
          sku: "A", name: "A", quantity: 2, unitPrice: 250, currency: "EUR", stock: 9, taxRate: 700),
        CheckoutLine(
          sku: "B", name: "B", quantity: 1, unitPrice: 100, currency: "EUR", stock: 9, taxRate: 1_900),
      ], discounts: discounts, approver: approver)
  }

  static func percent(_ percent: Int, on sku: String? = "A", opId: String = "op-1") -> DiscountRequest {
    DiscountRequest(opId: opId, sku: sku, percent: percent, amount: nil)
  }

  static func amount(_ amount: Int, on sku: String? = "A") -> DiscountRequest {
    DiscountRequest(opId: "op-1", sku: sku, percent: nil, amount: Money(amount: amount, currency: "EUR"))
  }

  static func given(
    _ sku: String?, percent: Int? = nil, amount: Int? = nil, staff: String = "1001", approvedBy: String? = nil
  ) -> DiscountDecision {
    .set(CartDiscount(sku: sku, percent: percent, amount: amount, staff: staff, approvedBy: approvedBy))
  }

  static let all: [DiscountCase] = [
    DiscountCase(
      name: "the same op again is a replay, even on a closed cart", request: percent(50),
      facts: facts(status: .checkedOut, applied: DiscountRule.fingerprint(percent(50))),
      expected: .success(.replay)),
    DiscountCase(
      name: "the same opId with another value is refused", request: percent(5),
      facts: facts(applied: DiscountRule.fingerprint(percent(50))),
      expected: .failure(.operationReused(opId: "op-1"))),
    DiscountCase(
      name: "the same opId on another line is refused", request: percent(5, on: "B"),
      facts: facts(applied: DiscountRule.fingerprint(percent(5))),
      expected: .failure(.operationReused(opId: "op-1"))),
    DiscountCase(
      name: "a closed cart", request: percent(5), facts: facts(status: .checkedOut),
      expected: .failure(.cartClosed)),
    DiscountCase(
      name: "a SKU the cart has no line of", request: percent(5, on: "Z"),
      expected: .failure(.notFound(what: "cart line"))),
    DiscountCase(
      name: "0 % takes a line's discount away", request: percent(0), expected: .success(.remove(sku: "A"))),
    DiscountCase(
      name: "an amount of 0 takes the order's discount away, even past any limit",
      request: amount(0, on: nil),
      limit: 0, expected: .success(.remove(sku: nil))),
    DiscountCase(
      name: "10 % of a line is within a cashier's limit", request: percent(10),
      expected: .success(given("A", percent: 10))),
    DiscountCase(
      name: "11 % of a line needs an approval", request: percent(11), expected: .failure(.approvalRequired)),
    DiscountCase(
      name: "an amount of exactly 10 % of the line", request: amount(50),
      expected: .success(given("A", amount: 50))),
    DiscountCase(
      name: "one cent more needs an approval", request: amount(51), expected: .failure(.approvalRequired)),
    DiscountCase(
      name: "an amount larger than the line", request: amount(501), actor: manager,
      expected: .failure(
        .invalidField(
          field: "amount", reason: "The discount is larger than what it applies to (500 minor units)."))),
    DiscountCase(
      name: "the whole line, by a manager", request: amount(500), actor: manager,
      expected: .success(given("A", amount: 500, staff: "2001"))),
    DiscountCase(
      name: "a manager needs no approval", request: percent(100), actor: manager,
      expected: .success(given("A", percent: 100, staff: "2001"))),
    DiscountCase(
      name: "past the limit with a manager's approval", request: percent(20), approval: approval,
      facts: facts(approver: managerFacts), expected: .success(given("A", percent: 20, approvedBy: "2001"))),
    DiscountCase(
      name: "an approval within the limit is not recorded", request: percent(5), approval: approval,
      facts: facts(approver: managerFacts), expected: .success(given("A", percent: 5))),
    DiscountCase(
      name: "an approval whose PIN hash changed", request: percent(20),
      approval: VerifiedApproval(code: "2001", pinHash: "hash-2001-old"),
      facts: facts(approver: managerFacts),
      expected: .failure(.approvalRefused)),
    DiscountCase(
      name: "an approval by a disabled manager", request: percent(20), approval: approval,
      facts: facts(approver: StaffFacts(enabled: false, role: .manager, pinHash: "hash-2001")),
      expected: .failure(.approvalRefused)),
    DiscountCase(
      name: "an approval by a cashier", request: percent(20), approval: approval,
      facts: facts(approver: StaffFacts(enabled: true, role: .cashier, pinHash: "hash-2001")),
      expected: .failure(.approvalRefused)),
    DiscountCase(
      name: "an approval naming nobody", request: percent(20), approval: approval,
      expected: .failure(.approvalRefused)),
    DiscountCase(
      name: "an order discount is measured after the line discounts (3.50): 0.35 is 10 %",
      request: amount(35, on: nil),
      facts: facts(discounts: [CartDiscount(sku: "A", percent: 50, staff: "2001")]),
      expected: .success(given(nil, amount: 35))),
    DiscountCase(
      name: "0.36 off 3.50 is past 10 %", request: amount(36, on: nil),
      facts: facts(discounts: [CartDiscount(sku: "A", percent: 50, staff: "2001")]),
      expected: .failure(.approvalRequired)),
    DiscountCase(
      name: "more than the lines after their discounts", request: amount(351, on: nil), actor: manager,
      facts: facts(discounts: [CartDiscount(sku: "A", percent: 50, staff: "2001")]),
      expected: .failure(
        .invalidField(
          field: "amount", reason: "The discount is larger than what it applies to (350 minor units)."))),
    DiscountCase(
      name: "a line discount replacing one is measured on the line's base", request: percent(10),
      facts: facts(discounts: [CartDiscount(sku: "A", percent: 90, staff: "2001")]),
      expected: .success(given("A", percent: 10))),
    DiscountCase(
      name: "a limit of 0 lets a cashier give nothing alone", request: percent(1), limit: 0,
      expected: .failure(.approvalRequired)),
  ]
}

@Suite("Discount rule: cart facts in, discount change or refusal out")
struct DiscountRuleTests {
  @Test(arguments: DiscountCase.all)
  func decides(_ row: DiscountCase) {
    let decided = decision { () throws(StoreError) in
      try DiscountRule.decide(
        row.request, facts: row.facts, actor: row.actor, cashierLimit: row.limit, approval: row.approval)
    }
    #expect(decided == row.expected)
  }

  @Test(
    arguments: [
      (
        DiscountRequest(opId: "o", sku: nil, percent: 5, amount: Money(amount: 5, currency: "EUR")), "percent"
      ),
      (DiscountRequest(opId: "o", sku: nil, percent: nil, amount: nil), "percent"),
      (DiscountRequest(opId: "o", sku: nil, percent: 101, amount: nil), "percent"),
      (DiscountRequest(opId: "o", sku: nil, percent: -1, amount: nil), "percent"),
      (
        DiscountRequest(opId: "o", sku: nil, percent: nil, amount: Money(amount: -1, currency: "EUR")),
        "amount"
      ),
      (
        DiscountRequest(opId: "o", sku: nil, percent: nil, amount: Money(amount: 1, currency: "USD")),
        "amount.currency"
      ),
    ])
  func refusesBadShapes(request: DiscountRequest, field: String) {
    let checked = decision { () throws(StoreError) in try DiscountRule.check(request, currency: "EUR") }
    guard case .failure(.invalidField(let refused, _)) = checked else {
      Issue.record("expected invalid-field, got \(checked)")
      return
    }
    #expect(refused == field)
  }

  @Test func takesEveryWellShapedDiscount() throws {
    for request in [
      DiscountCase.percent(0), DiscountCase.percent(100), DiscountCase.amount(0), DiscountCase.amount(9_999),
    ] {
      try DiscountRule.check(request, currency: "EUR")
    }
  }

  @Test func fingerprintIsTargetAndValueOnly() {
    var withApproval = DiscountCase.percent(10)
    withApproval.approval = Approval(code: "2001", pin: "1234")
    #expect(DiscountRule.fingerprint(withApproval) == DiscountRule.fingerprint(DiscountCase.percent(10)))
    let distinct = [
      DiscountCase.percent(10), DiscountCase.percent(10, on: "B"), DiscountCase.percent(10, on: nil),
      DiscountCase.percent(1), DiscountCase.amount(10), DiscountCase.amount(10, on: nil),
      DiscountRequest(opId: "op-1", sku: "A", percent: nil, amount: Money(amount: 10, currency: "USD")),
      // A SKU that spells another request's fields still differs.
      DiscountRequest(
        opId: "op-1", sku: "A percent 1", percent: nil, amount: Money(amount: 10, currency: "EUR")),
    ].map(DiscountRule.fingerprint)
    #expect(Set(distinct).count == distinct.count)
  }

  @Test(
    arguments: [
      (0, 100, 10, false), (10, 100, 10, false), (11, 100, 10, true), (1, 9, 10, true), (1, 10, 10, false),
      (Int.max / 2, Int.max, 50, false), (Int.max / 2 + 1, Int.max, 50, true), (5, 0, 10, true),
    ])
  func limitIsExact(taken: Int, target: Int, limit: Int, exceeds: Bool) {
    #expect(DiscountRule.exceedsLimit(taken: taken, of: target, limit: limit) == exceeds)
  }
}
