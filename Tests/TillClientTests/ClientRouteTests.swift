import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillTestSupport

/// Every route of the API through `TillClient`, against the real server on loopback.
@Suite("TillClient routes")
struct ClientRouteTests {
  @Test("health, products with search, category and paging, one product, categories")
  func catalogue() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let health = try await client.health()
      #expect(health.status == "ok")

      let first = try await client.products(ProductQuery(limit: 3))
      #expect(first.items.map(\.sku) == ["CL-1", "CL-2", "CL-3"])
      let cursor = try #require(first.next)
      let second = try await client.products(ProductQuery(limit: 3, after: cursor))
      #expect(second.items.map(\.sku) == ["CL-4"])
      #expect(second.next == nil)
      let coffee = try await client.products(ProductQuery(category: "Coffee"))
      #expect(coffee.items.map(\.sku) == ["CL-3", "CL-4"])
      let search = try await client.products(ProductQuery(text: "bc-cl-2"))
      #expect(search.items.map(\.sku) == ["CL-2"])
      // Characters that mean something in a URL travel as data, not syntax.
      let odd = try await client.products(ProductQuery(text: "a&limit=1 #?/"))
      #expect(odd.items.isEmpty)

      #expect(try await client.product(sku: "CL-2") == ClientFixtures.products[1])
      let categories = try await client.categories()
      #expect(Set(categories) == [Category(name: "Bakery", count: 2), Category(name: "Coffee", count: 2)])
    }
  }

  @Test("admin adjusts stock; staff may not")
  func adjustStock() async throws {
    try await withClientServer { harness in
      let admin = ClientFixtures.client(harness, token: ServerHarness.adminToken)
      let restocked = try await admin.adjustStock(sku: "CL-2", delta: 7, reason: "delivery")
      #expect(restocked.stock == 10)
      let staff = try await ClientFixtures.cashier(harness)
      let error = await #expect(throws: TillClientError.self) {
        _ = try await staff.adjustStock(sku: "CL-2", delta: -1, reason: "breakage")
      }
      #expect(error == .forbidden)
      #expect(try await staff.product(sku: "CL-2").stock == 10)
    }
  }

  @Test("cart: create, increments (up, down, to zero), read")
  func cart() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let cart = try await client.createCart()
      #expect(cart.status == .open && cart.lines.isEmpty)
      _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 3)
      _ = try await client.increment(cartId: cart.id, sku: "CL-3", delta: 2)
      let after = try await client.increment(cartId: cart.id, sku: "CL-1", delta: -1)
      #expect(after.lines.map(\.quantity) == [2, 2])
      let removed = try await client.increment(cartId: cart.id, sku: "CL-3", delta: -9)
      #expect(removed.lines.map(\.sku) == ["CL-1"])
      let read = try await client.cart(id: cart.id)
      #expect(read == removed)
      #expect(read.total == Money(amount: 500, currency: "EUR"))
    }
  }

  @Test("the same opId twice is applied once")
  func opIdOnce() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let cart = try await client.createCart()
      let opId = TillClient.makeOperationID()
      #expect(Identifiers.isValidOperationID(opId))
      _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 4, opId: opId)
      let again = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 4, opId: opId)
      #expect(again.lines.first?.quantity == 4)
    }
  }

  @Test("orders: place, replay by key, read, list with status and paging, cancel, pay cash")
  func orders() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      var placed: [Order] = []
      for sku in ["CL-1", "CL-3", "CL-4"] {
        let cart = try await client.createCart()
        _ = try await client.increment(cartId: cart.id, sku: sku, delta: 2)
        placed.append(try await client.placeOrder(cartId: cart.id))
      }
      #expect(placed.map(\.status) == [.placed, .placed, .placed])
      #expect(placed[0].lines.map(\.sku) == ["CL-1"])

      // The same key again answers the same order instead of placing a second one.
      let cart = try await client.createCart()
      _ = try await client.increment(cartId: cart.id, sku: "CL-2", delta: 1)
      let key = TillClient.makeIdempotencyKey()
      let order = try await client.placeOrder(cartId: cart.id, idempotencyKey: key)
      #expect(try await client.placeOrder(cartId: cart.id, idempotencyKey: key) == order)
      #expect(try await client.order(id: order.id) == order)

      let all = try await ClientFixtures.allOrders(client)
      #expect(all.count == 4)
      #expect(all.first?.id == order.id)  // newest first

      let canceled = try await client.cancelOrder(id: placed[0].id)
      #expect(canceled.status == .canceled)
      #expect(try await client.product(sku: "CL-1").stock == 10)

      let payment = try await client.pay(
        orderId: placed[1].id, request: .cash(tendered: Money(amount: 1000, currency: "EUR")))
      #expect(payment.status == .succeeded)
      #expect(payment.change == Money(amount: 1000 - placed[1].total.amount, currency: "EUR"))
      #expect(try await client.order(id: placed[1].id).status == .paid)

      let paid = try await client.orders(status: .paid)
      #expect(paid.items.map(\.id) == [placed[1].id])
      let open = try await client.orders(status: .placed)
      #expect(Set(open.items.map(\.id)) == [placed[2].id, order.id])
    }
  }

  @Test("card payment on a server without a card provider: a readable server error, not retried")
  func cardWithoutProvider() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let cart = try await client.createCart()
      _ = try await client.increment(cartId: cart.id, sku: "CL-3", delta: 1)
      let order = try await client.placeOrder(cartId: cart.id)
      let error = await #expect(throws: TillClientError.self) {
        _ = try await client.pay(orderId: order.id, request: .card)
      }
      #expect(error?.problem?.kind == .cardPaymentsNotConfigured)
      let message = error?.message ?? ""
      #expect(message.contains("cash"))
      #expect(client.retryCount == 0)
    }
  }
}
