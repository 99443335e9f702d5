import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Staff in the store: adding, listing, disabling, resetting PINs, and their audit rows")
struct StaffStoreTests {
  typealias S = StaffFixture

  @Test(arguments: StoreEngine.allCases)
  func addListAndCredentials(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      #expect(try await store.staff().map(\.code) == [S.cashier, S.otherCashier, S.manager])
      let mia = try await S.credentials(store, S.manager)
      #expect(mia.member == StaffMember(code: S.manager, name: "Mia", role: .manager, enabled: true))
      #expect(mia.pinHash == S.hash(S.manager))
      #expect(try await store.staffCredentials(code: "9999") == nil)
      #expect(try await store.staffCredentials(code: "10\u{0}01") == nil)

      let taken = await outcome { () async throws(StoreError) in
        try await store.addStaff(code: S.cashier, name: "Other", role: .manager, pinHash: "h", by: S.admin)
      }
      #expect(taken == .failure(.staffExists(code: S.cashier)))
      #expect(try await S.credentials(store, S.cashier).member.name == "Ana", "the first person stays")

      let adds = try await S.trail(store).reversed()
      #expect(adds.map(\.action) == ["staff-add", "staff-add", "staff-add"])
      #expect(adds.map(\.subject) == [S.cashier, S.otherCashier, S.manager])
      #expect(adds.allSatisfy { $0.staff == nil && $0.terminal == nil && $0.detail == nil })
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func concurrentAddsOfOneCodeAddOnePerson(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let results = await withTaskGroup(of: Result<StaffMember, StoreError>.self) { group in
        for index in 0..<10 {
          group.addTask {
            await outcome { () async throws(StoreError) in
              try await store.addStaff(
                code: "3001", name: "Twin \(index)", role: .cashier, pinHash: "h", by: S.admin)
            }
          }
        }
        return await group.reduce(into: []) { $0.append($1) }
      }
      #expect(results.filter { (try? $0.get()) != nil }.count == 1)
      #expect(results.filter { $0 == .failure(.staffExists(code: "3001")) }.count == 9)
      let rows = try await S.trail(store)
      #expect(rows.filter { $0.subject == "3001" }.count == 1)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func disableOnceAndResetPIN(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let by = AuditActor(staff: S.manager, terminal: S.terminal)
      let disabled = try await store.disableStaff(code: S.cashier, by: by)
      #expect(disabled == StaffMember(code: S.cashier, name: "Ana", role: .cashier, enabled: false))
      #expect(try await store.disableStaff(code: S.cashier, by: by) == disabled, "again: unchanged")
      #expect(try await S.credentials(store, S.cashier).member.enabled == false)

      let reset = try await store.resetPIN(
        code: S.otherCashier, pinHash: S.hash(S.otherCashier, 2), by: S.admin)
      #expect(reset.code == S.otherCashier && reset.enabled)
      #expect(try await S.credentials(store, S.otherCashier).pinHash == S.hash(S.otherCashier, 2))

      let missing = await outcome { () async throws(StoreError) in
        try await store.disableStaff(code: "9999", by: S.admin)
      }
      #expect(missing == .failure(.notFound(what: "staff")))
      let missingReset = await outcome { () async throws(StoreError) in
        try await store.resetPIN(code: "9999", pinHash: "h", by: S.admin)
      }
      #expect(missingReset == .failure(.notFound(what: "staff")))

      let rows = Array(try await S.trail(store).prefix(2).reversed())
      #expect(
        rows.map(\.action) == ["staff-disable", "staff-pin-reset"], "one row each, none for the repeat")
      #expect(rows[0].staff == S.manager && rows[0].terminal == S.terminal && rows[0].subject == S.cashier)
      #expect(rows[1].staff == nil && rows[1].subject == S.otherCashier)
      #expect(try await S.trail(store).count == 5)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func auditPagesNewestFirst(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      for index in 0..<7 {
        try await store.recordFailedAttempt(
          .signInFailed, code: "90\(index)", terminal: S.terminal, subject: nil, now: S.at(Double(index)))
      }
      var subjects: [String?] = []
      var cursor: String?
      var pages = 0
      repeat {
        let page = try await store.audit(limit: 4, after: cursor)
        subjects += page.items.map(\.subject)
        cursor = page.next
        pages += 1
      } while cursor != nil
      #expect(pages == 3)
      #expect(subjects == (0..<7).reversed().map { "90\($0)" } + [S.manager, S.otherCashier, S.cashier])
      let first = try #require(try await store.audit(limit: 1, after: nil).items.first)
      #expect(first.action == "sign-in-failed" && first.staff == nil && first.terminal == S.terminal)
      #expect(first.at == "2027-01-15T08:00:06Z" && first.detail == nil && first.approvedBy == nil)
      #expect(Int(first.id) != nil)
      #expect(try await store.audit(limit: 0, after: nil).items.isEmpty)
      #expect(try await store.audit(limit: 5, after: "not-a-cursor").items.isEmpty)
      #expect(try await store.audit(limit: 5, after: "1").items.isEmpty, "nothing before the first row")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func anApprovalRefusedNamesTheCodeNotThePerson(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      try await store.recordFailedAttempt(
        .approvalRefused, code: S.manager, terminal: S.terminal, subject: "order-7", now: S.now)
      let row = try #require(try await S.trail(store).first)
      #expect(row.action == "approval-refused" && row.staff == nil && row.subject == "order-7")
      #expect(row.detail == "code \(S.manager)")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func stockAdjustmentsWriteTheirRow(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      _ = try await store.adjustStock(sku: "BAK-001", delta: -3, reason: "damaged", by: S.admin)
      let refused = await outcome { () async throws(StoreError) in
        try await store.adjustStock(sku: "BAK-003", delta: -5, reason: "too many", by: S.admin)
      }
      #expect(refused == .failure(.stockBelowZero(sku: "BAK-003", available: 2)))
      let rows = try await S.trail(store)
      #expect(rows.count == 4, "one row for the adjustment, none for the refused one")
      #expect(rows[0].action == "stock-adjustment" && rows[0].subject == "BAK-001")
      #expect(rows[0].detail == "delta -3: damaged" && rows[0].staff == nil && rows[0].terminal == nil)
    }
  }
}
