import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// `POST /v1/carts/{id}/discounts` over HTTP: line and order discounts priced by the one pricing rule,
/// an opId applied once however many times it arrives at once, the cashier's limit and a manager's
/// approval, and refusals that change nothing.
@Suite("Discounts over HTTP", .serialized)
struct DiscountRouteTests {
  static func percent(_ sku: String?, _ percent: Int, opId: String = "d-" + UUID().uuidString)
    -> DiscountRequest
  {
    DiscountRequest(opId: opId, sku: sku, percent: percent, amount: nil)
  }

  static func amount(_ sku: String?, _ amount: Int, opId: String = "d-" + UUID().uuidString)
    -> DiscountRequest
  {
    DiscountRequest(opId: opId, sku: sku, percent: nil, amount: PaymentFixtures.eur(amount))
  }

  /// The cart's own sums agree: lines to total, line discounts to the discount total, the tax table to
  /// the total.
  static func expectConsistent(_ cart: Cart) {
    #expect(cart.lines.map(\.lineTotal.amount).reduce(0, +) == cart.total.amount)
    #expect(cart.lines.map(\.discount.amount).reduce(0, +) == cart.discountTotal.amount)
    #expect(cart.taxes.map(\.gross.amount).reduce(0, +) == cart.total.amount)
    #expect(cart.taxes.allSatisfy { $0.net.amount + $0.tax.amount == $0.gross.amount })
  }

