import Foundation
import Testing
import TillClient
import TillCore
import TillTUI
import TillTestSupport

/// The smaller counter faults, on the real back end: a kept filter and Esc, the orders list offline and
/// after a refused cancel, absurd tenders, keys on a too-small terminal, wide SKUs and prices.
@Suite("counter keys: the smaller things")
struct CounterKeysSmallerTests {
  @Test("Esc clears a filter kept with Enter; the cursor shows on a row and Enter adds that row")
  func escapeClearsAKeptFilter() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        let all = till.state.products.count
        till.press(.character("/"))
        till.type("kanel")
        till.press(.enter)
        try await till.settle()
        #expect(till.state.products.map(\.name) == ["Kanelbulle"])
        #expect(till.screen.contains("Search: kanel"))

        till.press(.escape)
        try await till.settle()
        #expect(till.state.searchText.isEmpty && till.state.products.count == all)
        #expect(till.screen.contains("Search cleared"), "\(till.screen)")
        #expect(till.screen.contains("(press /)"), "\(till.screen)")
        #expect(till.screen.contains("▸BAK-001"), "the cursor shows on the first row:\n\(till.screen)")

        till.press(.enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == ["BAK-001": 1])
      }
    }
  }

  @Test("the orders list while the back end is down says so and retries; it fills once the back end is up")
  func ordersListOfflineSaysNotLoaded() async throws {
    let directory = try TemporaryDirectory.make("till-counter")
    defer { try? FileManager.default.removeItem(at: directory) }
    let backend = RestartableBackend(
      path: directory.appendingPathComponent("till.sqlite").path, port: try LoopbackSocket.unusedPort()
    )
    var running = try await backend.start()
    do {
      let client = try await TillClient.signedIn(baseURL: backend.baseURL)
      let cart = try await client.createCart()
      _ = try await client.increment(cartId: cart.id, sku: "OFF-2", delta: 1)
      let order = try await client.placeOrder(cartId: cart.id)
      try await CounterTill.with(backend.baseURL) { till in
        await running.stop()
        till.press(.character("o"))
        try await till.waitFor("Orders not loaded — retrying", within: .seconds(4))
        #expect(!till.screen.contains("No orders yet"), "\(till.screen)")
        running = try await backend.start()
        try await till.waitFor("#\(order.number)  unpaid", within: .seconds(8))
        #expect(!till.screen.contains("Orders not loaded"), "\(till.screen)")
        #expect(try await client.order(id: order.id).status == .placed, "looking at the list changed nothing")
      }
    } catch {
      await running.stop()
      throw error
    }
    await running.stop()
  }

  @Test("a cancel refused because the order was paid meanwhile reloads the list, showing it paid")
  func refusedCancelReloadsTheList() async throws {
    try await withEndToEndBackend { backend in
      let placed = try await backend.client().buy("BAK-002", quantity: 1)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.character("o"))
        try await till.settle()
        #expect(till.screen.contains("#\(placed.number)  unpaid"), "\(till.screen)")
        _ = try await backend.client().payment(
          orderId: placed.id, request: .cash(tendered: Money(amount: 500, currency: "EUR")))

        till.press(.character("x"), .character("y"))
        try await till.settle()
        #expect(try await backend.client().order(id: placed.id).status == .paid)
        #expect(till.state.orders.first?.status == .paid)
        #expect(till.screen.contains("#\(placed.number)  paid"), "\(till.screen)")
        #expect(!till.screen.contains("Canceling"), "no stale status: \(till.screen)")
      }
    }
  }

  @Test("a tender of 99 999 999 999 is refused, naming the largest; one far above the total asks again")
  func absurdTendersAreRefusedOrConfirmed() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("c"), .character("1"))
        till.type("99999999999")
        try await till.settle()
        let order = try #require(till.state.order)
        #expect(till.screen.contains("Too much: at most 100000000.00 in cash"), "\(till.screen)")
        #expect(!till.screen.contains("Change"), "no absurd change shown: \(till.screen)")
        till.press(.enter)
        try await till.settle()
        #expect(till.screen.contains("At most 100000000.00 can be taken in cash"), "\(till.screen)")
        #expect(till.state.mode == .payment(.cash("99999999999")))
        #expect(try await backend.paymentRows().isEmpty)

        for _ in 0..<11 { till.press(.backspace) }
        till.type("1000")
        till.press(.enter)
        try await till.settle()
        #expect(till.screen.contains("That is far more than is to pay. Is it right?"), "\(till.screen)")
        #expect(try await backend.paymentRows().isEmpty, "asked, not yet recorded")
        till.press(.escape)
        try await till.settle()
        #expect(till.state.mode == .payment(.cash("1000.00")))
        till.press(.enter, .enter)
        try await till.settle()
        let paid = try await backend.client().order(id: order.id)
        #expect(paid.status == .paid)
        #expect(paid.payment?.tendered == Money(amount: 1_000_00, currency: "EUR"))
        #expect(till.screen.contains("998.10"), "\(till.screen)")
      }
    }
  }

  @Test("keys typed while the terminal is too small do nothing")
  func keysDoNothingWhileTheTerminalIsTooSmall() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.terminal.resize(to: Size(columns: 60, rows: 20))
        try await till.settle()
        #expect(till.screen.contains("Terminal too small"))
        till.press(.enter, .character("+"), .character("c"), .character("o"), .tab, .character("q"))
        try await till.settle()
        #expect(till.screen.contains("Terminal too small"))
        till.terminal.resize(to: Size(columns: 100, rows: 30))
        try await till.settle()
        #expect(!till.program.isFinished)
        #expect(till.state.mode == .browse && till.state.focus == .products)
        #expect(till.state.cart == nil && !till.state.cartRequested && !till.state.hasPendingEdits)
        #expect(try await backend.client().allOrders().isEmpty)
        #expect(till.cartPanel.contains("Empty — Enter or + adds"), "\(till.screen)")
      }
    }
  }

  @Test(
    "an 8-character SKU keeps a space before the name; a price of 100 000.00 is shown whole",
    arguments: [Size(columns: 80, rows: 24), Size(columns: 100, rows: 30)])
  func wideSkusAndPricesFit(size: Size) async throws {
    let products = [
      Product(
        sku: "ABCDEFGH", name: "Espresso machine", category: "Kitchen",
        price: Money(amount: 100_000_00, currency: "EUR"), stock: 5, barcode: "2000000000042"),
      Product(
        sku: "WXYZ-123", name: "Milk jug", category: "Kitchen",
        price: Money(amount: 9_999_999_99, currency: "EUR"),
        stock: 12_345_678, barcode: "2000000000059"),
    ]
    try await withEndToEndBackend(products: products) { backend in
      try await CounterTill.with(backend.baseURL, size: size) { till in
        let screen = till.screen
        #expect(screen.contains("▸ABCDEFGH Espresso machine"), "\(screen)")
        #expect(screen.contains(" 100000.00 "), "\(screen)")
        #expect(screen.contains(" WXYZ-123 Milk jug"), "\(screen)")
        #expect(screen.contains(" 9999999.99 12345678"), "\(screen)")
        till.press(.enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == ["ABCDEFGH": 1])
        #expect(till.cartPanel.contains("100000.00"), "\(till.cartPanel)")
      }
    }
  }
}
