import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// The sales guarantees (no oversell, no lost update, exactly-once ops and orders, rollback,
/// conservation of stock), each checked with many real clients at once over real HTTP.
@Suite("Concurrency guarantees over HTTP")
struct ConcurrencyTests {
  @Test("Oversell: 50 carts of 1 against stock 5 → exactly 5 orders", arguments: ServedBy.all)
  func oversell(served: ServedBy) async throws {
    try await withServer(served, products: [Fixtures.product("LOW", stock: 5)]) { harness in
      let clients = (0..<50).map { _ in harness.client() }
      var carts: [String] = []
      for client in clients {
        let cart = try await client.createCart()
        _ = try await client.increment(cart: cart.id, sku: "LOW", delta: 1).decoded(Cart.self)
        carts.append(cart.id)
      }
      let statuses = try await withThrowingTaskGroup(of: (Int, Problem?).self) { group in
        for (client, cart) in zip(clients, carts) {
          group.addTask {
            let response = try await client.placeOrder(cart: cart)
            return (response.status, response.problem)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.filter { $0.0 == 201 }.count == 5)
      let refused = statuses.filter { $0.0 == 409 }
      #expect(refused.count == 45)
      #expect(refused.allSatisfy { $0.1?.kind == .insufficientStock })
      #expect(refused.allSatisfy { $0.1?.shortages == [Shortage(sku: "LOW", requested: 1, available: 0)] })
      #expect(try await Fixtures.stock(clients[0])["LOW"] == 0)
      #expect(try await Fixtures.orders(clients[0]).count == 5)
    }
  }

  @Test("Lost update: 500 concurrent +1 from 16 clients → quantity 500", arguments: ServedBy.all)
  func lostUpdate(served: ServedBy) async throws {
    try await withServer(served, products: [Fixtures.product("HOT", stock: 10)]) { harness in
      let clients = (0..<16).map { _ in harness.client() }
      let cart = try await clients[0].createCart()
      let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
        for (index, client) in clients.enumerated() {
          // 500 = 16 × 31 + 4: the first four clients send one more.
          let count = 31 + (index < 4 ? 1 : 0)
          group.addTask {
            var statuses: [Int] = []
            for _ in 0..<count {
              statuses.append(try await client.increment(cart: cart.id, sku: "HOT", delta: 1).status)
            }
            return statuses
          }
        }
        return try await group.reduce(into: []) { $0 += $1 }
      }
      #expect(statuses.count == 500)
      #expect(statuses.allSatisfy { $0 == 200 })
      let final = try await clients[0].get("/v1/carts/\(cart.id)").decoded(Cart.self)
      #expect(final.lines.map(\.quantity) == [500])
    }
  }

  @Test("Exactly once: one opId sent 20 times at once → applied once", arguments: ServedBy.all)
  func exactlyOnce(served: ServedBy) async throws {
    try await withServer(served, products: [Fixtures.product("ONE", stock: 10)]) { harness in
      let clients = (0..<20).map { _ in harness.client() }
      let cart = try await clients[0].createCart()
      let answers = try await withThrowingTaskGroup(of: (Int, Cart?).self) { group in
        for client in clients {
          group.addTask {
            let response = try await client.increment(cart: cart.id, sku: "ONE", delta: 3, opId: "same-op-1")
            return (response.status, try? response.decoded(Cart.self))
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(answers.allSatisfy { $0.0 == 200 })
      #expect(answers.allSatisfy { $0.1?.lines.map(\.quantity) == [3] })
      let final = try await clients[0].get("/v1/carts/\(cart.id)").decoded(Cart.self)
      #expect(final.lines.map(\.quantity) == [3])
    }
  }

  @Test("Order replay: one key sent 10 times at once → one order", arguments: ServedBy.all)
  func orderReplay(served: ServedBy) async throws {
    try await withServer(served, products: [Fixtures.product("REP", stock: 10)]) { harness in
      let clients = (0..<10).map { _ in harness.client() }
      let cart = try await clients[0].createCart()
      _ = try await clients[0].increment(cart: cart.id, sku: "REP", delta: 2).decoded(Cart.self)
      let answers = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
        for client in clients {
          group.addTask { try await client.placeOrder(cart: cart.id, key: "replay-key-1") }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      let placed = answers.filter { $0.status == 201 }
      let inFlight = answers.filter { $0.status == 409 }
      #expect(placed.count + inFlight.count == 10)
      #expect(!placed.isEmpty)
      #expect(inFlight.allSatisfy { $0.problem?.kind == .requestInFlight })
      let orderIDs = Set(try placed.map { try $0.decoded(Order.self, expecting: 201).id })
      #expect(orderIDs.count == 1)
      #expect(placed.filter { $0.header("Idempotent-Replayed") == "true" }.count == placed.count - 1)
      // A later replay answers the same order, marked as replayed.
      let again = try await clients[0].placeOrder(cart: cart.id, key: "replay-key-1")
      #expect(again.status == 201)
      #expect(again.header("Idempotent-Replayed") == "true")
      #expect(orderIDs == [try again.decoded(Order.self, expecting: 201).id])
      #expect(try await Fixtures.orders(clients[0]).count == 1)
      #expect(try await Fixtures.stock(clients[0])["REP"] == 8)
    }
  }

  @Test(
    "Rollback: one short line among several → 409 naming it, nothing changed", arguments: ServedBy.all
  )
  func rollback(served: ServedBy) async throws {
    let products = [
      Fixtures.product("RB-A", stock: 10), Fixtures.product("RB-B", stock: 2),
      Fixtures.product("RB-C", stock: 10),
    ]
    try await withServer(served, products: products) { harness in
      let client = harness.client()
      let cart = try await client.createCart()
      for (sku, quantity) in [("RB-A", 3), ("RB-B", 5), ("RB-C", 4)] {
        _ = try await client.increment(cart: cart.id, sku: sku, delta: quantity).decoded(Cart.self)
      }
      let stockBefore = try await Fixtures.stock(client)
      let cartBefore = try await client.get("/v1/carts/\(cart.id)").decoded(Cart.self)

      let response = try await client.placeOrder(cart: cart.id)
      #expect(response.status == 409)
      #expect(response.header("Content-Type") == Problem.mediaType)
      #expect(response.problem?.kind == .insufficientStock)
      #expect(response.problem?.shortages == [Shortage(sku: "RB-B", requested: 5, available: 2)])

      #expect(try await Fixtures.stock(client) == stockBefore)
      let cartAfter = try await client.get("/v1/carts/\(cart.id)").decoded(Cart.self)
      #expect(cartAfter == cartBefore)
      #expect(cartAfter.status == .open)
      #expect(try await Fixtures.orders(client).isEmpty)
    }
  }

  @Test(
    "Conservation: after a burst of mixed orders, start stock = stock now + units sold",
    arguments: ServedBy.all)
  func conservation(served: ServedBy) async throws {
    let products = (1...6).map { Fixtures.product("CON-\($0)", stock: 4 + $0 * 3) }
    try await withServer(served, products: products) { harness in
      let clients = (0..<12).map { index in
        harness.client(as: index.isMultiple(of: 2) ? .cashier : .otherTerminal)
      }
      let start = try await Fixtures.stock(clients[0])
      // Each client fills a cart with a different mix (some lines more than stock allows) and orders it.
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for (index, client) in clients.enumerated() {
          group.addTask {
            let cart = try await client.createCart()
            for offset in 0..<3 {
              let sku = "CON-\((index + offset * 2) % 6 + 1)"
              _ = try await client.increment(cart: cart.id, sku: sku, delta: 1 + (index + offset) % 4)
                .decoded(Cart.self)
            }
            return try await client.placeOrder(cart: cart.id).status
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 })
      #expect(statuses.contains(201))
      let orders = try await Fixtures.orders(clients[0]) + Fixtures.orders(clients[1])
      #expect(orders.count == statuses.filter { $0 == 201 }.count)
      var sold: [String: Int] = [:]
      for line in orders.flatMap(\.lines) { sold[line.sku, default: 0] += line.quantity }
      let now = try await Fixtures.stock(clients[0])
      for (sku, initial) in start {
        #expect(initial == now[sku, default: -1] + sold[sku, default: 0], "\(sku)")
        #expect(now[sku, default: -1] >= 0)
      }
    }
  }
}
