import Testing
import TillCore
import TillStore
import TillTestSupport

/// The guarantees under real concurrency: many tasks call the store at once, then invariants are counted.
@Suite("Concurrency: oversell, lost update, exactly-once, replay, conservation")
struct ConcurrencyTests {
  @Test(arguments: StoreEngine.allCases)
  func noOverselling(engine: StoreEngine) async throws {
    let products = Fixture.stocked(1, stock: 5)
    let sku = products[0].sku
    try await withTestStore(engine, products: products) { store in
      var carts: [Cart] = []
      for _ in 0..<50 { carts.append(try await store.cart(with: [(sku, 1)])) }
      let results = await withTaskGroup(of: Result<OrderPlacement, StoreError>.self) { group in
        for (index, cart) in carts.enumerated() {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await store.placeOrder(
                cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "buy-\(index)")
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let placed = results.compactMap { try? $0.get() }
      let refused = results.filter {
        $0 == .failure(.insufficientStock([Shortage(sku: sku, requested: 1, available: 0)]))
      }
      #expect(placed.count == 5)
      #expect(refused.count == 45)
      #expect(try await store.stock(of: sku) == 0)
      let orders = try await store.allOrders()
      #expect(orders.count == 5)
      #expect(Set(orders.map(\.number)) == [1, 2, 3, 4, 5])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func noLostUpdate(engine: StoreEngine) async throws {
    let products = Fixture.stocked(1, stock: 10)
    let sku = products[0].sku
    try await withTestStore(engine, products: products) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      let failures = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<500 {
          group.addTask {
            let result = await outcome { () async throws(StoreError) in
              try await store.applyIncrement(
                IncrementRequest(sku: sku, delta: 1, opId: "plus-\(index)"), cartId: cart.id,
                owner: Fixture.owner)
            }
            return (try? result.get()) == nil
          }
        }
        return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
      }
      #expect(failures == 0)
      let final = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(final.lines.map(\.quantity) == [500])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func oneOperationIdAppliesOnce(engine: StoreEngine) async throws {
    let products = Fixture.stocked(1, stock: 10)
    let sku = products[0].sku
    try await withTestStore(engine, products: products) { store in
      let cart = try await store.createCart(owner: Fixture.owner, staff: Fixture.staff)
      let quantities = await withTaskGroup(of: Int?.self) { group in
        for _ in 0..<20 {
          group.addTask {
            let result = await outcome { () async throws(StoreError) in
              try await store.applyIncrement(
                IncrementRequest(sku: sku, delta: 3, opId: "the-one"), cartId: cart.id, owner: Fixture.owner)
            }
            return try? result.get().lines.first?.quantity
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      #expect(quantities == Array(repeating: 3, count: 20))
      let final = try await store.cart(id: cart.id, owner: Fixture.owner)
      #expect(final.lines.map(\.quantity) == [3])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func oneKeyPlacesOneOrder(engine: StoreEngine) async throws {
    let products = Fixture.stocked(2, stock: 50)
    try await withTestStore(engine, products: products) { store in
      let cart = try await store.cart(with: [(products[0].sku, 2), (products[1].sku, 3)])
      let results = await withTaskGroup(of: Result<OrderPlacement, StoreError>.self) { group in
        for _ in 0..<10 {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await store.placeOrder(
                cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "once")
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let placements = results.compactMap { try? $0.get() }
      #expect(placements.count == 10)
      #expect(Set(placements.map(\.order)).count == 1)
      #expect(placements.filter { !$0.replayed }.count == 1)
      #expect(try await store.allOrders().count == 1)
      #expect(try await store.stock(of: products[0].sku) == 48)
      #expect(try await store.stock(of: products[1].sku) == 47)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func stockIsConservedAfterAMixedBurst(engine: StoreEngine) async throws {
    let products = Fixture.stocked(12, stock: 15)
    try await withTestStore(engine, products: products) { store in
      // 60 carts of 1–4 lines with quantities 1–6, chosen deterministically; many will not fit.
      var carts: [Cart] = []
      for cartIndex in 0..<60 {
        let lineCount = 1 + cartIndex % 4
        let lines = (0..<lineCount).map { line in
          (products[(cartIndex * 5 + line * 7) % products.count].sku, 1 + (cartIndex + line * 3) % 6)
        }
        carts.append(try await store.cart(with: lines))
      }
      let results = await withTaskGroup(of: Result<OrderPlacement, StoreError>.self) { group in
        for (index, cart) in carts.enumerated() {
          group.addTask {
            let result = await outcome { () async throws(StoreError) in
              try await store.placeOrder(
                cartId: cart.id, owner: Fixture.owner, staff: Fixture.staff, idempotencyKey: "mix-\(index)")
            }
            // Interleave reads and no-op writes with the orders, as terminals would.
            _ = try? await store.products(matching: ProductQuery(limit: 20))
            _ = try? await store.adjustStock(sku: cart.lines[0].sku, delta: 0, reason: "count", by: .admin)
            return result
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let placed = results.compactMap { try? $0.get() }
      let short = results.filter {
        if case .failure(.insufficientStock) = $0 { return true } else { return false }
      }
      #expect(placed.count + short.count == 60)
      #expect(placed.count > 0 && short.count > 0)
      let orders = try await store.allOrders()
      #expect(orders.count == placed.count)
      var sold: [String: Int] = [:]
      for line in orders.flatMap(\.lines) { sold[line.sku, default: 0] += line.quantity }
      for product in products {
        let now = try await store.stock(of: product.sku)
        #expect(now >= 0)
        #expect(product.stock == now + sold[product.sku, default: 0], "\(product.sku)")
      }
    }
  }
}
