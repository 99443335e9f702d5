import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Cancel by a person: own order, a manager, or a manager's approval checked in the transaction")
struct StaffCancelTests {
  typealias S = StaffFixture

  static func actor(_ staff: String, _ role: StaffRole = .cashier) -> StaffActor {
    Fixture.actor(staff: staff, role: role)
  }

  /// An order of one Croissant placed by `staff`.
  static func order(by staff: String, in store: StaffedStore, key: String = "k") async throws -> Order {
    let cart = try await store.cart(with: [("BAK-002", 1)])
    return try await store.placeOrder(
      cartId: cart.id, owner: Fixture.owner, staff: staff, idempotencyKey: key
    )
    .order
  }

  static func cancel(
    _ order: Order, by actor: StaffActor, approval: VerifiedApproval? = nil, in store: StaffedStore
  )
    async -> Result<Order, StoreError>
  {
    await outcome { () async throws(StoreError) in
      try await store.cancelOrder(id: order.id, by: actor, approval: approval)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func ownOrderAndManagers(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let own = try await Self.order(by: S.cashier, in: store, key: "own")
      #expect(own.staff == S.cashier)
      #expect(try await Self.cancel(own, by: Self.actor(S.cashier), in: store).get().status == .canceled)
      let theirs = try await Self.order(by: S.otherCashier, in: store, key: "theirs")
      #expect(
        try await Self.cancel(theirs, by: Self.actor(S.manager, .manager), in: store).get().status
          == .canceled)
      // Again: answered unchanged, no new row.
      #expect(try await Self.cancel(own, by: Self.actor(S.cashier), in: store).get().status == .canceled)

      let rows = try await S.trail(store).prefix(2).reversed()
      #expect(rows.map(\.action) == ["order-cancel", "order-cancel"])
      #expect(rows.map(\.subject) == [own.id, theirs.id] && rows.map(\.staff) == [S.cashier, S.manager])
      #expect(rows.allSatisfy { $0.approvedBy == nil && $0.terminal == S.terminal })
      #expect(try await S.actions(store).count == 2)
      #expect(try await store.stock(of: "BAK-002") == 100)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func anotherPersonsOrderNeedsAValidApproval(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let order = try await Self.order(by: S.otherCashier, in: store)
      let cashier = Self.actor(S.cashier)
      #expect(await Self.cancel(order, by: cashier, in: store) == .failure(.approvalRequired))
      let byCashier = VerifiedApproval(code: S.otherCashier, pinHash: S.hash(S.otherCashier))
      #expect(
        await Self.cancel(order, by: cashier, approval: byCashier, in: store) == .failure(.approvalRefused))
      let unknown = VerifiedApproval(code: "9999", pinHash: S.hash("9999"))
      #expect(
        await Self.cancel(order, by: cashier, approval: unknown, in: store) == .failure(.approvalRefused))
      let staleHash = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager, 0))
      #expect(
        await Self.cancel(order, by: cashier, approval: staleHash, in: store) == .failure(.approvalRefused))
      #expect(try await store.order(id: order.id, owner: Fixture.owner).status == .placed, "nothing changed")
      #expect(try await store.stock(of: "BAK-002") == 99)
      #expect(try await S.actions(store).isEmpty, "refusals write no row here: the server records them")

      let approval = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager))
      #expect(
        try await Self.cancel(order, by: cashier, approval: approval, in: store).get().status == .canceled)
      let row = try #require(try await S.trail(store).first)
      #expect(row.action == "order-cancel" && row.staff == S.cashier && row.approvedBy == S.manager)
      #expect(row.subject == order.id && row.terminal == S.terminal)
      #expect(try await store.stock(of: "BAK-002") == 100)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aManagerDisabledOnTheWayIsRefused(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let order = try await Self.order(by: S.otherCashier, in: store)
      // The server read the hash and verified the PIN against it; then the manager was disabled.
      let read = try await S.credentials(store, S.manager)
      _ = try await store.disableStaff(code: S.manager, by: S.admin)
      let approval = VerifiedApproval(code: read.member.code, pinHash: read.pinHash)
      #expect(
        await Self.cancel(order, by: Self.actor(S.cashier), approval: approval, in: store)
          == .failure(.approvalRefused))
      #expect(try await store.order(id: order.id, owner: Fixture.owner).status == .placed)
      #expect(try await store.stock(of: "BAK-002") == 99)
      #expect(try await S.actions(store) == ["staff-disable"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aRightApprovalPINClearsTheApproversCount(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let policy = AttemptPolicy()
      func reserve() async throws -> AttemptReservation {
        try await store.reserveAttempt(code: S.manager, terminal: S.terminal, now: S.now, policy: policy)
      }
      for _ in 0..<4 { #expect(try await reserve() == .allowed) }
      let order = try await Self.order(by: S.otherCashier, in: store)
      let approval = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager))
      _ = try await Self.cancel(order, by: Self.actor(S.cashier), approval: approval, in: store).get()
      // Cleared: five more attempts are evaluated (the fifth starts a lock-out), then none.
      for _ in 0..<5 { #expect(try await reserve() == .allowed) }
      #expect(try await reserve() == .locked(until: S.at(30)))
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aRightApprovalPINClearsTheCountEvenWhenNothingIsCanceled(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let policy = AttemptPolicy()
      func reserve() async throws -> AttemptReservation {
        try await store.reserveAttempt(code: S.manager, terminal: S.terminal, now: S.now, policy: policy)
      }
      let order = try await Self.order(by: S.otherCashier, in: store)
      _ = try await Self.cancel(order, by: Self.actor(S.manager, .manager), in: store).get()
      let approval = VerifiedApproval(code: S.manager, pinHash: S.hash(S.manager))
      // Five right approval PINs for an order already canceled: each counted, then cleared.
      for _ in 0..<5 {
        #expect(try await reserve() == .allowed)
        let again = try await Self.cancel(order, by: Self.actor(S.cashier), approval: approval, in: store)
          .get()
        #expect(again.status == .canceled)
      }
      for _ in 0..<4 { #expect(try await reserve() == .allowed) }
      #expect(!(try await S.actions(store).contains("lock-out")), "right PINs never lock their manager out")
    }
  }
}
