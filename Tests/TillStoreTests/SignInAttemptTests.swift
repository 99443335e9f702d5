import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

@Suite("Sign-in attempts counted in the database: limits, lock-outs, concurrent guesses")
struct SignInAttemptTests {
  typealias S = StaffFixture

  static let policy = AttemptPolicy(
    perCode: 5, perTerminal: 8, firstLockOut: .seconds(30), longestLockOut: .seconds(90))

  /// The same, with a terminal limit no test of one code reaches.
  static let codePolicy = AttemptPolicy(
    perCode: 5, perTerminal: 100, firstLockOut: .seconds(30), longestLockOut: .seconds(90))

  static func reserve(
    _ store: StaffedStore, _ code: String, terminal: String = S.terminal, at seconds: TimeInterval,
    policy: AttemptPolicy = policy
  ) async throws -> AttemptReservation {
    try await store.reserveAttempt(code: code, terminal: terminal, now: S.at(seconds), policy: policy)
  }

  /// `count` concurrent reservations for one code, spread over `stores`; answers how many were allowed
  /// and how many locked.
  static func concurrentGuesses(_ stores: [StaffedStore], count: Int) async -> (allowed: Int, locked: Int) {
    let answers = await withTaskGroup(of: AttemptReservation?.self) { group in
      for index in 0..<count {
        group.addTask {
          try? await stores[index % stores.count].reserveAttempt(
            code: S.manager, terminal: "till-\(index % 3)", now: S.now, policy: AttemptPolicy())
        }
      }
      return await group.reduce(into: [AttemptReservation?]()) { $0.append($1) }
    }
    let allowed = answers.filter { $0 == .allowed }.count
    let locked = answers.filter { if case .locked = $0 { true } else { false } }.count
    return (allowed, locked)
  }

  @Test(arguments: StoreEngine.allCases)
  func thirtyConcurrentGuessesEvaluateFive(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      let counted = await Self.concurrentGuesses([store], count: 30)
      #expect(counted.allowed == 5 && counted.locked == 25)
      let actions = try await S.actions(store)
      #expect(actions == ["lock-out"], "the fifth guess started one lock-out")
    }
  }

  @Test("30 concurrent guesses through two stores on one PostgreSQL database: 5 evaluated, 25 locked")
  func twoPostgresStoresCountTogether() async throws {
    let cluster = try await PostgresCluster.shared()
    let url = try await cluster.makeDatabase()
    let first = try await PostgresStore.connect(url: url, maximumConnections: 8)
    let second = try await PostgresStore.connect(url: url, maximumConnections: 8)
    let counted = await Self.concurrentGuesses([first, second], count: 30)
    #expect(counted.allowed == 5 && counted.locked == 25)
    let rows = try await second.audit(limit: 10, after: nil).items
    #expect(rows.map(\.action) == ["lock-out"] && rows.first?.subject == S.manager)
    await first.close()
    await second.close()
  }

  @Test(arguments: StoreEngine.allCases)
  func lockOutsGrowAndEnd(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      func reserve(at seconds: TimeInterval, _ code: String = S.manager) async throws -> AttemptReservation {
        try await Self.reserve(store, code, at: seconds, policy: Self.codePolicy)
      }
      for _ in 0..<5 { #expect(try await reserve(at: 0) == .allowed) }
      #expect(try await reserve(at: 29) == .locked(until: S.at(30)))
      #expect(try await reserve(at: 29, S.otherCashier) == .allowed, "other codes still try")
      // The lock has ended: the count starts again; the next lock-out lasts twice as long.
      for _ in 0..<5 { #expect(try await reserve(at: 30) == .allowed) }
      #expect(try await reserve(at: 89) == .locked(until: S.at(90)))
      for _ in 0..<5 { #expect(try await reserve(at: 90) == .allowed) }
      #expect(try await reserve(at: 91) == .locked(until: S.at(180)), "capped at 90 s")
      let lockOuts = try await S.trail(store).filter { $0.action == "lock-out" }
      #expect(
        lockOuts.count == 3 && lockOuts.allSatisfy { $0.subject == S.manager && $0.terminal == S.terminal })
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aTerminalLocksEveryCode(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      for index in 0..<8 {
        #expect(try await Self.reserve(store, "90\(index)", at: 0) == .allowed)
      }
      #expect(try await Self.reserve(store, "999", at: 1) == .locked(until: S.at(30)))
      #expect(try await Self.reserve(store, "999", terminal: "till-2", at: 1) == .allowed, "other tills try")
      let lockOut = try #require(try await S.trail(store).first { $0.action == "lock-out" })
      #expect(lockOut.subject == S.terminal && lockOut.terminal == S.terminal)
    }
  }

  @Test(arguments: StoreEngine.allCases)
  func aRightPINClearsItsCodeAndGivesTheTerminalItsAttemptBack(engine: StoreEngine) async throws {
    try await S.withStaff(engine) { store in
      // Three wrong PINs, then the right one (each attempt counted before its PIN is checked).
      for _ in 0..<4 { #expect(try await Self.reserve(store, S.cashier, at: 0) == .allowed) }
      _ = try await S.signIn(store, S.cashier, digest: "d", now: S.at(1))
      // Four wrong PINs are allowed again: the code's count was cleared.
      for _ in 0..<4 { #expect(try await Self.reserve(store, S.cashier, at: 2) == .allowed) }
      // The terminal counted 4 + 4 attempts and gave back the right one: 7; the next reaches its limit.
      #expect(try await Self.reserve(store, S.otherCashier, at: 3) == .allowed)
      #expect(try await Self.reserve(store, S.otherCashier, at: 3) == .locked(until: S.at(33)))
    }
  }
}
