import Foundation
import Synchronization
import Testing
import TillCore
import TillStore
import TillTestSupport

/// The trading day under concurrency, on each engine: one open session per terminal however many open it
/// at once, one Z per close however often it is sent, and every sale racing a close counted in that Z or
/// in none (placed after it), never lost from it.
@Suite("Register sessions under concurrency")
struct RegisterConcurrencyTests {
  typealias Tests = RegisterStoreTests

  @Test(arguments: StoreEngine.allCases)
  func twentyOpensMakeOneSession(engine: StoreEngine) async throws {
    try await Tests.withRegister(engine) { store in
      let results = await withTaskGroup(of: Result<RegisterSession, StoreError>.self) { group in
        for index in 0..<20 {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await store.openSession(openingFloat: Tests.euros(index), by: Tests.cashier)
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let opened = results.compactMap { try? $0.get() }
      #expect(opened.count == 1, "one of 20 opens wins")
      let session = try #require(opened.first)
      for result in results {
        if case .failure(let error) = result { #expect(error == .sessionAlreadyOpen(session)) }
      }
      #expect(try await store.currentSession(owner: Fixture.owner) == session)
    }
  }

  /// Two back ends (two stores, two connection pools) on one PostgreSQL database open the same terminal's
  /// register at once: the database keeps one open.
  @Test func twoBackEndsOpeningAtOnceMakeOneSession() async throws {
    try await withTwoPostgresStores(products: []) { first, second in
      let stores: [any RegisterStore] = [first, second]
      let results = await withTaskGroup(of: Result<RegisterSession, StoreError>.self) { group in
        for index in 0..<20 {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await stores[index % 2].openSession(openingFloat: Tests.euros(index), by: Tests.cashier)
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      let opened = results.compactMap { try? $0.get() }
      #expect(opened.count == 1, "one of 20 opens through two back ends wins")
      let current = try await second.currentSession(owner: Fixture.owner)
      #expect(current == opened.first)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func twentyClosesWithOneKeyMakeOneZ(engine: StoreEngine) async throws {
    try await Tests.withRegister(engine) { store in
      let session = try await store.openSession(openingFloat: Tests.euros(10_00), by: Tests.cashier)
      let order = try await Tests.order(store, [("BAK-001", 2)], key: "o1")
      _ = try await store.payCash(
        orderId: order.id, owner: Fixture.owner, staff: StaffFixture.cashier, tendered: Tests.euros(2_00))
      let closings = try await withThrowingTaskGroup(of: ZClosing.self) { group in
        for _ in 0..<20 {
          group.addTask {
            try await store.closeSession(
              id: session.id, countedCash: Tests.euros(11_20), idempotencyKey: "close-1", by: Tests.manager)
          }
        }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(closings.filter { !$0.replayed }.count == 1, "one close writes the Z")
      #expect(Set(closings.map(\.report)).count == 1, "every answer is that Z")
      let all = try await store.zReports(terminal: nil, limit: 50, after: nil).items
      #expect(all.count == 1 && all.first?.number == 1 && all.first?.variance == Tests.euros(0))
    }
  }

  /// Eight sellers place and pay orders (cash, card, or cancel) while a manager closes the session, trying
  /// until no order of it is left unpaid; the sellers go on after the close. Afterwards every order the
  /// store answered is either in the Z's session and paid or canceled, or placed without a session
  /// (after the close); the Z's figures are the sums of exactly its orders, and its expected cash is what
  /// a model of the drawer holds. When the shop requires a session, an order after the close is refused
  /// (`session-closed` when it raced the close, `no-open-session` after it) and every order the store
  /// answered is in the Z.
  @Test(arguments: StoreEngine.allCases, [false, true])
  func salesRacingACloseAreInItsZOrAfterIt(engine: StoreEngine, requireSession: Bool) async throws {
    try await Tests.withRegister(engine) { store in
      // Enough for every seller's every order, so no order is refused for stock.
      _ = try await store.adjustStock(sku: "BAK-001", delta: 100_000, reason: "race stock", by: .admin)
      let session = try await store.openSession(openingFloat: Tests.euros(50_00), by: Tests.cashier)
      let closed = ManagedFlag()
      let settled = ManagedCounter()
      let refusedAfterClose = ManagedCounter()
      let orders = try await withThrowingTaskGroup(of: [Order].self) { group in
        for seller in 0..<8 {
          group.addTask {
            var placed: [Order] = []
            var index = 0
            // Until a while after the close: at least 6 orders each, at most 60.
            while index < 60 && (index < 6 || !closed.isSet || index % 6 != 0) {
              let cart = try await store.cart(with: [("BAK-001", 1 + (seller + index) % 3)])
              let placement = await outcome { () async throws(StoreError) in
                try await store.placeOrder(
                  cartId: cart.id, owner: Fixture.owner, staff: StaffFixture.cashier,
                  idempotencyKey: "s\(seller)-\(index)",
                  requireSession: requireSession)
              }
              if requireSession, case .failure(let error) = placement,
                error == .sessionClosed || error == .noOpenSession
              {
                refusedAfterClose.add()
                break
              }
              let order = try placement.get().order
              switch (seller + index) % 3 {
              case 0:
                _ = try await store.payCash(
                  orderId: order.id, owner: Fixture.owner, staff: StaffFixture.cashier,
                  tendered: Tests.euros(5_00))
              case 1:
                let start = try await store.beginCardPayment(
                  orderId: order.id, owner: Fixture.owner, staff: StaffFixture.cashier)
                let attempt = try #require(start.attempt)
                _ = try await store.settleCardPayment(
                  id: attempt.payment.id, outcome: .succeeded(providerPaymentId: "pp-\(order.id)"))
              default:
                _ = try await store.cancelOrder(id: order.id, by: Tests.cashier, approval: nil)
              }
              placed.append(order)
              settled.add()
              index += 1
              try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
            }
            return placed
          }
        }
        group.addTask {
          // The close starts once the sellers are well under way.
          while settled.value < 16 { try await Task.sleep(for: .milliseconds(1)) }
          for attempt in 1...3000 {
            let result = await outcome { () async throws(StoreError) in
              try await store.closeSession(
                id: session.id, countedCash: Tests.euros(0), idempotencyKey: "close", by: Tests.manager)
            }
            switch result {
            case .success:
              closed.set()
              return []
            case .failure(.sessionHasOpenOrders): try await Task.sleep(for: .milliseconds(1))
            case .failure(let error): Issue.record("close attempt \(attempt): \(error)"); return []
            }
          }
          Issue.record("the session never had a moment without an unpaid order")
          return []
        }
        return try await group.reduce(into: []) { $0 += $1 }
      }
      #expect(closed.isSet)
      let z = try #require(try await store.zReports(terminal: nil, limit: 5, after: nil).items.first)
      var inZ: [Order] = []
      var after = 0
      for placed in orders {
        let order = try await store.order(id: placed.id, owner: Fixture.owner)
        #expect(
          order.sessionId == placed.sessionId, "order \(order.number) keeps the session it was placed in")
        if order.sessionId == session.id {
          #expect(order.status != .placed, "order \(order.number) in the Z is settled")
          inZ.append(order)
        } else {
          #expect(order.sessionId == nil, "order \(order.number) belongs to no other session")
          after += 1
        }
      }
      let paid = inZ.filter { $0.status == .paid }
      #expect(z.report.salesCount == paid.count)
      #expect(z.report.salesTotal.amount == paid.reduce(0) { $0 + $1.total.amount })
      #expect(z.report.cancels.count == inZ.count - paid.count)
      let cashTaken = paid.filter { $0.payment?.method == .cash }.reduce(0) { $0 + $1.total.amount }
      #expect(
        z.report.cash?.expected == Tests.euros(50_00 + cashTaken),
        "the drawer holds the float and the cash sales")
      if requireSession {
        #expect(after == 0, "no order without a session when one is required")
        #expect(refusedAfterClose.value > 0, "sellers tried after the close")
      } else {
        #expect(after > 0, "sellers went on after the close")
      }
      #expect(!inZ.isEmpty, "sales were made before the close")
    }
  }
}

/// A count raised by several tasks and read by others.
final class ManagedCounter: Sendable {
  private let state = Mutex(0)
  var value: Int { state.withLock { $0 } }
  func add() { state.withLock { $0 += 1 } }
}

/// A flag set once by one task and read by others.
final class ManagedFlag: Sendable {
  private let state = Mutex(false)
  var isSet: Bool { state.withLock { $0 } }
  func set() { state.withLock { $0 = true } }
}
