import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillTestSupport

/// Problem answers of the real server become typed errors with readable messages.
@Suite("TillClient errors")
struct ClientErrorTests {
  @Test("unknown product, cart and order are notFound; another till's cart too")
  func notFound() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let product = await #expect(throws: TillClientError.self) { _ = try await client.product(sku: "NOPE") }
      #expect(product == .notFound)
      let cart = await #expect(throws: TillClientError.self) { _ = try await client.cart(id: "no-such-cart") }
      #expect(cart == .notFound)
      let order = await #expect(throws: TillClientError.self) {
        _ = try await client.order(id: "no-such-order")
      }
      #expect(order == .notFound)

      let mine = try await client.createCart()
      let other = try await ClientFixtures.cashier(harness, token: ServerHarness.otherStaffToken)
      let foreign = await #expect(throws: TillClientError.self) { _ = try await other.cart(id: mine.id) }
      #expect(foreign == .notFound)
      #expect(foreign?.message.isEmpty == false)
    }
  }

  @Test("a bad token is unauthorized, and health still answers")
  func unauthorized() async throws {
    try await withClientServer { harness in
      let client = ClientFixtures.client(harness, token: "wrong-token")
      let error = await #expect(throws: TillClientError.self) { _ = try await client.categories() }
      #expect(error == .unauthorized)
      let message = error?.message ?? ""
      #expect(message.contains("token"))
      let health = try await client.health()
      #expect(health.status == "ok")
    }
  }

  @Test("checkout beyond stock: insufficientStock lists every short line; nothing changes")
  func insufficientStock() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let cart = try await client.createCart()
      _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 11)
      _ = try await client.increment(cartId: cart.id, sku: "CL-2", delta: 5)
      _ = try await client.increment(cartId: cart.id, sku: "CL-3", delta: 1)
      let error = await #expect(throws: TillClientError.self) {
        _ = try await client.placeOrder(cartId: cart.id)
      }
      let expected = [
        Shortage(sku: "CL-1", requested: 11, available: 10),
        Shortage(sku: "CL-2", requested: 5, available: 3),
      ]
      guard case .insufficientStock(let shortages) = error else {
        Issue.record("expected insufficientStock, got \(String(describing: error))")
        return
      }
      #expect(shortages.sorted { $0.sku < $1.sku } == expected)
      let message = error?.message ?? ""
      #expect(message.contains("CL-2 (wanted 5, 3 left)"))
      #expect(try await client.product(sku: "CL-3").stock == 50)
      #expect(try await client.orders().items.isEmpty)
      #expect(try await client.cart(id: cart.id).status == .open)
    }
  }

  @Test("invalid input is invalid(problem) naming the field; a closed cart is a conflict")
  func invalidAndConflict() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      let cart = try await client.createCart()
      let zero = await #expect(throws: TillClientError.self) {
        _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 0)
      }
      guard case .invalid(let problem) = zero else {
        Issue.record("expected invalid, got \(String(describing: zero))")
        return
      }
      #expect(problem.field == "delta")
      let badOp = await #expect(throws: TillClientError.self) {
        _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 1, opId: "has space")
      }
      #expect(badOp?.problem?.field == "opId")

      _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 1)
      _ = try await client.placeOrder(cartId: cart.id)
      let closed = await #expect(throws: TillClientError.self) {
        _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 1)
      }
      guard case .conflict(let conflict) = closed else {
        Issue.record("expected conflict, got \(String(describing: closed))")
        return
      }
      #expect(conflict.kind == .cartClosed)
      #expect(closed?.message == conflict.detail)
    }
  }

  @Test("a back end that is down: transport(connectionRefused) fast, after bounded retries")
  func backendDown() async throws {
    let harness = try await ServerHarness.start(products: ClientFixtures.products)
    let baseURL = harness.baseURL
    await harness.stop()
    let client = TillClient(
      baseURL: baseURL, token: ServerHarness.staffToken, configuration: ClientFixtures.configuration)
    let clock = ContinuousClock()
    let start = clock.now
    let error = await #expect(throws: TillClientError.self) { _ = try await client.products() }
    #expect(error == .transport(.connectionRefused))
    #expect(error?.isTransport == true)
    #expect(client.retryCount == 2)
    // Three refused connects and two short pauses: far below one connect timeout.
    #expect(clock.now - start < ClientFixtures.configuration.connectTimeout)
    // createCart is never retried: a repeat could open a second cart.
    _ = await #expect(throws: TillClientError.self) { _ = try await client.createCart() }
    #expect(client.retryCount == 2)
  }
}
