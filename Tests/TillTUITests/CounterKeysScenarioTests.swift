import Foundation
import Testing
import TillClient
import TillCore
import TillStore
import TillTUI
import TillTestSupport

/// The cart and the receipt at the counter, on the real back end: repeated `-` stays on its line, a
/// scan made while the back end is away is added when it returns, long orders scroll.
@Suite("counter keys: cart lines, offline scans, long orders")
struct CounterKeysScenarioTests {
  @Test(
    "- pressed more often than a line holds removes that line only; the neighbour keeps its quantity",
    arguments: [(line: 0, removed: "Croissant", neighbour: "BAK-002"), (1, "Pain au chocolat", "BAK-001")])
  func repeatedMinusStaysOnItsLine(line: Int, removed: String, neighbour: String) async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        // Two croissants, three pains au chocolat, then to the cart and `-` five times: all at once.
        till.press(.enter, .enter, .down, .enter, .enter, .enter, .tab)
        if line == 1 { till.press(.down) }
        till.press(.character("-"), .character("-"), .character("-"), .character("-"), .character("-"))
        try await till.settle()
        let kept = neighbour == "BAK-001" ? 2 : 3
        #expect(try await backend.serverCart(of: till) == [neighbour: kept])
        let panel = till.cartPanel
        #expect(
          CounterTill.hasLine(panel, showing: "removed", String(removed.prefix(8))),
          "the line stays shown as removed:\n\(panel)")
        let keptName = neighbour == "BAK-001" ? "Croissant" : "Pain au chocolat"
        #expect(panel.contains("\(kept) \(keptName)"), "\(panel)")
        #expect(till.screen.contains("\(removed) is already removed"), "\(till.screen)")
        #expect(till.state.cartIndex == line, "the cursor stays on the removed line")
        #expect(till.state.displayedCartLines.map(\.name) == ["Croissant", "Pain au chocolat"])

        // Moving off the removed line drops it; `-` then acts on the line under the cursor.
        till.press(line == 0 ? .down : .up, .character("-"))
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == [neighbour: kept - 1])
        #expect(!till.cartPanel.contains("removed"), "\(till.cartPanel)")
      }
    }
  }

  @Test(
    "a scan made while the back end is down, of a product not in the loaded list, is added once it is back")
  func scanWhileOfflineIsAddedWhenBack() async throws {
    try await withRestartableBackend { backend in
      var running = try await backend.start()
      do {
        try await CounterTill.with(backend.baseURL, pageSize: 2) { till in
          #expect(till.state.products.map(\.sku) == ["OFF-1", "OFF-2"], "OFF-3 is not loaded")
          await running.stop()
          till.scan("2000000000035")
          till.scan("2000000000011")
          try await till.waitFor("is kept and added when the till is back online", within: .seconds(4))
          #expect(till.state.pendingCodes.map(\.code) == ["2000000000035", "2000000000011"])

          running = try await backend.start()
          try await till.wait(for: "both scans added", within: .seconds(8)) { state, _ in
            state.online && !state.hasPendingEdits && state.cart?.lines.count == 2
          }
          try await till.settle()
          let client = try await TillClient.signedIn(baseURL: backend.baseURL)
          let cart = try await client.cart(id: try #require(till.state.cart).id)
          #expect(
            Dictionary(uniqueKeysWithValues: cart.lines.map { ($0.sku, $0.quantity) }) == [
              "OFF-3": 1, "OFF-1": 1,
            ])
          #expect(till.cartPanel.contains("1 Rye bread") && till.cartPanel.contains("1 Espresso beans"))
        }
      } catch {
        await running.stop()
        throw error
      }
      await running.stop()
    }
  }

  @Test(
    "a till started while the back end is down says so at sign-in; the PIN typed again signs in once it is up"
  )
  func signInWhileOfflineThenEnterOnceUp() async throws {
    try await withRestartableBackend { backend in
      try await CounterTill.with(backend.baseURL, loaded: false) { till in
        try await till.waitFor("Cannot reach the till server", within: .seconds(4))
        #expect(till.state.staff == nil)
        #expect(till.state.signIn.pin.isEmpty, "the PIN is not left on the screen")
        let running = try await backend.start()
        do {
          till.type("1234")
          till.press(.enter)
          try await till.wait(for: "the sign-in and the list", within: .seconds(8)) { state, _ in
            state.staff != nil && !state.products.isEmpty
          }
          till.scan("2000000000035")
          try await till.settle()
          let client = try await TillClient.signedIn(baseURL: backend.baseURL)
          let cart = try await client.cart(id: try #require(till.state.cart).id)
          #expect(cart.lines.map { "\($0.quantity) \($0.sku)" } == ["1 OFF-3"])
          #expect(till.cartPanel.contains("1 Rye bread"), "\(till.screen)")
        } catch {
          await running.stop()
          throw error
        }
        await running.stop()
      }
    }
  }

  @Test("a receipt longer than the screen scrolls with the cash paid and the change in view")
  func longReceiptScrollsWithTheTotalsInView() async throws {
    try await withEndToEndBackend { backend in
      let first20 = Array(try await backend.client().products(ProductQuery(limit: 20)).items)
      let total = first20.reduce(0) { $0 + $1.price.amount }
      #expect(total < 100_00, "100.00 covers it without asking again")
      try await CounterTill.with(backend.baseURL) { till in
        for _ in first20 { till.press(.enter, .down) }
        till.press(.character("c"), .character("1"))
        till.type("100")
        till.press(.enter)
        try await till.settle(within: .seconds(10))
        let change = Money(amount: 100_00 - total, currency: "EUR").decimalString
        let order = try #require(try await backend.client().allOrders().first)
        #expect(order.status == .paid && order.lines.count == 20)
        #expect(order.payment?.change?.decimalString == change)

        // The server's text receipt scrolls; what this till took (cash, change) stays in view below it.
        // A product's receipt row (name, padding, line total, tax letter) appears nowhere else on screen.
        let receipt = try await backend.client().receiptText(orderId: order.id, width: 48)
          .split(separator: "\n").map(String.init)
        let firstRow = try #require(receipt.first { $0.hasPrefix(first20[0].name + " ") })
        let lastRow = try #require(receipt.last { $0.hasPrefix(first20[19].name + " ") })
        var screen = till.screen
        for text in ["Receipt", "Paid cash", "100.00", "Change", change, "↑↓ 0 above · "] {
          #expect(screen.contains(text), "\(text) on the receipt:\n\(screen)")
        }
        #expect(screen.contains(firstRow) && !screen.contains(lastRow), "\(screen)")
        #expect(!screen.contains("TOTAL EUR"), "the end of the receipt is below:\n\(screen)")

        till.press(.end)
        try await till.settle()
        screen = till.screen
        #expect(screen.contains(" above · 0 below"), "\(screen)")
        #expect(screen.contains("TOTAL EUR") && screen.contains("VAT"), "\(screen)")
        #expect(screen.contains(lastRow) && !screen.contains(firstRow), "\(screen)")
        #expect(screen.contains("Paid cash") && screen.contains(change), "\(screen)")
        till.press(.up)
        try await till.settle()
        #expect(till.screen.contains(" above · 1 below"), "\(till.screen)")
      }
    }
  }

  @Test("the cart panel shows the newest line when the lines pass its bottom")
  func cartPanelFollowsNewLines() async throws {
    try await withEndToEndBackend { backend in
      let first20 = Array(try await backend.client().products(ProductQuery(limit: 20)).items)
      try await CounterTill.with(backend.baseURL, size: Size(columns: 80, rows: 24)) { till in
        for _ in first20 { till.press(.enter, .down) }
        try await till.settle(within: .seconds(10))
        #expect(try await backend.serverCart(of: till).count == 20)
        let panel = till.cartPanel
        #expect(panel.contains("Cart — 20 items"), "\(panel)")
        // Names are cut to the panel's width: the first eight characters tell these apart.
        #expect(panel.contains("1 \(first20[19].name.prefix(8))"), "the newest line is in view:\n\(panel)")
        #expect(!panel.contains("1 \(first20[0].name.prefix(8))"), "the oldest scrolled away:\n\(panel)")
      }
    }
  }

  /// Runs `body` with a back end on a free port and its own database, not yet started.
  func withRestartableBackend<T>(
    isolation: isolated (any Actor)? = #isolation, _ body: (RestartableBackend) async throws -> T
  ) async throws -> T {
    let directory = try TemporaryDirectory.make("till-counter")
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(
      RestartableBackend(
        path: directory.appendingPathComponent("till.sqlite").path,
        port: try LoopbackSocket.unusedPort()))
  }
}
