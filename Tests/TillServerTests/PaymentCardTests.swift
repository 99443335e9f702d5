import Foundation
import Testing
import TillCore
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// Card payments through the real sandbox provider: exactly one charge per order, whatever the network
/// and the cashier do.
@Suite("Card payments against the sandbox provider")
struct PaymentCardTests {
  @Test(
    "Double pay: 50 concurrent card payments for one order → one charge, every answer the same payment",
    arguments: StoreEngine.allCases)
  func doublePay(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let order = try await harness.client().placedOrder()
      // Each provider call would be held 200 ms after charging (50 uses armed), so the requests pile up
      // on one attempt; the uses left afterwards count the provider calls.
      try await sandbox.arm(Fault(mode: .delayAfterCharge, count: 50, delayMs: 200))
      let clients = (0..<50).map { _ in harness.client() }
      let answers = try await withThrowingTaskGroup(of: (Int, Payment?).self) { group in
        for client in clients {
          group.addTask {
            let response = try await client.pay(order.id, .card)
            return (response.status, try? JSONDecoder().decode(Payment.self, from: Data(response.body)))
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(answers.count == 50)
      #expect(answers.allSatisfy { $0.0 == 201 || $0.0 == 200 })
      let ids = Set(answers.compactMap { $0.1?.id })
      #expect(ids.count == 1)
      #expect(answers.allSatisfy { $0.1?.status == .succeeded && $0.1?.attempt == 1 })
      let charges = try await sandbox.payments()
      #expect(charges.count == 1)
      #expect(charges.first?.status == "succeeded")
      #expect(charges.first?.amount == AmountObject(value: "4.40", currency: "EUR"))
      #expect(charges.first?.metadata["orderId"] == order.id)
      let paid = try await harness.client().order(order.id)
      #expect(paid.status == .paid)
      #expect(paid.payment?.id == ids.first)
      let faults = try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self)
      #expect(faults.items.map(\.count) == [49], "one provider call for 50 requests")
      try await sandbox.clearFaults()
      // A further request answers the same payment again, charging nothing.
      let again = try await harness.client().pay(order.id, .card).decoded(Payment.self, expecting: 200)
      #expect(again.id == ids.first)
      #expect(try await sandbox.payments().count == 1)
    }
  }

  @Test(
    "Lost response: the sandbox charges and drops the connection → retried with the same key, one charge",
    arguments: StoreEngine.allCases)
  func lostResponse(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      let payment = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      #expect(payment.status == .succeeded)
      #expect(payment.idempotenceKey == "order-\(order.id)-payment-1")
      #expect(try await sandbox.payments().count == 1)
      #expect(try await client.order(order.id).status == .paid)
    }
  }

  @Test("Processing: 202 twice, then success → one charge, succeeded", arguments: StoreEngine.allCases)
  func processingThenSuccess(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      try await sandbox.arm(Fault(mode: .processing, count: 2, delayMs: 30))
      let payment = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      #expect(payment.status == .succeeded && payment.attempt == 1)
      #expect(try await sandbox.payments().count == 1)
      // Both processing answers were consumed: the faults queue is empty again.
      let faults = try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self)
      #expect(faults.items.isEmpty)
      #expect(try await client.order(order.id).status == .paid)
    }
  }

  @Test(
    "Error before charge (500) is retried with the same key → one charge", arguments: StoreEngine.allCases)
  func serverErrorThenSuccess(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      try await sandbox.arm(Fault(mode: .errorBeforeCharge, count: 2))
      let payment = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      #expect(payment.status == .succeeded)
      #expect(try await sandbox.payments().count == 1)
    }
  }

  @Test(
    "Decline then cash: the order stays payable; cash succeeds with change", arguments: StoreEngine.allCases)
  func declineThenCash(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      try await sandbox.arm(Fault(mode: .decline, reason: "card_expired"))
      let response = try await client.pay(order.id, .card)
      #expect(response.status == 402)
      let problem = try #require(response.problem)
      #expect(problem.kind == .paymentDeclined)
      #expect(problem.detail == "card_expired")
      #expect(problem.payment?.status == .declined && problem.payment?.declineReason == "card_expired")
      let declined = try await client.order(order.id)
      #expect(declined.status == .placed)
      #expect(declined.payment?.status == .declined)

      let cash = try await client.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000)))
        .decoded(Payment.self, expecting: 201)
      #expect(cash.method == .cash && cash.status == .succeeded)
      #expect(cash.amount == PaymentFixtures.total)
      #expect(cash.tendered == PaymentFixtures.eur(1000) && cash.change == PaymentFixtures.eur(560))
      #expect(cash.attempt == 2 && cash.idempotenceKey == nil)
      let paid = try await client.order(order.id)
      #expect(paid.status == .paid && paid.payment == cash)
      // The declined attempt moved no money.
      #expect(try await sandbox.charges().isEmpty)
      // Cash again on the paid order answers the same payment (200), nothing new.
      let again = try await client.pay(order.id, .cash(tendered: PaymentFixtures.eur(5000)))
        .decoded(Payment.self, expecting: 200)
      #expect(again == cash)
    }
  }

  @Test(
    "A second card attempt after a decline uses attempt 2 and the key ...-payment-2",
    arguments: StoreEngine.allCases)
  func secondAttemptAfterDecline(engine: StoreEngine) async throws {
    try await withPaymentServer(engine) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      try await sandbox.arm(Fault(mode: .decline))
      let first = try #require(try await client.pay(order.id, .card).problem?.payment)
      #expect(first.attempt == 1 && first.idempotenceKey == "order-\(order.id)-payment-1")
      #expect(first.declineReason == "insufficient_funds")
      let second = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 201)
      #expect(second.attempt == 2 && second.idempotenceKey == "order-\(order.id)-payment-2")
      #expect(second.status == .succeeded && second.id != first.id)
      let ledger = try await sandbox.payments()
      #expect(ledger.map(\.status) == ["canceled", "succeeded"])
      #expect(try await client.order(order.id).payment?.id == second.id)
    }
  }

  @Test(
    "Outcome unknown after the retries → 202 pending; cash and cancel wait; recovery settles it",
    arguments: StoreEngine.allCases)
  func pendingThenRecovered(engine: StoreEngine) async throws {
    try await withPaymentServer(
      engine, retryPolicy: .init(maxCalls: 2, initialBackoff: .milliseconds(10)),
      recoveryInterval: .milliseconds(200)
    ) { harness, sandbox in
      let client = harness.client()
      let order = try await client.placedOrder()
      // Six "processing" answers: two for the request, then two per recovery pass until the third.
      try await sandbox.arm(Fault(mode: .processing, count: 6, delayMs: 10))
      let pending = try await client.pay(order.id, .card).decoded(Payment.self, expecting: 202)
      #expect(pending.status == .pending && pending.attempt == 1)
      let cash = try await client.pay(order.id, .cash(tendered: PaymentFixtures.eur(1000)))
      #expect(cash.status == 409 && cash.problem?.kind == .paymentPending)
      #expect(cash.problem?.payment?.id == pending.id)
      let cancel = try await client.cancel(order.id)
      #expect(cancel.status == 409 && cancel.problem?.kind == .paymentPending)

      // The recovery pass re-sends the same key and records the outcome.
      let current = try await eventuallyValue(
        within: .seconds(10), every: .milliseconds(50), "recovery never settled the pending payment"
      ) {
        let order = try await client.order(order.id)
        return order.status == .paid ? order : nil
      }
      #expect(current?.payment?.id == pending.id && current?.payment?.status == .succeeded)
      #expect(try await sandbox.payments().count == 1)
    }
  }
}