  @Test(
    "a line and an order discount price the cart; the latest replaces; 0 removes",
    arguments: StoreEngine.allCases)
  func lineAndOrder(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("TEA", 2), ("BUN", 1)])
      #expect(cart.total.amount == 620)
      let lineOff = try await cashier.discount(cart.id, Self.percent("TEA", 10)).decoded(Cart.self)
      let tea = try #require(lineOff.lines.first { $0.sku == "TEA" })
      #expect(tea.discount.amount == 50 && tea.lineTotal.amount == 450 && tea.taxRate == 1900)
      #expect(lineOff.total.amount == 570 && lineOff.discountTotal.amount == 50)
      #expect(lineOff.discounts == [Discount(sku: "TEA", percent: 10, amount: nil, staff: "1001")])
      Self.expectConsistent(lineOff)

      // 57 is exactly 10 % of the 570 the lines come to after their own discounts: within the limit.
      let orderOff = try await cashier.discount(cart.id, Self.amount(nil, 57)).decoded(Cart.self)
      #expect(orderOff.total.amount == 513 && orderOff.discountTotal.amount == 107)
      #expect(orderOff.taxes.map(\.rate) == [700, 1900])
      #expect(orderOff.discounts.count == 2 && orderOff.discounts.last?.sku == nil)
      Self.expectConsistent(orderOff)

      let replaced = try await cashier.discount(cart.id, Self.percent("TEA", 5)).decoded(Cart.self)
      #expect(replaced.lines.first { $0.sku == "TEA" }.map { $0.discount.amount >= 25 } == true)
      #expect(replaced.total.amount == 475 + 120 - 57)
      #expect(replaced.discounts.first == Discount(sku: "TEA", percent: 5, amount: nil, staff: "1001"))
      Self.expectConsistent(replaced)

      let removed = try await cashier.discount(cart.id, Self.percent("TEA", 0)).decoded(Cart.self)
      #expect(removed.discounts.map(\.sku) == [nil])
      #expect(removed.total.amount == 620 - 57)
      #expect(try await cashier.cart(cart.id) == removed)
      let rows = try await VATFixtures.audit(harness, action: .discount)
      #expect(rows.count == 4)
      #expect(rows.allSatisfy { $0.staff == "1001" && $0.terminal == "till-1" && $0.approvedBy == nil })
    }
  }

  @Test("the same opId 20 times at once is applied once", arguments: StoreEngine.allCases)
  func sameOpIdConcurrently(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cart = try await harness.client().cart(with: [("TEA", 4)])
      let request = Self.percent("TEA", 10, opId: "same-op-20")
      let answers = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
        for _ in 0..<20 {
          // One client (one connection) per request, as twenty retries from the till would arrive.
          let client = harness.client()
          group.addTask { try await client.discount(cart.id, request) }
        }
        return try await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
      }
      #expect(answers.count == 20)
      let carts = try answers.map { try $0.decoded(Cart.self) }
      #expect(carts.allSatisfy { $0.total.amount == 900 && $0.discounts.count == 1 })
      let stored = try await harness.client().cart(cart.id)
      #expect(stored.discounts == [Discount(sku: "TEA", percent: 10, amount: nil, staff: "1001")])
      #expect(stored.total.amount == 900)
      #expect(try await VATFixtures.audit(harness, action: .discount).count == 1)
      // A different body under the same opId is another operation: refused, nothing changed.
      let reused = try await harness.client().discount(cart.id, Self.percent("TEA", 5, opId: "same-op-20"))
      #expect(reused.status == 422 && reused.problem?.kind == .operationReused)
      #expect(try await harness.client().cart(cart.id) == stored)
    }
  }

  @Test(
    "past the cashier's limit: approval required, refused, accepted; a manager needs none",
    arguments: StoreEngine.allCases)
  func limitAndApproval(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("TEA", 2), ("BUN", 1)])
      let auditBefore = try await StaffFixtures.audit(harness)

      let required = try await cashier.discount(cart.id, Self.percent("TEA", 15))
      #expect(required.status == 403 && required.problem?.kind == .approvalRequired)
      let orderRequired = try await cashier.discount(cart.id, Self.amount(nil, 100))
      #expect(orderRequired.status == 403 && orderRequired.problem?.kind == .approvalRequired)
      var wrong = Self.percent("TEA", 15)
      wrong.approval = Approval(code: "2001", pin: "9999")
      let refused = try await cashier.discount(cart.id, wrong)
      #expect(refused.status == 403 && refused.problem?.kind == .approvalRefused)
      var byCashier = Self.percent("TEA", 15)
      byCashier.approval = Approval(code: "1002", pin: "2345")
      let cashierApproval = try await cashier.discount(cart.id, byCashier)
      #expect(cashierApproval.status == 403 && cashierApproval.problem?.kind == .approvalRefused)
      #expect(try await cashier.cart(cart.id) == cart)
      let refusedRows = try await StaffFixtures.audit(harness, since: auditBefore)
      #expect(refusedRows.map(\.action) == ["approval-refused", "approval-refused"])
      #expect(refusedRows.allSatisfy { $0.subject == cart.id })

      var approved = Self.percent("TEA", 15)
      approved.approval = Approval(code: "2001", pin: "4321")
      let accepted = try await cashier.discount(cart.id, approved).decoded(Cart.self)
      #expect(
        accepted.discounts == [
          Discount(sku: "TEA", percent: 15, amount: nil, staff: "1001", approvedBy: "2001")
        ])
      #expect(accepted.total.amount == 425 + 120)
      let row = try #require(try await VATFixtures.audit(harness, action: .discount).first)
      #expect(row.staff == "1001" && row.approvedBy == "2001")

      let byManager = try await harness.client(as: .manager).discount(cart.id, Self.percent(nil, 50))
      let managed = try byManager.decoded(Cart.self)
      // Half of 545, rounded half-up, comes off.
      #expect(managed.total.amount == 545 - 273)
      #expect(managed.discounts.last == Discount(sku: nil, percent: 50, amount: nil, staff: "2001"))
      DiscountRouteTests.expectConsistent(managed)
    }
  }

  @Test("a limit of 0 needs approval for any discount; 100 for none", arguments: [0, 100])
  func configuredLimit(limit: Int) async throws {
    try await withVATServer(cashierDiscountLimit: limit) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("CAKE", 1)])
      let answer = try await cashier.discount(cart.id, Self.percent("CAKE", limit == 0 ? 1 : 100))
      if limit == 0 {
        #expect(answer.status == 403 && answer.problem?.kind == .approvalRequired)
        #expect(answer.problem?.detail?.contains("over 0 %") == true)
      } else {
        #expect(try answer.decoded(Cart.self).total.amount == 0)
      }
    }
  }
}
