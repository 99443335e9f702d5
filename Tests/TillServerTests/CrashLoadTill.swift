import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillServer
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The shared seeded generator (SplitMix64, TillTestSupport): a run's kill schedule and each till's
/// choices come from one printed seed (the interleaving of the tills is still the machine's).
typealias SeededGenerator = SplitMix64

extension SplitMix64 {
  /// The seed of this run: `TILL_CRASH_SEED` to replay one, else a fresh random one.
  static func runSeed() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["TILL_CRASH_SEED"], let seed = UInt64(text) {
      return seed
    }
    return UInt64.random(in: 1...UInt64.max)
  }
}

/// A flag the test raises to end the load; the tills finish what they are doing and return.
final class StopFlag: Sendable {
  private let raised = Atomic<Bool>(false)
  var isRaised: Bool { raised.load(ordering: .acquiring) }
  func raise() { raised.store(true, ordering: .releasing) }
}

/// The shop's one manager, who approves one refund at a time as a person typing a PIN does: approvals
/// of one code at once count together toward its lock-out (counted before the PIN is checked), so
/// eight tills asking at once would lock the manager out however right the PIN.
actor ManagerDesk {
  private var busy = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  /// Waits for the manager; the caller has them until `leave`.
  func enter() async {
    guard busy else {
      busy = true
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Hands the manager to the next till waiting, if any.
  func leave() {
    if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
  }
}

/// What the simulated tills did, summed at the end: every HTTP attempt counts as a request sent.
struct CrashLoadFigures: Sendable {
  var requests = 0
  var transportFailures = 0
  var statuses: [Int: Int] = [:]
  var shortages = 0
  var cardAnswers = 0
  var pendingAnswers = 0
  var cashAnswers = 0
  var pendingRefundAnswers = 0
  /// Orders the API acknowledged with 201, and what it acknowledged about them afterwards.
  var placed: Set<String> = []
  var paid: Set<String> = []
  var canceled: Set<String> = []
  /// Refunds the API acknowledged as made (201, or 200 for a resent one).
  var refunds: Set<String> = []
  /// Any answer outside what the scenario allows (5xx included), with the request that got it.
  var unexpected: [String] = []

  mutating func merge(_ other: CrashLoadFigures) {
    requests += other.requests
    transportFailures += other.transportFailures
    statuses.merge(other.statuses, uniquingKeysWith: +)
    shortages += other.shortages
    cardAnswers += other.cardAnswers
    pendingAnswers += other.pendingAnswers
    cashAnswers += other.cashAnswers
    pendingRefundAnswers += other.pendingRefundAnswers
    refunds.formUnion(other.refunds)
    placed.formUnion(other.placed)
    paid.formUnion(other.paid)
    canceled.formUnion(other.canceled)
    unexpected += other.unexpected
  }
}

/// One simulated till selling in a loop against a back end that is killed under it: every request is
/// sent again (same opId, same Idempotency-Key, same payment) until the back end answers, as a real
/// till would, so whatever breaks is the server's, not the client giving up.
final class CrashLoadTill {
  let client: APITestClient
  var random: SeededGenerator
  var figures = CrashLoadFigures()
  let skus: [String]
  let name: String
  let manager: ManagerDesk

  init(baseURL: String, token: String, seed: UInt64, skus: [String], name: String, manager: ManagerDesk) {
    client = APITestClient(baseURL: baseURL, token: token)
    random = SeededGenerator(seed: seed)
    self.skus = skus
    self.name = name
    self.manager = manager
  }

  func run(until stop: StopFlag) async throws -> CrashLoadFigures {
    while !stop.isRaised { try await sellOnce() }
    return figures
  }

  /// Sends until an answer arrives (a killed back end refuses or drops connections until it is
  /// restarted), for at most 20 s; a 409 `request-in-flight` is waited out the same way.
  func send(
    _ method: String, _ path: String, json: (some Encodable)?, headers: [(name: String, value: String)] = []
  ) async throws -> HTTPResponse {
    let body = try json.map { Array(try JSONEncoder().encode($0)) }
    let deadline = ContinuousClock.now + .seconds(20)
    while true {
      figures.requests += 1
      do {
        let response = try await client.send(method, path, body: body, headers: headers)
        figures.statuses[response.status, default: 0] += 1
        if response.status == 409, response.problem?.kind == .requestInFlight, ContinuousClock.now < deadline
        {
          try await Task.sleep(for: .milliseconds(50))
          continue
        }
        return response
      } catch let error as HTTPError {
        figures.transportFailures += 1
        guard ContinuousClock.now < deadline else { throw error }
        try await Task.sleep(for: .milliseconds(40))
      }
    }
  }

  private func note(_ what: String, _ response: HTTPResponse) {
    figures.unexpected.append("\(name) \(what) → \(response.status) \(response.text.prefix(300))")
  }

  /// A cart of 1–3 lines (sometimes one unit taken back), an order, then card, cash or cancel.
  func sellOnce() async throws {
    let created = try await send("POST", "/v1/carts", json: [String: String]())
    guard created.status == 201, let cart = try? created.decoded(Cart.self, expecting: 201) else {
      return note("create cart", created)
    }
    let lineCount = Int.random(in: 1...3, using: &random)
    var chosen: [String] = []
    // What this till added: the order must hold exactly this, however often an increment was resent.
    var intended: [String: Int] = [:]
    for _ in 0..<lineCount {
      let sku = skus[Int.random(in: skus.indices, using: &random)]
      chosen.append(sku)
      let delta = Int.random(in: 1...3, using: &random)
      intended[sku, default: 0] += delta
      let increment = IncrementRequest(sku: sku, delta: delta, opId: "op-" + UUID().uuidString)
      let answer = try await send("POST", "/v1/carts/\(cart.id)/increments", json: increment)
      guard answer.status == 200 else { return note("increment", answer) }
    }
    if Int.random(in: 0..<10, using: &random) == 0 {
      let undo = IncrementRequest(sku: chosen[0], delta: -1, opId: "op-" + UUID().uuidString)
      let answer = try await send("POST", "/v1/carts/\(cart.id)/increments", json: undo)
      guard answer.status == 200 else { return note("decrement", answer) }
      intended[chosen[0]] = max(0, intended[chosen[0], default: 0] - 1)
      if intended[chosen[0]] == 0 { intended[chosen[0]] = nil }
    }
    let key = "key-" + UUID().uuidString
    let placed = try await send(
      "POST", "/v1/orders", json: PlaceOrderRequest(cartId: cart.id),
      headers: [(name: "Idempotency-Key", value: key)])
    if placed.status == 409, placed.problem?.kind == .insufficientStock {
      figures.shortages += 1
      return
    }
    if placed.status == 422, placed.problem?.kind == .emptyCart { return }
    guard placed.status == 201, let order = try? placed.decoded(Order.self, expecting: 201) else {
      return note("place order", placed)
    }
    figures.placed.insert(order.id)
    let lines = Dictionary(order.lines.map { ($0.sku, $0.quantity) }, uniquingKeysWith: +)
    if lines != intended { note("order lines \(lines), added \(intended)", placed) }
    let choice = Int.random(in: 0..<10, using: &random)
    if choice < 4 {
      let answer = try await send("POST", "/v1/orders/\(order.id)/payments", json: PaymentRequest.card)
      let pending = answer.status == 202 || (answer.status == 409 && answer.problem?.kind == .paymentPending)
      if answer.status == 201 || answer.status == 200 {
        figures.cardAnswers += 1
        figures.paid.insert(order.id)
        try await maybeRefund(order, method: .card)
      } else if pending {
        figures.pendingAnswers += 1
      } else {
        note("card payment", answer)
      }
    } else if choice < 8 {
      let tendered = Money(
        amount: order.total.amount + Int.random(in: 0...500, using: &random), currency: order.total.currency)
      let answer = try await send(
        "POST", "/v1/orders/\(order.id)/payments", json: PaymentRequest.cash(tendered: tendered))
      guard answer.status == 201 || answer.status == 200 else { return note("cash payment", answer) }
      figures.cashAnswers += 1
      figures.paid.insert(order.id)
      try await maybeRefund(order, method: .cash)
    } else {
      let answer = try await send("POST", "/v1/orders/\(order.id)/cancel", json: String?.none)
      guard answer.status == 200 else { return note("cancel", answer) }
      figures.canceled.insert(order.id)
    }
  }

  /// Three paid orders in ten get some units of a line back, by the tender they were paid with, back on
  /// the shelf or written off, with the demo manager's approval (one at a time); the one key is resent
  /// until answered.
  private func maybeRefund(_ order: Order, method: Payment.Method) async throws {
    guard Int.random(in: 0..<10, using: &random) < 3, let line = order.lines.first else { return }
    let request = RefundRequest(
      lines: [
        RefundRequest.Line(
          sku: line.sku, quantity: Int.random(in: 1...line.quantity, using: &random),
          restock: Bool.random(using: &random))
      ], method: method, approval: Approval(code: DemoStaff.manager.code, pin: DemoStaff.manager.pin))
    await manager.enter()
    let answer: HTTPResponse
    do {
      answer = try await send(
        "POST", "/v1/orders/\(order.id)/refunds", json: request,
        headers: [(name: "Idempotency-Key", value: "refund-" + UUID().uuidString)])
    } catch {
      await manager.leave()
      throw error
    }
    await manager.leave()
    if answer.status == 201 || answer.status == 200,
      let refund = try? answer.decoded(Refund.self, expecting: answer.status)
    {
      figures.refunds.insert(refund.id)
    } else if answer.status == 202 {
      figures.pendingRefundAnswers += 1
    } else {
      note("\(method) refund", answer)
    }
  }
}
