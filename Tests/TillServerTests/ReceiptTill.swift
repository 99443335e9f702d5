import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// One simulated till of the receipt-number tests: it places orders and pays or cancels them through
/// any of several back ends on one database. Every request is sent again (same Idempotency-Key, same
/// payment) until a back end answers, switching to the next back end when one does not, as a till
/// behind a load balancer would; so whatever breaks is the servers', not the client giving up.
final class ReceiptTill {
  let clients: [APITestClient]
  let name: String
  /// Where the next request goes first.
  var preferred: Int
  var transportFailures = 0
  /// Any answer outside what the scenario allows, with the request that got it.
  var unexpected: [String] = []
  /// Each order this till saw paid, with the receipt number the API answered for it then.
  var receipts: [String: Int] = [:]
  var placed: [String] = []
  var canceled: [String] = []
  var declines = 0

  init(baseURLs: [String], token: String, name: String, preferred: Int = 0) {
    clients = baseURLs.map { APITestClient(baseURL: $0, token: token) }
    self.name = name
    self.preferred = preferred
  }

  /// How long a request is sent again while no back end answers (a killed one is restarted within it).
  static let patience = Duration.seconds(20)

  func send(_ method: String, _ path: String, json: (some Encodable)?, key: String? = nil) async throws
    -> HTTPResponse
  {
    let body = try json.map { Array(try JSONEncoder().encode($0)) }
    let headers = key.map { [(name: "Idempotency-Key", value: $0)] } ?? []
    let deadline = ContinuousClock.now + Self.patience
    while true {
      do {
        let response = try await clients[preferred % clients.count].send(
          method, path, body: body, headers: headers)
        if response.status == 409, response.problem?.kind == .requestInFlight, ContinuousClock.now < deadline
        {
          try await Task.sleep(for: .milliseconds(30))
          continue
        }
        return response
      } catch let error as HTTPError {
        transportFailures += 1
        preferred += 1
        guard ContinuousClock.now < deadline else { throw error }
        try await Task.sleep(for: .milliseconds(30))
      }
    }
  }

  func note(_ what: String, _ response: HTTPResponse) {
    unexpected.append("\(name) \(what) → \(response.status) \(response.text.prefix(300))")
  }

  /// A cart of one `sku`, ordered; nil (noted) when a back end answered anything but the order.
  func placeOrder(sku: String) async throws -> Order? {
    let created = try await send("POST", "/v1/carts", json: [String: String]())
    guard created.status == 201, let cart = try? created.decoded(Cart.self, expecting: 201) else {
      note("create cart", created)
      return nil
    }
    let increment = IncrementRequest(sku: sku, delta: 1, opId: "op-" + UUID().uuidString)
    let added = try await send("POST", "/v1/carts/\(cart.id)/increments", json: increment)
    guard added.status == 200 else {
      note("increment", added)
      return nil
    }
    let answer = try await send(
      "POST", "/v1/orders", json: PlaceOrderRequest(cartId: cart.id), key: "key-" + UUID().uuidString)
    guard answer.status == 201, let order = try? answer.decoded(Order.self, expecting: 201) else {
      note("place order", answer)
      return nil
    }
    placed.append(order.id)
    return order
  }

  /// Pays in cash until a back end says it is paid, then records the receipt number it answers.
  func payCash(_ order: Order) async throws {
    let request = PaymentRequest.cash(tendered: order.total)
    let answer = try await send("POST", "/v1/orders/\(order.id)/payments", json: request)
    guard answer.status == 201 || answer.status == 200 else { return note("cash payment", answer) }
    try await recordReceipt(order)
  }

