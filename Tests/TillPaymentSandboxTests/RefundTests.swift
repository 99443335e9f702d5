import Foundation
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

/// `POST /v3/refunds`: never more back than a payment took, once per key, with the payments' faults.
@Suite("Refunds")
struct SandboxRefundTests {
  /// Sends one refund on its own connection.
  static func refund(
    _ sandbox: SandboxHarness, key: String?, paymentId: String, value: String, currency: String = "EUR"
  ) async throws -> HTTPResponse {
    var headers = [(name: "Authorization", value: SandboxHarness.authorization)]
    headers.append((name: "Content-Type", value: "application/json"))
    if let key { headers.append((name: "Idempotence-Key", value: key)) }
    let body =
      #"{"payment_id": "\#(paymentId)", "amount": {"value": "\#(value)", "currency": "\#(currency)"}}"#
    return try await sandbox.connection().send(
      HTTPRequest(method: "POST", path: "/v3/refunds", headers: headers, body: Array(body.utf8)))
  }

  @Test("partial refunds up to the charge, each key once; more than is left is refused and records nothing")
  func partialRefundsNeverExceedTheCharge() async throws {
    try await withSandbox { sandbox in
      let payment = try await pay(sandbox, key: "order-1-payment-1").decoded(PaymentObject.self)
      let first = try await Self.refund(sandbox, key: "r1", paymentId: payment.id, value: "10.00")
        .decoded(RefundObject.self)
      #expect(first.status == "succeeded" && first.paymentId == payment.id)
      #expect(first.amount == AmountObject(value: "10.00", currency: "EUR"))
      let replay = try await Self.refund(sandbox, key: "r1", paymentId: payment.id, value: "10.0")
        .decoded(RefundObject.self)
      #expect(replay == first, "the same key and body answer the first refund")
      let conflict = try await Self.refund(sandbox, key: "r1", paymentId: payment.id, value: "1.00")
      #expect(try conflict.error(expecting: 400).parameter == "Idempotence-Key")
      let over = try await Self.refund(sandbox, key: "r2", paymentId: payment.id, value: "2.51")
      #expect(try over.error(expecting: 400).parameter == "amount.value", "12.50 charged, 10.00 back already")
      let rest = try await Self.refund(sandbox, key: "r3", paymentId: payment.id, value: "2.50")
      #expect(try rest.decoded(RefundObject.self).status == "succeeded")
      #expect(try await sandbox.refunds().map(\.amount.value) == ["10.00", "2.50"])
      let unknown = try await Self.refund(sandbox, key: "r4", paymentId: "nope", value: "1.00")
      #expect(try unknown.error(expecting: 404).parameter == "payment_id")
      let noKey = try await Self.refund(sandbox, key: nil, paymentId: payment.id, value: "1.00")
      #expect(try noKey.error(expecting: 400).parameter == "Idempotence-Key")
    }
  }

  @Test("a declined payment cannot be refunded; a declined refund gives nothing back")
  func declines() async throws {
    try await withSandbox { sandbox in
      try await sandbox.arm(Fault(mode: .decline))
      let declined = try await pay(sandbox, key: "order-2-payment-1").decoded(PaymentObject.self)
      let refused = try await Self.refund(sandbox, key: "x", paymentId: declined.id, value: "1.00")
      #expect(try refused.error(expecting: 400).parameter == "payment_id")
      let payment = try await pay(sandbox, key: "order-2-payment-2").decoded(PaymentObject.self)
      try await sandbox.arm(Fault(mode: .decline))
      let canceled = try await Self.refund(sandbox, key: "y", paymentId: payment.id, value: "12.50")
        .decoded(RefundObject.self)
      #expect(canceled.status == "canceled" && canceled.cancellationDetails != nil)
      let full = try await Self.refund(sandbox, key: "z", paymentId: payment.id, value: "12.50")
      #expect(
        try full.decoded(RefundObject.self).status == "succeeded", "a canceled refund took nothing back")
    }
  }

  @Test("a dropped answer, a 500 and a 202: asked again with the same key, one refund")
  func faultsThenOneRefund() async throws {
    try await withSandbox { sandbox in
      let payment = try await pay(sandbox, key: "order-3-payment-1").decoded(PaymentObject.self)
      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      await #expect(throws: (any Error).self) {
        _ = try await Self.refund(sandbox, key: "k", paymentId: payment.id, value: "5.00")
      }
      try await sandbox.arm(Fault(mode: .errorBeforeCharge))
      #expect(try await Self.refund(sandbox, key: "k", paymentId: payment.id, value: "5.00").status == 500)
      try await sandbox.arm(Fault(mode: .processing))
      #expect(try await Self.refund(sandbox, key: "k", paymentId: payment.id, value: "5.00").status == 202)
      let answered = try await Self.refund(sandbox, key: "k", paymentId: payment.id, value: "5.00")
        .decoded(RefundObject.self)
      #expect(try await sandbox.refunds() == [answered], "one refund for four calls")
    }
  }
}
