import Foundation
import Testing
import TillClient
import TillCore
import TillStore
import TillTUI
import TillTestSupport

/// Keys typed ahead act on the answers of the keys before them, on the real back end: each test types
/// its whole sequence at once, waits until the till is idle, then checks the server and the screen.
@Suite("counter keys: typed-ahead keys act on the right thing")
struct CounterKeysTypeAheadTests {
  @Test("/ name Enter Enter at once adds the product the search found")
  func searchKeptThenAddAddsWhatTheSearchFound() async throws {
    try await withEndToEndBackend { backend in
      let found = try #require(
        try await backend.client().products(ProductQuery(text: "kanel")).items.first)
      try await CounterTill.with(backend.baseURL) { till in
        #expect(till.state.selectedProduct?.sku == "BAK-001", "the cursor starts elsewhere")
        till.press(.character("/"))
        till.type("kanel")
        till.press(.enter, .enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == [found.sku: 1])
        #expect(till.cartPanel.contains("1 \(found.name)"), "\(till.screen)")
        #expect(!till.cartPanel.contains("Croissant"), "\(till.screen)")
      }
    }
  }

  @Test("→ → ↓ Enter at once adds the second product of the second category")
  func categoryThenAddAddsFromTheNewCategory() async throws {
    try await withEndToEndBackend { backend in
      let client = try await backend.client()
      let category = try #require(try await client.categories().dropFirst().first)
      let listed = try await client.products(ProductQuery(category: category.name, limit: 10)).items
      let wanted = try #require(listed.dropFirst().first)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.right, .right, .down, .enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == [wanted.sku: 1])
        #expect(till.screen.contains("◀ \(category.name) ▶"))
        #expect(till.screen.contains("▸\(wanted.sku)"), "\(till.screen)")
        #expect(till.cartPanel.contains("1 \(wanted.name)"), "\(till.screen)")
      }
    }
  }

  @Test("PgDn PgDn Enter at once adds the product two pages down, past the first page loaded")
  func pagingThenAddAddsFromTheNextPage() async throws {
    try await withEndToEndBackend { backend in
      let all = try await backend.client().products(ProductQuery(limit: Limits.maxPageSize)).items
      // 30 rows show 25 products; a page of 30 means the second PgDn needs the next page first.
      let wanted = all[50]
      try await CounterTill.with(backend.baseURL, pageSize: 30) { till in
        #expect(till.state.products.count == 30)
        till.press(.pageDown, .pageDown, .enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == [wanted.sku: 1])
        #expect(till.state.selectedProduct?.sku == wanted.sku)
        #expect(till.screen.contains("▸\(wanted.sku)"), "\(till.screen)")
      }
    }
  }

  @Test("Enter c p 1 5 Enter at once places the order and pays it in cash")
  func checkoutAndCashInOneBurstPays() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("c"), .character("p"), .character("1"), .character("5"), .enter)
        try await till.settle()
        let orders = try await backend.client().allOrders()
        #expect(orders.count == 1)
        let order = try #require(orders.first)
        #expect(order.status == .paid)
        #expect(order.lines.map(\.sku) == ["BAK-001"])
        #expect(order.payment?.method == .cash)
        #expect(order.payment?.tendered == Money(amount: 500, currency: "EUR"))
        #expect(order.payment?.change == Money(amount: 310, currency: "EUR"))
        let screen = till.screen
        #expect(screen.contains("Receipt"), "\(screen)")
        #expect(screen.contains("Paid cash") && screen.contains("5.00") && screen.contains("3.10"))
      }
    }
  }

  @Test("o p 1 10 Enter at once pays the order the orders list shows")
  func ordersListThenPayPaysTheListedOrder() async throws {
    try await withEndToEndBackend { backend in
      let placed = try await backend.client().buy("BAK-002", quantity: 2)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.character("o"), .character("p"), .character("1"))
        till.type("10")
        till.press(.enter)
        try await till.settle()
        let order = try await backend.client().order(id: placed.id)
        #expect(order.status == .paid)
        #expect(order.payment?.tendered == Money(amount: 1_000, currency: "EUR"))
        #expect(order.payment?.change == Money(amount: 540, currency: "EUR"))
        #expect(till.screen.contains("Receipt · order #\(placed.number)"), "\(till.screen)")
        #expect(till.screen.contains("5.40"), "\(till.screen)")
      }
    }
  }

  @Test("o x y at once cancels the order the orders list shows and returns its stock")
  func ordersListThenCancelCancelsTheListedOrder() async throws {
    try await withEndToEndBackend { backend in
      let client = try await backend.client()
      let before = try await client.stock(of: "BAK-002")
      let placed = try await client.buy("BAK-002", quantity: 2)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.character("o"), .character("x"), .character("y"))
        try await till.settle()
        #expect(try await client.order(id: placed.id).status == .canceled)
        #expect(try await client.stock(of: "BAK-002") == before)
        #expect(till.screen.contains("Order #\(placed.number) canceled"), "\(till.screen)")
        #expect(till.screen.contains("#\(placed.number)  canceled"), "\(till.screen)")
      }
    }
  }

  @Test("Enter n ↓ Enter at once: the second product goes into a new cart")
  func newOrderThenAddStartsANewCart() async throws {
    try await withEndToEndBackend { backend in
      let store = try #require(backend.server.store as? SQLiteStore)
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter, .character("n"), .down, .enter)
        try await till.settle()
        #expect(try await backend.serverCart(of: till) == ["BAK-002": 1])
        let lines = try await ServerRows.cartLines(atPath: store.path)
        #expect(lines.map { "\($0.sku) \($0.quantity)" }.sorted() == ["BAK-001 1", "BAK-002 1"])
        #expect(Set(lines.map(\.cart)).count == 2, "two carts, one line each")
        #expect(till.cartPanel.contains("1 Pain au chocolat"), "\(till.screen)")
        #expect(!till.cartPanel.contains("Croissant"), "\(till.screen)")
      }
    }
  }
}