  /// Pays by card until the order is paid: a pending attempt (its back end killed, or another request
  /// driving it) is sent again, which drives it to an outcome; a decline is paid in cash instead.
  func payCard(_ order: Order) async throws {
    let deadline = ContinuousClock.now + Self.patience
    while ContinuousClock.now < deadline {
      let answer = try await send("POST", "/v1/orders/\(order.id)/payments", json: PaymentRequest.card)
      if answer.status == 201 || answer.status == 200 { return try await recordReceipt(order) }
      if answer.problem?.kind == .paymentDeclined {
        declines += 1
        return try await payCash(order)
      }
      guard answer.status == 202 || answer.problem?.kind == .paymentPending else {
        return note("card payment", answer)
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    unexpected.append("\(name) card payment of \(order.id) still pending after \(Self.patience)")
  }

  func cancel(_ order: Order) async throws {
    let answer = try await send("POST", "/v1/orders/\(order.id)/cancel", json: String?.none)
    guard answer.status == 200 else { return note("cancel", answer) }
    canceled.append(order.id)
  }

  private func recordReceipt(_ order: Order) async throws {
    let answer = try await send("GET", "/v1/orders/\(order.id)", json: String?.none)
    guard let read = try? answer.decoded(Order.self), read.status == .paid, let number = read.receiptNumber
    else {
      return note("paid order read", answer)
    }
    receipts[order.id] = number
  }
}

/// What the tills did, summed.
struct ReceiptFigures: Sendable {
  var transportFailures = 0
  var unexpected: [String] = []
  var receipts: [String: Int] = [:]
  var placed: Set<String> = []
  var canceled: Set<String> = []
  var declines = 0

  init() {}

  init(_ till: ReceiptTill) {
    transportFailures = till.transportFailures
    unexpected = till.unexpected
    receipts = till.receipts
    placed = Set(till.placed)
    canceled = Set(till.canceled)
    declines = till.declines
  }

  mutating func merge(_ other: ReceiptFigures) {
    transportFailures += other.transportFailures
    unexpected += other.unexpected
    for (order, number) in other.receipts {
      if let known = receipts[order], known != number {
        unexpected.append("order \(order) answered receipt \(known) and later \(number)")
      }
      receipts[order] = number
    }
    placed.formUnion(other.placed)
    canceled.formUnion(other.canceled)
    declines += other.declines
  }
}

/// The receipt-number invariants of one till's orders, read from the database and through the API.
enum ReceiptInvariants {
  /// Every paid order has exactly one succeeded payment and one receipt number and time, the numbers
  /// are exactly 1…N, no other order has either, the till's counter stands at N, and every number the
  /// API answered is the one stored; `orders` are the till's orders as the API lists them.
  static func check(_ probe: DatabaseProbe, orders: [Order], figures: ReceiptFigures) async throws {
    let paid = orders.filter { $0.status == .paid }
    let numbers = paid.compactMap(\.receiptNumber).sorted()
    #expect(!paid.isEmpty)
    #expect(numbers == (0..<paid.count).map { $0 + 1 }, "receipt numbers of paid orders")
    #expect(paid.allSatisfy { $0.paidAt != nil && $0.payment?.status == .succeeded })
    #expect(orders.filter { $0.status != .paid }.allSatisfy { $0.receiptNumber == nil && $0.paidAt == nil })
    let byId = Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0) })
    for (order, number) in figures.receipts {
      #expect(byId[order]?.receiptNumber == number, "order \(order) was answered receipt \(number)")
    }
    #expect(figures.placed.allSatisfy { byId[$0] != nil }, "an acknowledged order is gone")
    #expect(figures.canceled.allSatisfy { byId[$0]?.status == .canceled }, "an acknowledged cancel is gone")

    let mismatched = try await probe.count(
      """
      SELECT CAST(COUNT(*) AS TEXT) FROM orders o
      WHERE (o.status = 'paid') <> (o.receipt_number IS NOT NULL)
        OR (o.status = 'paid') <> (o.paid_at IS NOT NULL)
        OR (o.status = 'paid') <> (
          (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded') = 1)
      """)
    #expect(mismatched == 0, "orders whose receipt number, paid time or payment disagree with their status")
    let counters = try await probe.rows("SELECT owner, CAST(last AS TEXT) FROM receipt_counters")
    #expect(counters.count == 1 && counters.first?.last == String(paid.count), "counters \(counters)")
  }
}
