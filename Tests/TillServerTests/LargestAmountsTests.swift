import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// The largest values the bounds allow, through every money path over real HTTP: the answers are exact,
/// every refusal is a 4xx problem, and the server stays up.
@Suite("Largest allowed amounts over HTTP")
struct LargestAmountsTests {
  static let top = Limits.maxUnitPrice
  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

  /// Eleven products at the largest price with stock for the largest line (MAX-1 for two such lines),
  /// TEN for orders cash can pay, and LOTS just below the stock limit.
  static let products =
    (1...11).map { Fixtures.product("MAX-\($0)", stock: $0 == 1 ? 2 * 9_999 : 9_999, price: top) } + [
      Fixtures.product("TEN", stock: 20, price: top),
      Fixtures.product("LOTS", stock: Limits.maxStock - 5, price: 1),
    ]

  /// Every status the test saw, so it can check that none was a server error.
  final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func record(_ response: HTTPResponse) -> HTTPResponse {
      lock.withLock { seen.append(response.status) }
      return response
    }
    var serverErrors: [Int] { lock.withLock { seen.filter { $0 >= 500 } } }
  }

  @Test(
    "a 9 999 × 10^9 line, the largest tender, card via the sandbox, cancel", arguments: StoreEngine.allCases)
  func largestValuesThroughEveryMoneyPath(engine: StoreEngine) async throws {
    try await withPaymentServer(engine, products: Self.products) { harness, sandbox in
      let staff = harness.client()
      let statuses = Statuses()
      func order(_ lines: [(String, Int)]) async throws -> Order {
        let cart = try await staff.createCart()
        for (sku, quantity) in lines {
          var left = quantity
          while left > 0 {
            let delta = min(left, Limits.maxDelta)
            _ = try statuses.record(try await staff.increment(cart: cart.id, sku: sku, delta: delta))
              .decoded(Cart.self)
            left -= delta
          }
        }
        let read = try await staff.get("/v1/carts/\(cart.id)").decoded(Cart.self)
        #expect(read.total == Self.eur(lines.reduce(0) { $0 + $1.1 } * Self.top))
        return try statuses.record(try await staff.placeOrder(cart: cart.id)).decoded(
          Order.self, expecting: 201)
      }
      func pay(_ id: String, _ request: PaymentRequest) async throws -> HTTPResponse {
        statuses.record(try await staff.pay(id, request))
      }
      let largestTender = Self.eur(Limits.maxTenderAmount)

      // One line of 9 999 units at 10^9: 9 999 000 000 000 minor units, more than any cash tender.
      let line = try await order([("MAX-1", Limits.maxLineQuantity)])
      #expect(line.total == Self.eur(Limits.maxLineTotal) && line.lines.first?.lineTotal == line.total)
      let cash = try await pay(line.id, .cash(tendered: largestTender))
      #expect(cash.status == 422 && cash.problem?.kind == .insufficientTender)
      #expect(cash.problem?.detail?.contains("pay by card") == true, "\(cash.text)")
      let over = try await pay(line.id, .cash(tendered: Self.eur(Limits.maxTenderAmount + 1)))
      #expect(over.status == 422 && over.problem?.field == "tendered.amount")
      let card = try await pay(line.id, .card).decoded(Payment.self, expecting: 201)
      #expect(card.status == .succeeded && card.amount == line.total)
      let charge = try await sandbox.charges().last
      #expect(charge?.amount == AmountObject(value: "99990000000.00", currency: "EUR"))
      #expect(try statuses.record(try await staff.cancel(line.id)).status == 409)

      // The same line again, canceled: its stock comes back.
      let canceled = try await order([("MAX-1", Limits.maxLineQuantity)])
      let back = try statuses.record(try await staff.cancel(canceled.id)).decoded(Order.self)
      #expect(back.status == .canceled && back.total == Self.eur(Limits.maxLineTotal))
      #expect(try await Fixtures.stock(staff)["MAX-1"] == Limits.maxLineQuantity)

      // Totals cash can cover: exactly the largest tender (no change), and 10^9 (the most change).
      let exact = try await order([("TEN", 10)])
      let noChange = try await pay(exact.id, .cash(tendered: largestTender)).decoded(
        Payment.self, expecting: 201)
      #expect(exact.total == largestTender && noChange.change == Self.eur(0))
      let one = try await order([("TEN", 1)])
      let mostChange = try await pay(one.id, .cash(tendered: largestTender)).decoded(
        Payment.self, expecting: 201)
      #expect(mostChange.change == Self.eur(Limits.maxTenderAmount - Self.top))

      // Eleven such lines: 1.1 × 10^14 minor units, more than the card provider takes (12 whole digits).
      let eleven = try await order((1...11).map { ("MAX-\($0)", Limits.maxLineQuantity) })
      #expect(eleven.total == Self.eur(11 * Limits.maxLineTotal))
      let declined = try await pay(eleven.id, .card)
      #expect(declined.status == 402 && declined.problem?.kind == .paymentDeclined, "\(declined.text)")
      #expect(try await pay(eleven.id, .cash(tendered: largestTender)).status == 422)
      let elevenCanceled = try statuses.record(try await staff.cancel(eleven.id)).decoded(Order.self)
      #expect(elevenCanceled.status == .canceled)

      // A restock stops at the stock limit.
      let admin = harness.client(token: ServerHarness.adminToken)
      let path = "/v1/products/LOTS/stock-adjustments"
      let above = statuses.record(
        try await admin.post(path, json: StockAdjustmentRequest(delta: 6, reason: "in")))
      #expect(above.status == 422 && above.problem?.kind == .invalidField && above.problem?.field == "delta")
      let atLimit = try await admin.post(path, json: StockAdjustmentRequest(delta: 5, reason: "in"))
      #expect(try statuses.record(atLimit).decoded(Product.self).stock == Limits.maxStock)

      #expect(statuses.serverErrors.isEmpty)
      #expect(try await staff.get("/v1/health").status == 200)
      let listed = try await Fixtures.orders(staff)
      #expect(listed.count == 5 && listed.contains { $0.total == Self.eur(11 * Limits.maxLineTotal) })
    }
  }
}
