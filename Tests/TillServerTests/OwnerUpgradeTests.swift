import Foundation
import Logging
import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

/// A database written when owner ids were the unkeyed SHA-256 of the token (`o-…`) keeps its carts and
/// orders with the same tokens: the server renames them to the keyed ids (`h-…`) when it starts.
@Suite("Owner ids of databases written before the owner secret")
struct OwnerUpgradeTests {
  @Test(arguments: StoreEngine.allCases)
  func legacyRowsFollowTheirToken(engine: StoreEngine) async throws {
    let anyStore = try await makeTestStore(engine, products: [Fixtures.product("OLD-1", stock: 10)])
    let store = try #require(anyStore as? any Store & PaymentStore)
    let legacy = OwnerIDs.legacy(for: ServerHarness.staffToken)
    let ordered = try await store.createCart(owner: legacy, staff: LegacyStaff.code)
    _ = try await store.applyIncrement(
      IncrementRequest(sku: "OLD-1", delta: 2, opId: "old-op"), cartId: ordered.id, owner: legacy)
    let order = try await store.placeOrder(
      cartId: ordered.id, owner: legacy, staff: LegacyStaff.code, idempotencyKey: "old-key"
    ).order
    let open = try await store.createCart(owner: legacy, staff: LegacyStaff.code)
    // Reading carts and orders needs a signed-in person: the demo cashier, on either till.
    let people = try #require(store as? any StaffStore)
    try await DemoStaff.seed(into: people, hasher: PINHasher(cost: PINHasher.allowedCosts.lowerBound))

    let firstLog = CapturedLog()
    try await Self.serve(store, log: firstLog) { baseURL in
      let staff = try await StaffSignIn.client(baseURL: baseURL, terminalToken: ServerHarness.staffToken)
      let orders = try await staff.get("/v1/orders").decoded(Page<Order>.self)
      #expect(orders.items.map(\.id) == [order.id])
      #expect(orders.items.map(\.staff) == [LegacyStaff.code], "placed before staff existed")
      #expect(try await staff.get("/v1/carts/\(open.id)").status == 200)
      let replay = try await staff.post(
        "/v1/orders", json: ["cartId": ordered.id], headers: [("Idempotency-Key", "old-key")])
      #expect(try replay.decoded(Order.self, expecting: 201).id == order.id, "the key moved with the order")

      let other = try await StaffSignIn.client(baseURL: baseURL, terminalToken: ServerHarness.otherStaffToken)
      #expect(try await other.get("/v1/orders").decoded(Page<Order>.self).items.isEmpty)
      #expect(try await other.get("/v1/carts/\(open.id)").status == 404)
      #expect(try await other.get("/v1/orders/\(order.id)").status == 404)
    }
    #expect(
      firstLog.entries.contains { $0.message.contains("legacy owner ids") && $0.metadata.contains("rows=") })

    // A second start finds nothing left to move and serves the same rows.
    let secondLog = CapturedLog()
    try await Self.serve(store, log: secondLog) { baseURL in
      let staff = try await StaffSignIn.client(baseURL: baseURL, terminalToken: ServerHarness.staffToken)
      let again = try await staff.get("/v1/orders/\(order.id)")
      #expect(again.status == 200)
    }
    #expect(!secondLog.entries.contains { $0.message.contains("legacy owner ids") })
    #expect(try await store.renameOwners([OwnerRename(old: legacy, new: "h-elsewhere")]) == 0)
    let secret = try await store.ownerSecret()
    for entry in firstLog.entries + secondLog.entries {
      for token in [ServerHarness.staffToken, ServerHarness.otherStaffToken, ServerHarness.adminToken] {
        #expect(!(entry.message + entry.metadata).contains(token))
      }
      #expect(!(entry.message + entry.metadata).contains(Self.hex(secret)))
    }
    await disposeTestStore(store)
  }

  /// Runs a server on `store` with the harness's tokens for the length of `body`.
  static func serve(
    _ store: any Store & PaymentStore, log: CapturedLog, _ body: (String) async throws -> Void
  ) async throws {
    let configuration = ServerConfiguration(
      port: 0, staffTokens: [ServerHarness.staffToken, ServerHarness.otherStaffToken],
      adminToken: ServerHarness.adminToken)
    let logger = Logger(label: "till.test.owners") { _ in CapturingLogHandler(log: log) }
    let server = try await RunningServer.start(store: store, configuration: configuration, logger: logger)
    do {
      try await body(server.baseURL)
      await server.stop()
    } catch {
      await server.stop()
      throw error
    }
  }

  static func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
