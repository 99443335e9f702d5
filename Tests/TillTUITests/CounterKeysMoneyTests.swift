import Foundation
import Testing
import TillClient
import TillCore
import TillPaymentSandbox
import TillTUI
import TillTestSupport

/// No key or scan moves money by accident, on the real back end and sandbox card provider: scans in the
/// pay dialog, an order another till paid first, a card left pending, quitting with an order unpaid.
@Suite("counter keys: money moves only on purpose")
struct CounterKeysMoneyTests {
  static let croissant = "4012802137743"

  @Test("a scan in the pay dialog pays nothing and charges no card; on the receipt it starts the next cart")
  func scanInThePayDialogIsIgnored() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("c"))
        try await till.settle()
        let order = try #require(till.state.order)
        #expect(till.state.mode == .payment(.choose))

        till.scan(Self.croissant)
        try await till.settle()
        #expect(till.state.mode == .payment(.choose))
        #expect(till.screen.contains("Scan of \(Self.croissant) ignored"), "\(till.screen)")
        #expect(till.screen.contains("1  Cash") && till.screen.contains("2  Card"))

        till.press(.character("1"), .character("5"))
        till.scan(Self.croissant)
        try await till.settle()
        #expect(till.state.mode == .payment(.cash("5")))
        #expect(till.screen.contains("Cash handed over: 5▏"), "\(till.screen)")
        #expect(till.screen.contains("ignored"))

        till.press(.escape, .character("2"))
        till.scan(Self.croissant)
        try await till.settle()
        #expect(till.state.mode == .payment(.confirmCard))
        #expect(till.screen.contains("Charge 1.90 EUR to the card?"), "\(till.screen)")
        #expect(till.screen.contains("ignored"))

        #expect(try await backend.client().order(id: order.id).status == .placed)
        #expect(try await backend.paymentRows().isEmpty, "no payment recorded")
        #expect(try await backend.sandbox.payments().isEmpty, "no card charge started")

        // Enter confirms the card: the charge the scans did not start.
        till.press(.enter)
        try await till.settle()
        #expect(try await backend.client().order(id: order.id).status == .paid)
        #expect(try await backend.sandbox.payments().count == 1)
        #expect(till.screen.contains("Paid by card"), "\(till.screen)")

        // On the receipt a scan starts the next customer's cart with that product.
        till.scan(Self.croissant)
        try await till.settle()
        #expect(till.state.mode == .browse)
        #expect(try await backend.serverCart(of: till) == ["BAK-001": 1])
        #expect(till.cartPanel.contains("1 Croissant"), "\(till.screen)")
        #expect(try await backend.client().allOrders().count == 1)
      }
    }
  }

  @Test("paying an order this till's token paid meanwhile shows it as already paid, takes nothing new")
  func cashOnAnOrderPaidMeanwhileIsAlreadyPaid() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("c"))
        try await till.settle()
        let order = try #require(till.state.order)
        _ = try await backend.client().payment(
          orderId: order.id, request: .cash(tendered: Money(amount: 1_000, currency: "EUR")))

        till.press(.character("1"), .character("5"), .enter)
        try await till.settle()
        let screen = till.screen
        #expect(screen.contains("Receipt — already paid"), "\(screen)")
        #expect(screen.contains("Order #\(order.number) was already paid by cash"), "\(screen)")
        #expect(screen.contains("Paid earlier by cash"), "the earlier payment: \(screen)")
        #expect(!screen.contains("Change"), "no change due: \(screen)")
        let rows = try await backend.paymentRows()
        #expect(rows.map(\.tendered) == [1_000], "one payment, the earlier one: \(rows)")
      }
    }
  }

  @Test(
    "two tills: the second pays the order from its list; the first then asks for a card and gets no charge")
  func cardOnAnOrderAnotherTillPaidStartsNoCharge() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { first in
        first.press(.enter, .character("c"))
        try await first.settle()
        let order = try #require(first.state.order)
        try await CounterTill.with(backend.baseURL) { second in
          second.press(.character("o"), .character("p"), .character("1"))
          second.type("10")
          second.press(.enter)
          try await second.settle()
          #expect(second.screen.contains("Receipt"), "\(second.screen)")
          #expect(!second.screen.contains("already paid"), "\(second.screen)")
        }

        first.press(.character("2"), .enter)
        try await first.settle()
        let screen = first.screen
        #expect(screen.contains("Receipt — already paid"), "\(screen)")
        #expect(screen.contains("was already paid by cash"), "\(screen)")
        #expect(!screen.contains("Paid by card"), "\(screen)")
        #expect(try await backend.sandbox.payments().isEmpty, "no card charge started")
        let rows = try await backend.paymentRows()
        #expect(rows.map(\.method) == ["cash"], "\(rows)")
        #expect(try await backend.client().order(id: order.id).payment?.tendered?.amount == 1_000)
      }
    }
  }

  @Test("a pending card: the dialog says so, 1 takes no cash, the order settles by card later")
  func pendingCardTakesNoCashAndSettles() async throws {
    try await PendingCardBackend.with(recoveryInterval: .milliseconds(400)) { backend in
      try await CounterTill.with(backend.server.baseURL) { till in
        till.press(.enter, .character("c"))
        try await till.settle()
        let order = try #require(till.state.order)
        // Pending until the test clears the fault, however slow the machine: the recovery pass keeps
        // asking under the same key and keeps hearing "processing".
        try await backend.sandbox.arm(Fault(mode: .processing, count: 10_000, delayMs: 0))

        till.press(.character("2"), .enter)
        try await till.settle()
        #expect(till.state.mode == .payment(.cardPending), "\(till.screen)")
        #expect(till.screen.contains("Card payment pending"), "\(till.screen)")
        #expect(till.screen.contains("r  ask the card service now"))
        #expect(!till.screen.contains("1  Cash"), "no cash offered: \(till.screen)")

        till.press(.character("1"))
        till.type("5")
        till.press(.enter)
        try await till.settle()
        #expect(till.screen.contains("No cash while the card payment is pending"), "\(till.screen)")
        let client = try await TillClient.signedIn(baseURL: backend.server.baseURL)
        let pending = try await client.order(id: order.id)
        #expect(pending.status == .placed)
        #expect(pending.payment?.method == .card && pending.payment?.status == .pending)
        try await backend.sandbox.clearFaults()

        try await till.waitFor("Paid by card", within: .seconds(8))
        let paid = try await client.order(id: order.id)
        #expect(paid.status == .paid)
        #expect(paid.payment?.method == .card)
        #expect(try await backend.sandbox.payments().count == 1)
        #expect(!till.screen.contains("already paid"), "this till's own card payment: \(till.screen)")
      }
    }
  }

  @Test("q with a placed, unpaid order asks; with nothing unpaid it quits")
  func quitAsksWhileAnOrderIsUnpaid() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("c"), .escape, .character("q"))
        try await till.settle()
        #expect(
          till.screen.contains("Quit?") && till.screen.contains("An order is unpaid."), "\(till.screen)")
        #expect(!till.program.isFinished)
        let order = try #require(try await backend.client().allOrders().first)
        #expect(order.status == .placed)

        till.press(.character("n"), .character("p"), .character("1"), .character("5"), .enter, .enter)
        try await till.settle()
        #expect(try await backend.client().order(id: order.id).status == .paid)
        till.press(.character("q"))
        try await till.wait(for: "the till to quit") { _, _ in till.program.isFinished }
      }
    }
  }

  @Test("q asks for an unpaid order of this till seen only in the orders list")
  func quitAsksForAnUnpaidOrderFromTheList() async throws {
    try await withEndToEndBackend { backend in
      _ = try await backend.client().buy("BAK-003", quantity: 1)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.character("o"), .escape, .character("q"))
        try await till.settle()
        #expect(
          till.screen.contains("Quit?") && till.screen.contains("An order is unpaid."), "\(till.screen)")
        #expect(!till.program.isFinished)
      }
    }
  }
}
