import Testing
import TillCore
import TillStore
import TillTestSupport

/// Order numbers count per till (owner): 1, 2, 3, … with no gap and no duplicate, whatever other tills
/// do, also when one till orders from many carts at once; a refused order takes no number and a
/// replayed one answers the number it was given.
@Suite("Order numbers per till")
struct OrderNumberTests {
  static let plenty = "PLENTY"
  static let scarce = "SCARCE"
  static let products = [
    Fixture.product(Self.plenty, "Plenty", stock: 1_000_000, barcodeBody: "400000000101"),
    Fixture.product(Self.scarce, "Scarce", stock: 0, barcodeBody: "400000000102"),
  ]
  static let outOfStock = StoreError.insufficientStock([Shortage(sku: scarce, requested: 1, available: 0)])

  @Test(arguments: StoreEngine.allCases)
  func eachTillCountsItsOwnOrders(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Self.products) { store in
      let firstCart = try await store.cart(with: [(Self.plenty, 1)])
      let first = try await store.placeOrder(
        cartId: firstCart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "a1")
      let otherCart = try await store.cart(owner: Fixture.otherOwner, with: [(Self.plenty, 1)])
      let other = try await store.placeOrder(
        cartId: otherCart.id, owner: Fixture.otherOwner, staff: Fixture.staff, idempotencyKey: "b1")
      // A refused order (a line out of stock) takes no number.
      let short = try await store.cart(with: [(Self.scarce, 1)])
      await #expect(throws: Self.outOfStock) {
        try await store.placeOrder(
          cartId: short.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "a2")
      }
      let secondCart = try await store.cart(with: [(Self.plenty, 1)])
      let second = try await store.placeOrder(
        cartId: secondCart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "a3")
      // A replay answers the number the order was given, and takes none.
      let replay = try await store.placeOrder(
        cartId: firstCart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "a1")
      let thirdCart = try await store.cart(with: [(Self.plenty, 1)])
      let third = try await store.placeOrder(
        cartId: thirdCart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "a4")

      #expect([first.order.number, second.order.number, third.order.number] == [1, 2, 3])
      #expect(replay.replayed && replay.order.number == 1)
      #expect(other.order.number == 1)
      let page = try await store.orders(owner: Fixture.owner, status: nil, limit: 2, after: nil)
      #expect(page.items.map(\.number) == [3, 2] && page.next == "2")
      let rest = try await store.orders(owner: Fixture.owner, status: nil, limit: 2, after: page.next)
      #expect(rest.items.map(\.number) == [1] && rest.next == nil)
    }
  }

  /// 16 tasks per till, two tills, each task placing several carts; every third attempt is refused for
  /// stock and every placed order is replayed once, all at the same time.
  @Test(arguments: StoreEngine.allCases)
  func concurrentTillsNumberWithoutGapOrDuplicate(engine: StoreEngine) async throws {
    try await withTestStore(engine, products: Self.products) { store in
      try await Self.orderConcurrently(on: [store], owners: [Fixture.owner, Fixture.otherOwner])
    }
  }

  /// Two stores (two back ends' connection pools) on one PostgreSQL database: the counter lives in the
  /// database, so each till's numbers are still 1…N with orders arriving through both.
  @Test func twoStoresOnOnePostgresDatabase() async throws {
    try await withTwoPostgresStores(products: Self.products) { first, second in
      try await Self.orderConcurrently(on: [first, second], owners: [Fixture.owner, Fixture.otherOwner])
    }
  }

  static let tasksPerOwner = 16
  static let cartsPerTask = 6

  /// Runs the mixed load on `stores` (task `i` uses store `i % count`) and checks each owner's numbers.
  static func orderConcurrently(on stores: [any Store], owners: [String]) async throws {
    let placed = try await withThrowingTaskGroup(of: [String: [Int]].self) { group in
      for (ownerIndex, owner) in owners.enumerated() {
        for task in 0..<tasksPerOwner {
          let store = stores[(ownerIndex + task) % stores.count]
          group.addTask {
            try await Self.orderMany(on: store, owner: owner, task: task)
          }
        }
      }
      return try await group.reduce(into: [String: [Int]]()) { numbers, task in
        numbers.merge(task) { $0 + $1 }
      }
    }
    for owner in owners {
      let expected = Array(1...(tasksPerOwner * (cartsPerTask - cartsPerTask / 3)))
      #expect(placed[owner, default: []].sorted() == expected, "numbers answered to \(owner)")
      let stored = try await stores[0].allOrders(owner: owner).map(\.number)
      #expect(stored == expected.reversed(), "numbers stored for \(owner)")
    }
  }

  /// One task's carts: the numbers placed (each checked against its replay), refusals counted out.
  static func orderMany(on store: any Store, owner: String, task: Int) async throws -> [String: [Int]] {
    var numbers: [Int] = []
    for index in 0..<cartsPerTask {
      let key = "\(owner)-\(task)-\(index)"
      if index % 3 == 2 {
        let cart = try await store.cart(owner: owner, with: [(plenty, 1), (scarce, 1)])
        let refused = await outcome { () async throws(StoreError) in
          try await store.placeOrder(cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: key)
        }
        #expect(refused.failure == outOfStock)
        continue
      }
      let cart = try await store.cart(owner: owner, with: [(plenty, 1)])
      let order = try await store.placeOrder(
        cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: key)
      let replay = try await store.placeOrder(
        cartId: cart.id, owner: owner, staff: Fixture.staff, idempotencyKey: key)
      #expect(replay.replayed && replay.order.number == order.order.number)
      numbers.append(order.order.number)
    }
    return [owner: numbers]
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}
