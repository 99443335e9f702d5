import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// Receipt numbers count per till (owner): 1, 2, 3, … with no gap and no duplicate, taken in the
/// transaction that makes an order paid (cash, or a card settled as succeeded), never by an order that
/// is declined, canceled or left unpaid, and never twice for one order.
@Suite("Receipt numbers per till")
struct ReceiptNumberTests {
  typealias PayingStore = any Store & PaymentStore

  static let sku = "PLENTY"
  static let products = [
    Fixture.product(Self.sku, "Plenty", price: 300, stock: 100_000, barcodeBody: "400000000201")
  ]
  static let cash = Money(amount: 500, currency: "EUR")

  @Test(arguments: StoreEngine.allCases)
  func paidOrdersAreNumberedPerTill(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Self.products) { anyStore in
      let store = try #require(anyStore as? PayingStore)
      let alpha = Fixture.owner
      let cashPaid = try await Self.placedOrder(store, owner: alpha, key: "a1")
      let record = try await Self.payCash(store, cashPaid, owner: alpha)
      #expect(record.created)

      // A declined card attempt takes no number; the next attempt that succeeds does.
      let card = try await Self.placedOrder(store, owner: alpha, key: "a2")
      let declined = try await Self.settle(store, card, owner: alpha, .declined(reason: "insufficient_funds"))
      #expect(declined.status == .declined)
      #expect(try await store.order(id: card.id, owner: alpha).receiptNumber == nil)
      _ = try await Self.settle(store, card, owner: alpha, .succeeded(providerPaymentId: "pp-1"))

      // A canceled order takes none.
      let canceled = try await Self.placedOrder(store, owner: alpha, key: "a3")
      _ = try await store.cancelOrder(id: canceled.id, by: Fixture.actor(owner: alpha), approval: nil)

      // Another till counts its own receipts.
      let bravoOrder = try await Self.placedOrder(store, owner: Fixture.otherOwner, key: "b1")
      _ = try await Self.payCash(store, bravoOrder, owner: Fixture.otherOwner)

      // A replayed cash payment answers the payment made, and takes no second number.
      let replayed = try await Self.placedOrder(store, owner: alpha, key: "a4")
      _ = try await Self.payCash(store, replayed, owner: alpha)
      let replay = try await Self.payCash(store, replayed, owner: alpha)
      #expect(!replay.created)

      // A card settled twice (the live request and recovery) is numbered once.
      let twice = try await Self.placedOrder(store, owner: alpha, key: "a5")
      let attempt = try #require(
        try await store.beginCardPayment(orderId: twice.id, owner: alpha, staff: Fixture.staff).attempt)
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "pp-2"))
      _ = try await store.settleCardPayment(
        id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "pp-2"))

      let unpaid = try await Self.placedOrder(store, owner: alpha, key: "a6")
      let last = try await Self.placedOrder(store, owner: alpha, key: "a7")
      _ = try await Self.payCash(store, last, owner: alpha)

      let expected: [String: Int?] = [
        cashPaid.id: 1, card.id: 2, canceled.id: nil, replayed.id: 3, twice.id: 4, unpaid.id: nil, last.id: 5,
      ]
      let listed = try await store.allOrders(owner: alpha)
      #expect(listed.count == expected.count)
      for order in listed {
        #expect(order.receiptNumber == expected[order.id] ?? nil, "order \(order.number) in the list")
        let single = try await store.order(id: order.id, owner: alpha)
        #expect(single.receiptNumber == order.receiptNumber && single.paidAt == order.paidAt)
        if order.status == .paid {
          let paidAt = try #require(order.paidAt, "order \(order.number) paid without a time")
          #expect(paidAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(paidAt)")
          #expect(paidAt >= order.createdAt)
        } else {
          #expect(order.paidAt == nil, "order \(order.number) is \(order.status.rawValue)")
        }
      }
      let bravo = try await store.allOrders(owner: Fixture.otherOwner)
      #expect(bravo.map(\.receiptNumber) == [1])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func concurrentPayersNumberWithoutGapOrDuplicate(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Self.products) { anyStore in
      let store = try #require(anyStore as? PayingStore)
      try await Self.payConcurrently(on: [store])
    }
  }

  /// Two stores (two back ends' connection pools) on one PostgreSQL database: the counter lives in the
  /// database, so the till's receipts are still 1…N with payments arriving through both.
  @Test func twoStoresOnOnePostgresDatabase() async throws {
    try await withTwoPostgresStores(products: Self.products) { first, second in
      try await Self.payConcurrently(on: [first, second])
    }
  }

  static let payers = 16
  static let ordersPerPayer = 4

  /// `payers` tasks paying orders of one till at once (task `i` on store `i % count`): cash (sent twice),
  /// card, a declined card then cash, or a cancel, each order once. The paid orders' receipt numbers
  /// are exactly 1…N; the others have none.
  static func payConcurrently(on stores: [PayingStore]) async throws {
    let owner = Fixture.owner
    var orders: [[Order]] = []
    for payer in 0..<payers {
      var mine: [Order] = []
      for index in 0..<ordersPerPayer {
        mine.append(try await placedOrder(stores[0], owner: owner, key: "k-\(payer)-\(index)"))
      }
      orders.append(mine)
    }
    // Another till pays at the same time, through the same stores.
    let other = try await placedOrder(stores[0], owner: Fixture.otherOwner, key: "other")
    let toPay = orders
    let paid = try await withThrowingTaskGroup(of: [String].self) { group in
      for payer in 0..<payers {
        let store = stores[payer % stores.count]
        group.addTask {
          var paid: [String] = []
          for (index, order) in toPay[payer].enumerated() {
            if try await payOne(store, order, way: (payer + index) % 4) { paid.append(order.id) }
          }
          return paid
        }
      }
      group.addTask {
        _ = try await payCash(stores[stores.count - 1], other, owner: Fixture.otherOwner)
        return []
      }
      return try await group.reduce(into: Set<String>()) { $0.formUnion($1) }
    }
    let listed = try await stores[0].allOrders(owner: owner)
    #expect(listed.count == payers * ordersPerPayer)
    let numbered = listed.filter { $0.status == .paid }
    #expect(Set(numbered.map(\.id)) == paid)
    #expect(numbered.compactMap(\.receiptNumber).sorted() == Array(1...paid.count), "receipt numbers")
    #expect(listed.filter { $0.status != .paid }.allSatisfy { $0.receiptNumber == nil && $0.paidAt == nil })
    #expect(try await stores[0].allOrders(owner: Fixture.otherOwner).map(\.receiptNumber) == [1])
  }

  /// Pays `order` one way; answers whether it ends paid.
  static func payOne(_ store: PayingStore, _ order: Order, way: Int) async throws -> Bool {
    let owner = Fixture.owner
    switch way {
    case 0:
      async let first = payCash(store, order, owner: owner)
      async let second = payCash(store, order, owner: owner)
      let answers = try await [first, second]
      #expect(answers.filter(\.created).count == 1, "one of two cash payments is made")
    case 1:
      _ = try await settle(store, order, owner: owner, .succeeded(providerPaymentId: "pp-\(order.id)"))
    case 2:
      _ = try await settle(store, order, owner: owner, .declined(reason: "insufficient_funds"))
      _ = try await payCash(store, order, owner: owner)
    default:
      _ = try await store.cancelOrder(id: order.id, by: Fixture.actor(owner: owner), approval: nil)
      return false
    }
    return true
  }

  static func placedOrder(_ store: PayingStore, owner: String, key: String) async throws -> Order {
    let cart = try await store.cart(owner: owner, with: [(sku, 1)])
    return try await store.placeOrder(
      cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: key
    )
    .order
  }

  static func payCash(_ store: PayingStore, _ order: Order, owner: String) async throws -> PaymentRecord {
    try await store.payCash(orderId: order.id, owner: owner, staff: Fixture.staff, tendered: cash)
  }

  /// Starts a new card attempt on `order` and settles it with `outcome`.
  static func settle(_ store: PayingStore, _ order: Order, owner: String, _ outcome: CardOutcome) async throws
    -> Payment
  {
    let start = try await store.beginCardPayment(orderId: order.id, owner: owner, staff: Fixture.staff)
    let attempt = try #require(start.attempt, "order \(order.number) is paid already")
    return try await store.settleCardPayment(id: attempt.payment.id, outcome: outcome)
  }
}
