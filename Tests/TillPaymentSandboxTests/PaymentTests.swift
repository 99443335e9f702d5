import Foundation
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

@Suite("Payments and idempotence")
struct PaymentTests {
  @Test("a charge succeeds, is listed, and can be fetched by id")
  func chargeSucceedsAndIsListed() async throws {
    try await withSandbox { (sandbox) async throws in
      let response = try await pay(sandbox, key: "order-1-payment-1")
      let payment = try response.decoded(PaymentObject.self)
      #expect(response.header("Content-Type") == "application/json")
      #expect(payment.status == "succeeded")
      #expect(payment.paid)
      #expect(payment.amount == AmountObject(value: "12.50", currency: "EUR"))
      #expect(payment.metadata == ["orderId": "order-1"])
      #expect(payment.cancellationDetails == nil)
      #expect(payment.createdAt.hasSuffix("Z"))

      #expect(try await sandbox.payments() == [payment])
      let fetched = try await sandbox.send("GET", "/v3/payments/\(payment.id)").decoded(PaymentObject.self)
      #expect(fetched == payment)
      let unknown = try await sandbox.send("GET", "/v3/payments/\(UUID().uuidString.lowercased())")
      #expect(try unknown.error(expecting: 404).code == "not_found")
    }
  }

  @Test("amounts are normalised to the currency's minor digits")
  func amountIsNormalised() async throws {
    try await withSandbox { (sandbox) async throws in
      let euros = try await pay(sandbox, key: "k-eur", body: SandboxHarness.paymentBody(value: "7.5"))
      #expect(try euros.decoded(PaymentObject.self).amount.value == "7.50")
      let yen = try await pay(
        sandbox, key: "k-jpy", body: SandboxHarness.paymentBody(value: "1200", currency: "JPY"))
      #expect(try yen.decoded(PaymentObject.self).amount == AmountObject(value: "1200", currency: "JPY"))
      let dinars = try await pay(
        sandbox, key: "k-kwd", body: SandboxHarness.paymentBody(value: "0.5", currency: "KWD"))
      #expect(try dinars.decoded(PaymentObject.self).amount.value == "0.500")
    }
  }

  @Test("the same key with the same body answers the first payment and charges once")
  func sameKeySameBodyReplays() async throws {
    try await withSandbox { (sandbox) async throws in
      let first = try await pay(sandbox, key: "order-2-payment-1").decoded(PaymentObject.self)
      let second = try await pay(sandbox, key: "order-2-payment-1").decoded(PaymentObject.self)
      // "12.5" is the same amount as "12.50": the same body, not a new one.
      let third = try await pay(
        sandbox, key: "order-2-payment-1", body: SandboxHarness.paymentBody(value: "12.5")
      )
      .decoded(PaymentObject.self)
      #expect(second == first)
      #expect(third == first)
      #expect(try await sandbox.payments().map(\.id) == [first.id])
    }
  }

  @Test("the same key with another body is 400 'Idempotence key duplicated' and charges nothing")
  func sameKeyOtherBodyIsRefused() async throws {
    try await withSandbox { (sandbox) async throws in
      let first = try await pay(sandbox, key: "order-3-payment-1").decoded(PaymentObject.self)
      for body in [
        SandboxHarness.paymentBody(value: "12.51"), SandboxHarness.paymentBody(currency: "USD"),
        SandboxHarness.paymentBody(orderId: "order-4"), SandboxHarness.paymentBody(description: "other"),
      ] {
        let error = try await pay(sandbox, key: "order-3-payment-1", body: body).error(expecting: 400)
        #expect(
          error
            == ErrorBody(
              type: "error", code: "invalid_request", description: "Idempotence key duplicated",
              parameter: "Idempotence-Key"))
      }
      #expect(try await sandbox.payments().map(\.id) == [first.id])
    }
  }

  @Test("30 concurrent requests with one key, each on its own connection, make exactly one charge")
  func concurrentSameKeyChargesOnce() async throws {
    try await withSandbox { (sandbox) async throws in
      let requests = 30
      let ids = try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<requests {
          group.addTask {
            try await pay(sandbox, key: "order-5-payment-1").decoded(PaymentObject.self).id
          }
        }
        return try await group.reduce(into: [String]()) { $0.append($1) }
      }
      #expect(ids.count == requests)
      #expect(Set(ids).count == 1)
      let payments = try await sandbox.payments()
      #expect(payments.count == 1)
      #expect(payments.first?.id == ids.first)
    }
  }

  @Test("concurrent requests with one key and two bodies: one charge, the losing body is refused")
  func concurrentConflictingBodies() async throws {
    try await withSandbox { (sandbox) async throws in
      let bodies = [SandboxHarness.paymentBody(value: "10.00"), SandboxHarness.paymentBody(value: "20.00")]
      let answers = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
        for index in 0..<20 {
          group.addTask { (index % 2, try await pay(sandbox, key: "shared-key", body: bodies[index % 2])) }
        }
        return try await group.reduce(into: [(Int, HTTPResponse)]()) { $0.append($1) }
      }
      let payments = try await sandbox.payments()
      try #require(payments.count == 1)
      let winner = payments[0].amount.value == "10.00" ? 0 : 1
      for (variant, response) in answers {
        if variant == winner {
          #expect(try response.decoded(PaymentObject.self).id == payments[0].id)
        } else {
          #expect(try response.error(expecting: 400).description == "Idempotence key duplicated")
        }
      }
    }
  }

  @Test("30 concurrent requests with distinct keys make exactly 30 charges")
  func concurrentDistinctKeysChargeEach() async throws {
    try await withSandbox { (sandbox) async throws in
      let requests = 30
      let ids = try await withThrowingTaskGroup(of: String.self) { group in
        for index in 0..<requests {
          group.addTask {
            try await pay(sandbox, key: "order-\(index)-payment-1").decoded(PaymentObject.self).id
          }
        }
        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
      }
      #expect(ids.count == requests)
      #expect(Set(try await sandbox.payments().map(\.id)) == ids)
    }
  }
}
