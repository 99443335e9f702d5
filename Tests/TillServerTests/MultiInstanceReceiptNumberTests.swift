import Foundation
import Testing
import TillCore
import TillPaymentSandbox
import TillTestSupport

/// Receipt numbers count per till across servers: two `till-server` processes on one PostgreSQL
/// database, 16 tills of one terminal paying its orders at once through both — in cash (each sent
/// twice at once), by card through the payment sandbox (some declined first, then paid in cash), or
/// canceling them.
@Suite("Receipt numbers of one terminal on two till-server processes")
struct MultiInstanceReceiptNumberTests {
  static let tills = 16
  static let ordersPerTill = 4
  static let sku = "RCPT"

  @Test("16 tills paying one terminal's orders through two instances → receipts exactly 1…N")
  func receiptNumbersAcrossInstances() async throws {
    let database = try await freshPostgresDatabase()
    let sandbox = try await SandboxHarness.start()
    do {
      try await withInstances(
        database: database, products: [Fixtures.product(Self.sku, stock: 10_000)],
        arguments: ["--payment-provider", sandbox.baseURL, "--payment-shop-id", SandboxHarness.shopId],
        environment: ["TILL_PAYMENT_SECRET_KEY": SandboxHarness.secretKey]
      ) { instances in
        let token = try #require(instances.sessions[ServerHarness.staffToken])
        let orders = try await Self.placeOrders(baseURLs: instances.baseURLs, token: token)
        // The first card charges are declined; later ones are held a little after charging, so the
        // payments of both instances overlap.
        try await sandbox.arm(Fault(mode: .decline, count: 6))
        try await sandbox.arm(Fault(mode: .delayAfterCharge, count: 1_000, delayMs: 30))
        let figures = try await withThrowingTaskGroup(of: ReceiptFigures.self) { group in
          for till in 0..<Self.tills {
            let mine = Array(orders[(till * Self.ordersPerTill)..<((till + 1) * Self.ordersPerTill)])
            group.addTask {
              try await Self.pay(mine, till: till, baseURLs: instances.baseURLs, token: token)
            }
          }
          return try await group.reduce(into: ReceiptFigures()) { $0.merge($1) }
        }
        #expect(figures.unexpected.isEmpty, "\(figures.unexpected.joined(separator: "\n"))")
        #expect(figures.declines == 6, "declined card attempts")
        #expect(figures.canceled.count == Self.tills * Self.ordersPerTill / 4)
        for index in 0..<2 {
          let listed = try await Fixtures.orders(instances.client(index))
          #expect(listed.count == orders.count)
          try await ReceiptInvariants.check(
            DatabaseProbe(engine: .postgres, location: database), orders: listed, figures: figures)
        }
        // The other terminal paid nothing and has no numbers.
        let other = try await Fixtures.orders(instances.client(0, token: ServerHarness.otherStaffToken))
        #expect(other.isEmpty)
      }
    } catch {
      await sandbox.stop()
      throw error
    }
    await sandbox.stop()
  }

  /// The orders to pay, placed beforehand by 16 tills at once through both instances.
  static func placeOrders(baseURLs: [String], token: String) async throws -> [Order] {
    try await withThrowingTaskGroup(of: [Order].self) { group in
      for till in 0..<tills {
        group.addTask {
          let placer = ReceiptTill(baseURLs: baseURLs, token: token, name: "placer \(till)", preferred: till)
          var orders: [Order] = []
          for _ in 0..<ordersPerTill {
            orders.append(try #require(try await placer.placeOrder(sku: sku), "\(placer.unexpected)"))
          }
          return orders
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
  }

  /// One till's orders, each one way: cash sent twice at once through both instances, card (cash after
  /// a decline), or cancel.
  static func pay(_ orders: [Order], till: Int, baseURLs: [String], token: String) async throws
    -> ReceiptFigures
  {
    var figures = ReceiptFigures()
    for (index, order) in orders.enumerated() {
      let preferred = till + index
      switch preferred % 4 {
      case 0:
        async let once = cash(
          order, name: "till \(till)", baseURLs: baseURLs, token: token, preferred: preferred)
        async let twice = cash(
          order, name: "till \(till) again", baseURLs: baseURLs, token: token, preferred: preferred + 1)
        figures.merge(try await once)
        figures.merge(try await twice)
      case 1, 2:
        let payer = ReceiptTill(baseURLs: baseURLs, token: token, name: "till \(till)", preferred: preferred)
        try await payer.payCard(order)
        figures.merge(ReceiptFigures(payer))
      default:
        let canceler = ReceiptTill(
          baseURLs: baseURLs, token: token, name: "till \(till)", preferred: preferred)
        try await canceler.cancel(order)
        figures.merge(ReceiptFigures(canceler))
      }
    }
    return figures
  }

  static func cash(_ order: Order, name: String, baseURLs: [String], token: String, preferred: Int)
    async throws -> ReceiptFigures
  {
    let payer = ReceiptTill(baseURLs: baseURLs, token: token, name: name, preferred: preferred)
    try await payer.payCash(order)
    return ReceiptFigures(payer)
  }
}
