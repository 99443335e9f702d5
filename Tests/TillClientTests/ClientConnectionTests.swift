import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillTestSupport

/// Connection reuse, lost answers and concurrency, with a loopback proxy counting TCP connections.
@Suite("TillClient connections")
struct ClientConnectionTests {
  @Test("a till's sequential requests share one TCP connection")
  func reuse() async throws {
    try await withClientServer { harness in
      let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
      defer { proxy.stop() }
      let client = try await ClientFixtures.cashier(harness, baseURL: proxy.baseURL)
      // The sign-in is sent once, on a connection of its own (as is the new cart).
      #expect(proxy.acceptedConnections == 1)
      let cart = try await client.createCart()
      for _ in 0..<40 {
        _ = try await client.increment(cartId: cart.id, sku: "CL-4", delta: 1)
      }
      _ = try await client.products()
      _ = try await client.placeOrder(cartId: cart.id)
      #expect(proxy.acceptedConnections == 2, "the sign-in's, and the new cart's kept for everything else")
      #expect(client.connectionCount == 1)
      #expect(client.retryCount == 0)
    }
  }

  @Test("an increment whose answer is lost is retried with the same opId and applied once")
  func lostIncrementAnswer() async throws {
    try await withClientServer { harness in
      let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
      defer { proxy.stop() }
      let direct = try await ClientFixtures.cashier(harness)
      let cart = try await direct.createCart()

      let client = try await ClientFixtures.cashier(harness, baseURL: proxy.baseURL, freshConnections: true)
      proxy.dropNextResponses(1)
      let answer = try await client.increment(cartId: cart.id, sku: "CL-3", delta: 5)
      #expect(proxy.droppedResponses == 1)
      #expect(client.retryCount == 1)
      #expect(answer.lines.first?.quantity == 5)
      #expect(try await direct.cart(id: cart.id).lines.first?.quantity == 5)
    }
  }

  @Test("an order whose answer is lost is retried with the same key: one order, stock taken once")
  func lostOrderAnswer() async throws {
    try await withClientServer { harness in
      let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
      defer { proxy.stop() }
      let direct = try await ClientFixtures.cashier(harness)
      let cart = try await direct.createCart()
      _ = try await direct.increment(cartId: cart.id, sku: "CL-1", delta: 4)

      let client = try await ClientFixtures.cashier(harness, baseURL: proxy.baseURL, freshConnections: true)
      proxy.dropNextResponses(1)
      let order = try await client.placeOrder(cartId: cart.id)
      #expect(proxy.droppedResponses == 1)
      #expect(client.retryCount == 1)
      #expect(order.lines.map(\.quantity) == [4])
      let orders = try await ClientFixtures.allOrders(direct)
      #expect(orders.map(\.id) == [order.id])
      #expect(try await direct.product(sku: "CL-1").stock == 6)
    }
  }

  @Test("a cash payment whose answer is lost is retried: paid once, the payment is the answer")
  func lostPaymentAnswer() async throws {
    try await withClientServer { harness in
      let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
      defer { proxy.stop() }
      let direct = try await ClientFixtures.cashier(harness)
      let cart = try await direct.createCart()
      _ = try await direct.increment(cartId: cart.id, sku: "CL-3", delta: 2)
      let order = try await direct.placeOrder(cartId: cart.id)

      let client = try await ClientFixtures.cashier(harness, baseURL: proxy.baseURL, freshConnections: true)
      proxy.dropNextResponses(1)
      let payment = try await client.pay(
        orderId: order.id, request: .cash(tendered: Money(amount: 500, currency: "EUR")))
      #expect(proxy.droppedResponses == 1)
      #expect(client.retryCount == 1)
      #expect(payment.status == .succeeded)
      let paid = try await direct.order(id: order.id)
      #expect(paid.status == .paid)
      #expect(paid.payment?.id == payment.id)
    }
  }

  @Test("one client shared by many tasks: every increment applied, at most maxConnections used")
  func concurrentIncrements() async throws {
    try await withClientServer { harness in
      let proxy = try LoopbackProxy(upstreamPort: harness.server.port)
      defer { proxy.stop() }
      let client = try await ClientFixtures.cashier(harness, baseURL: proxy.baseURL)
      let cart = try await client.createCart()
      let failures = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<60 {
          group.addTask {
            do {
              _ = try await client.increment(cartId: cart.id, sku: "CL-4", delta: 1)
              return 0
            } catch {
              return 1
            }
          }
        }
        return await group.reduce(0, +)
      }
      #expect(failures == 0)
      #expect(try await client.cart(id: cart.id).lines.first?.quantity == 60)
      // The sign-in's own connection, besides those the increments share.
      #expect(proxy.acceptedConnections <= client.configuration.maxConnections + 1)
      #expect(client.connectionCount <= client.configuration.maxConnections)
    }
  }
}
