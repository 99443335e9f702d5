import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Staff sessions in the store: by digest, idle expiry, ended by sign-out, disable and PIN reset")
struct StaffSessionTests {
  typealias S = StaffFixture

  @Test(arguments: StoreEngine.allCases)
  func startLookUpAndSignOut(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let session = try await S.signIn(store, S.cashier, digest: "digest-a")
      let expected = StaffSession(
        staff: StaffSummary(code: S.cashier, name: "Ana", role: .cashier), owner: Fixture.owner,
        terminal: S.terminal, expiresAt: "2027-01-15T20:00:00Z")
      #expect(session == expected)
      #expect(try await store.session(tokenDigest: "digest-a", now: S.at(30), idle: S.idle) == expected)
      #expect(try await store.session(tokenDigest: "digest-b", now: S.now, idle: S.idle) == nil)

      #expect(try await store.endSession(tokenDigest: "digest-a", now: S.at(60)))
      #expect(try await store.endSession(tokenDigest: "digest-a", now: S.at(61)) == false, "ended already")
      #expect(try await store.session(tokenDigest: "digest-a", now: S.at(62), idle: S.idle) == nil)

      let rows = try await S.trail(store).prefix(2).reversed()
      #expect(rows.map(\.action) == ["sign-in", "sign-out"])
      #expect(rows.allSatisfy { $0.staff == S.cashier && $0.terminal == S.terminal && $0.subject == nil })
      #expect(rows.map(\.at) == ["2027-01-15T08:00:00Z", "2027-01-15T08:01:00Z"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func idleSessionsEndAndUsesMoveTheExpiryOn(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let idle = Duration.seconds(600)
      _ = try await store.startSession(
        tokenDigest: "d", verified: try await S.credentials(store, S.cashier), owner: Fixture.owner,
        terminal: S.terminal, now: S.now, idle: idle)
      // Within the minute: answered, nothing moved.
      #expect(
        try await store.session(tokenDigest: "d", now: S.at(59), idle: idle)?.expiresAt
          == "2027-01-15T08:10:00Z")
      // Later uses move it on: 300 s in, the session now lasts until 900 s.
      #expect(
        try await store.session(tokenDigest: "d", now: S.at(300), idle: idle)?.expiresAt
          == "2027-01-15T08:15:00Z")
      #expect(
        try await store.session(tokenDigest: "d", now: S.at(899), idle: idle) != nil, "moved, and stored")
      // Idle past the expiry the last use set (899 + 600): ended.
      #expect(try await store.session(tokenDigest: "d", now: S.at(1499), idle: idle) == nil)
      #expect(try await store.endSession(tokenDigest: "d", now: S.at(1500)) == false, "no sign-out for it")
      #expect(try await S.actions(store) == ["sign-in"])
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func disablingOrResettingEndsTheSessions(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      _ = try await S.signIn(store, S.cashier, digest: "ana-1")
      _ = try await S.signIn(store, S.cashier, digest: "ana-2")
      _ = try await S.signIn(store, S.otherCashier, digest: "ben-1")
      _ = try await store.disableStaff(code: S.cashier, by: S.admin)
      #expect(try await store.session(tokenDigest: "ana-1", now: S.now, idle: S.idle) == nil)
      #expect(try await store.session(tokenDigest: "ana-2", now: S.now, idle: S.idle) == nil)
      #expect(try await store.session(tokenDigest: "ben-1", now: S.now, idle: S.idle) != nil, "others stay")

      _ = try await store.resetPIN(code: S.otherCashier, pinHash: S.hash(S.otherCashier, 2), by: S.admin)
      #expect(try await store.session(tokenDigest: "ben-1", now: S.now, idle: S.idle) == nil)
      #expect(try await store.endSession(tokenDigest: "ben-1", now: S.now) == false)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aSessionStartsOnlyForThePersonAsChecked(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      // The server checked the PIN against these, then the person changed before the session started.
      let ana = try await S.credentials(store, S.cashier)
      let ben = try await S.credentials(store, S.otherCashier)
      _ = try await store.disableStaff(code: S.cashier, by: S.admin)
      _ = try await store.resetPIN(code: S.otherCashier, pinHash: S.hash(S.otherCashier, 2), by: S.admin)
      for verified in [ana, ben] {
        let refused = await outcome { () async throws(StoreError) in
          try await store.startSession(
            tokenDigest: "d-\(verified.member.code)", verified: verified, owner: Fixture.owner,
            terminal: S.terminal, now: S.now, idle: S.idle)
        }
        #expect(refused == .failure(.signInRefused))
        #expect(
          try await store.session(tokenDigest: "d-\(verified.member.code)", now: S.now, idle: S.idle) == nil)
      }
      #expect(try await S.actions(store) == ["staff-disable", "staff-pin-reset"], "no sign-in row")
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aDisableRacingSignInsLeavesNoLiveSession(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let ana = try await S.credentials(store, S.cashier)
      let started = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<20 {
          group.addTask {
            let session = try? await store.startSession(
              tokenDigest: "race-\(index)", verified: ana, owner: Fixture.owner, terminal: S.terminal,
              now: S.now, idle: S.idle)
            return session != nil
          }
        }
        group.addTask {
          _ = try? await store.disableStaff(code: S.cashier, by: S.admin)
          return false
        }
        return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
      }
      var live = 0
      for index in 0..<20
      where try await store.session(tokenDigest: "race-\(index)", now: S.now, idle: S.idle) != nil {
        live += 1
      }
      #expect(live == 0, "\(started) sessions started before the disable, none outlived it")
      let signIns = try await S.trail(store).filter { $0.action == "sign-in" }.count
      #expect(signIns == started, "one sign-in row for each session that started")
    }
  }
}
