import Foundation
import Logging
import Testing
import TillHTTP
import TillPaymentSandbox
import TillTestSupport

@Suite("Fault switches")
struct FaultTests {
  @Test("processing: 202 with retry_after and no charge, then the retry succeeds once")
  func processingThenSuccess() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .processing, count: 2, delayMs: 250))
      let connection = sandbox.connection()
      let request = SandboxHarness.paymentRequest(
        key: "order-1-payment-1", body: SandboxHarness.paymentBody())
      for _ in 0..<2 {
        let answer = try await connection.send(request).decoded(ProcessingAnswer.self, expecting: 202)
        #expect(answer.type == "processing")
        #expect(answer.retryAfter == 250)
        #expect(try await sandbox.payments().isEmpty)
      }
      let payment = try await connection.send(request).decoded(PaymentObject.self)
      #expect(payment.status == "succeeded")
      #expect(try await sandbox.payments().map(\.id) == [payment.id])
    }
  }

  @Test("error-before-charge: 500 and no charge, then the retry succeeds once")
  func errorBeforeCharge() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .errorBeforeCharge))
      let error = try await pay(sandbox, key: "order-1-payment-1").error(expecting: 500)
      #expect(error.code == "internal_server_error")
      #expect(try await sandbox.payments().isEmpty)
      let payment = try await pay(sandbox, key: "order-1-payment-1").decoded(PaymentObject.self)
      #expect(try await sandbox.payments().map(\.id) == [payment.id])
    }
  }

  @Test("drop-after-charge: the client loses the connection, the charge is kept, the retry answers it")
  func dropAfterCharge() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .dropAfterCharge))
      let connection = sandbox.connection()
      let request = SandboxHarness.paymentRequest(
        key: "order-1-payment-1", body: SandboxHarness.paymentBody())
      await #expect {
        _ = try await connection.send(request)
      } throws: { error in
        guard case .connectionLost = error as? HTTPError else { return false }
        return true
      }
      let charged = try await sandbox.payments()
      #expect(charged.count == 1)
      // Retried on the same connection object, as a back end would: same key, same charge.
      let retried = try await connection.send(request).decoded(PaymentObject.self)
      #expect(retried.id == charged.first?.id)
      #expect(try await sandbox.payments().count == 1)
    }
  }

  @Test("delay-after-charge: a short client timeout fires, yet the charge is already recorded")
  func delayAfterCharge() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .delayAfterCharge, delayMs: 1500))
      let impatient = sandbox.connection(requestTimeout: .milliseconds(300))
      let request = SandboxHarness.paymentRequest(
        key: "order-1-payment-1", body: SandboxHarness.paymentBody())
      await #expect(throws: HTTPError.timedOut) {
        _ = try await impatient.send(request)
      }
      // The sandbox commits before it delays; on a loaded machine the commit may trail the client's timeout.
      try await eventually(within: .seconds(5), "the timed-out payment was never recorded") {
        try await !sandbox.payments().isEmpty
      }
      let charged = try await sandbox.payments()
      #expect(charged.count == 1)
      #expect(charged.first?.status == "succeeded")
      let retried = try await sandbox.connection().send(request).decoded(PaymentObject.self)
      #expect(retried.id == charged.first?.id)
      #expect(try await sandbox.payments().count == 1)
    }
  }

  @Test("delay-after-charge: a patient client gets the payment after the delay")
  func delayAfterChargeAnswersLate() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .delayAfterCharge, delayMs: 400))
      let started = ContinuousClock.now
      let payment = try await pay(sandbox, key: "order-1-payment-1").decoded(PaymentObject.self)
      #expect(ContinuousClock.now - started >= .milliseconds(400))
      #expect(payment.status == "succeeded")
    }
  }

  @Test("decline: canceled with the given reason, recorded, and idempotent")
  func declineWithReason() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .decline, reason: "card_expired"))
      let declined = try await pay(sandbox, key: "order-1-payment-1").decoded(PaymentObject.self)
      #expect(declined.status == "canceled")
      #expect(!declined.paid)
      #expect(
        declined.cancellationDetails == CancellationDetails(party: "payment_network", reason: "card_expired"))
      // The same key stays declined (no new charge); the shop's next attempt uses a new key.
      let replayed = try await pay(sandbox, key: "order-1-payment-1").decoded(PaymentObject.self)
      #expect(replayed == declined)
      let nextAttempt = try await pay(sandbox, key: "order-1-payment-2").decoded(PaymentObject.self)
      #expect(nextAttempt.status == "succeeded")
      #expect(try await sandbox.payments().map(\.id) == [declined.id, nextAttempt.id])
    }
  }

  @Test("decline without a reason says insufficient_funds")
  func declineDefaultReason() async throws {
    try await withSandbox { (sandbox) async throws in
      let armed = try await sandbox.send("POST", "/sandbox/faults", json: Array(#"{"mode": "decline"}"#.utf8))
      #expect(try armed.decoded(FaultList.self).items.first?.reason == "insufficient_funds")
      let declined = try await pay(sandbox, key: "k").decoded(PaymentObject.self)
      #expect(declined.cancellationDetails?.reason == "insufficient_funds")
    }
  }

  @Test("faults queue in order, count down per payment call, show in GET and clear with DELETE")
  func queueCountsAndClears() async throws {
    try await withSandbox { (sandbox) async throws in
      try await sandbox.arm(Fault(mode: .errorBeforeCharge, count: 2))
      try await sandbox.arm(Fault(mode: .decline, count: 1, reason: "do_not_honor"))
      var queue = try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self).items
      #expect(queue.map(\.mode) == [.errorBeforeCharge, .decline])
      #expect(queue.map(\.count) == [2, 1])

      #expect(try await pay(sandbox, key: "a").status == 500)
      queue = try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self).items
      #expect(queue.map(\.count) == [1, 1])
      #expect(try await pay(sandbox, key: "a").status == 500)
      #expect(try await pay(sandbox, key: "a").decoded(PaymentObject.self).status == "canceled")
      #expect(try await pay(sandbox, key: "b").decoded(PaymentObject.self).status == "succeeded")

      try await sandbox.arm(Fault(mode: .processing, count: 5))
      try await sandbox.clearFaults()
      #expect(try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self).items.isEmpty)
      #expect(try await pay(sandbox, key: "c").status == 200)
      #expect(try await sandbox.payments().count == 3)
    }
  }

  @Test(
    "bad fault switches are 400 naming the field",
    arguments: [
      (#"{"mode": "explode"}"#, "mode"), (#"{"count": 1}"#, "mode"),
      (#"{"mode": "decline", "count": 0}"#, "count"), (#"{"mode": "processing", "delayMs": -1}"#, "delayMs"),
      (#"{"mode": "decline", "reason": ""}"#, "reason"), (#"{"mode": "decline", "count": "2"}"#, "count"),
    ])
  func badFaultIsRefused(body: String, parameter: String) async throws {
    try await withSandbox { (sandbox) async throws in
      let response = try await sandbox.send("POST", "/sandbox/faults", json: Array(body.utf8))
      #expect(try response.error(expecting: 400).parameter == parameter)
      #expect(try await sandbox.send("GET", "/sandbox/faults").decoded(FaultList.self).items.isEmpty)
    }
  }
}

@Suite("sandbox fault switches are off unless enabled")
struct FaultSwitchTests {
  @Test func withoutEnableFaultsTheSwitchesAreNotThere() async throws {
    let directory = try TemporaryDirectory.make("till-sandbox-nofaults")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sandbox = try await PaymentSandbox.start(
      databasePath: directory.appendingPathComponent("ledger.sqlite").path, shopId: SandboxHarness.shopId,
      secretKey: SandboxHarness.secretKey,
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let connection = HTTPConnection(baseURL: "http://127.0.0.1:\(sandbox.port)")
    let credentials = Array("\(SandboxHarness.shopId):\(SandboxHarness.secretKey)".utf8)
    let authorization = "Basic " + Data(credentials).base64EncodedString()
    let arm = try await connection.send(
      HTTPRequest(
        method: "POST", path: "/sandbox/faults",
        headers: [("Authorization", authorization), ("Content-Type", "application/json")],
        body: Array(#"{"mode": "decline"}"#.utf8)))
    #expect(arm.status == 404, "no route arms a fault")
    let list = try await connection.send(
      HTTPRequest(method: "GET", path: "/sandbox/faults", headers: [("Authorization", authorization)]))
    #expect(list.status == 404)
    await sandbox.stop()
  }
}
