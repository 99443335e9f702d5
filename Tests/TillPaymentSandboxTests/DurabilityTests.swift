import Foundation
import Logging
import Synchronization
import Testing
import TillHTTP
import TillTestSupport

@testable import TillPaymentSandbox

@Suite("Ledger durability")
struct DurabilityTests {
  @Test("a restart on the same file keeps payments and idempotence keys")
  func restartKeepsLedger() async throws {
    let first = try await SandboxHarness.start()
    let payment: PaymentObject
    let declined: PaymentObject
    do {
      payment = try await pay(first, key: "order-1-payment-1").decoded(PaymentObject.self)
      try await first.arm(Fault(mode: .decline, reason: "stolen_card"))
      declined = try await pay(first, key: "order-2-payment-1").decoded(PaymentObject.self)
      // Faults live in memory only: arm one that must not survive the restart.
      try await first.arm(Fault(mode: .errorBeforeCharge, count: 3))
    } catch {
      await first.stop()
      throw error
    }
    await first.stop(keepingFiles: true)

    let second = try await SandboxHarness.start(directory: first.directory)
    do {
      #expect(second.baseURL != "")
      #expect(try await second.payments() == [payment, declined])
      let replayed = try await pay(second, key: "order-1-payment-1").decoded(PaymentObject.self)
      #expect(replayed == payment)
      #expect(try await pay(second, key: "order-2-payment-1").decoded(PaymentObject.self) == declined)
      let conflict = try await pay(
        second, key: "order-1-payment-1", body: SandboxHarness.paymentBody(value: "1.00"))
      #expect(try conflict.error(expecting: 400).description == "Idempotence key duplicated")
      #expect(try await second.send("GET", "/sandbox/faults").decoded(FaultList.self).items.isEmpty)
      #expect(try await second.payments().count == 2)
    } catch {
      await second.stop()
      throw error
    }
    await second.stop()
  }

  @Test("the ledger's writer runs WAL with synchronous FULL")
  func writerIsDurable() async throws {
    let directory = try TemporaryDirectory.make("till-sandbox-pragma")
    defer { try? FileManager.default.removeItem(at: directory) }
    let sandbox = try await PaymentSandbox.start(
      databasePath: directory.appendingPathComponent("ledger.sqlite").path, shopId: "s", secretKey: "k",
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    let synchronous = try await sandbox.store.writerSynchronousMode()
    let journal = try await sandbox.store.journalMode()
    await sandbox.stop()
    #expect(synchronous == 2)  // FULL
    #expect(journal == "wal")
  }

  @Test("a key is remembered for 24 hours, then charges anew")
  func expiredKeyChargesAgain() async throws {
    let directory = try TemporaryDirectory.make("till-sandbox-window")
    defer { try? FileManager.default.removeItem(at: directory) }
    let clock = TestClock()
    let sandbox = try await PaymentSandbox.start(
      host: "127.0.0.1", port: 0, databasePath: directory.appendingPathComponent("ledger.sqlite").path,
      shopId: SandboxHarness.shopId, secretKey: SandboxHarness.secretKey, enableFaults: true,
      clock: { clock.now },
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    do {
      let connection = HTTPConnection(baseURL: sandbox.baseURL)
      let request = SandboxHarness.paymentRequest(key: "k", body: SandboxHarness.paymentBody())
      let first = try await connection.send(request).decoded(PaymentObject.self)
      clock.advance(by: 24 * 60 * 60 - 1)
      let replayed = try await connection.send(request).decoded(PaymentObject.self)
      #expect(replayed == first)
      clock.advance(by: 2)
      let later = try await connection.send(request).decoded(PaymentObject.self)
      #expect(later.id != first.id)
      // The new charge claimed the key afresh: a replay now answers it.
      #expect(try await connection.send(request).decoded(PaymentObject.self) == later)
      #expect(try await sandbox.store.payments().map(\.id) == [first.id, later.id])
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()
  }

  @Test("a second sandbox on a port already in use fails to start instead of hanging")
  func startFailsOnBusyPort() async throws {
    let first = try await SandboxHarness.start()
    await #expect(throws: (any Error).self) {
      let clash = try await PaymentSandbox.start(
        port: first.sandbox.port, databasePath: first.directory.appendingPathComponent("other.sqlite").path,
        shopId: "s", secretKey: "k", logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
      )
      await clash.stop()
    }
    // The first one is unharmed.
    let stillServing = try await pay(first, key: "k").status
    await first.stop()
    #expect(stillServing == 200)
  }
}

/// A wall clock that only moves when the test says so.
final class TestClock: Sendable {
  private let current = Mutex(Date(timeIntervalSince1970: 1_790_000_000))

  var now: Date { current.withLock { $0 } }

  func advance(by seconds: Int) {
    current.withLock { $0 += TimeInterval(seconds) }
  }
}
