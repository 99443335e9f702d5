import Foundation
import Testing
import TillCore
import TillServer
import TillStore
import TillTestSupport

/// bcrypt through `PINHasher`, and the demo people `DemoStaff` seeds.
@Suite("PIN hashing and the demo staff")
struct PINHasherTests {
  /// The median of five checks of a wrong PIN against `pinHash` (nil: an unknown code).
  static func median(_ hasher: PINHasher, _ pinHash: String?) async -> Duration {
    var times: [Duration] = []
    for _ in 0..<5 {
      let start = ContinuousClock.now
      _ = await hasher.verify("9999", against: pinHash)
      times.append(ContinuousClock.now - start)
    }
    return times.sorted()[2]
  }

  @Test("hashes are salted bcrypt at the configured cost; only the right PIN verifies")
  func hashAndVerify() async {
    let hasher = PINHasher(cost: 4)
    let first = await hasher.hash("1234")
    let second = await hasher.hash("1234")
    #expect(first.hasPrefix("$2b$04$") && first.count == 60)
    #expect(first != second, "each hash has its own salt")
    #expect(await hasher.verify("1234", against: first))
    #expect(await hasher.verify("1234", against: second))
    #expect(!(await hasher.verify("1235", against: first)))
    #expect(!(await hasher.verify("1234", against: nil)))
    #expect(!(await hasher.verify("1234", against: "not a hash")))
    #expect(PINHasher(cost: 2).cost == 4 && PINHasher(cost: 40).cost == 16 && PINHasher(cost: 10).cost == 10)
  }

  @Test("an unknown code (no hash) costs as much bcrypt work as a wrong PIN")
  func unknownCodeTakesAsLong() async {
    let hasher = PINHasher(cost: 10)
    let hash = await hasher.hash("1234")
    let wrong = await Self.median(hasher, hash)
    let unknown = await Self.median(hasher, nil)
    // Cost 10 is tens of milliseconds; a shortcut for unknown codes would be microseconds.
    #expect(wrong > .milliseconds(5))
    #expect(unknown > wrong / 2 && unknown < wrong * 2, "wrong PIN \(wrong), unknown code \(unknown)")
  }

  @Test("an unknown code is checked at the highest stored cost, not the server's; a new hash raises it")
  func standInFollowsStoredCosts() async throws {
    try await withTestStore(.sqlite, products: []) { anyStore in
      let store = try #require(anyStore as? any StaffStore)
      let stored = await PINHasher(cost: 10).hash("1234")
      _ = try await store.addStaff(code: "1001", name: "Ana", role: .cashier, pinHash: stored, by: .admin)
      let hasher = PINHasher(cost: 4, standInFollowing: store)
      #expect(await hasher.standInCost() == 10)
      #expect(PINHasher.cost(of: stored) == 10 && PINHasher.cost(of: "not a hash") == nil)
      let wrong = await Self.median(hasher, stored)
      let unknown = await Self.median(hasher, nil)
      #expect(unknown > wrong / 2, "wrong PIN \(wrong), unknown code \(unknown)")
      // Stored at 10 and the server hashing at 11 (a person added through it): the stand-in follows.
      let higher = PINHasher(cost: 11, standInFollowing: store)
      #expect(await higher.standInCost() == 10)
      _ = await higher.hash("2468")
      #expect(await higher.standInCost() == 11)
      #expect(await PINHasher(cost: 12, standInFollowing: nil).standInCost() == 12, "nothing stored")
    }
  }

  @Test("the demo cashier and manager are added once; a person already there keeps their PIN")
  func demoStaff() async throws {
    try await withTestStore(.sqlite, products: []) { anyStore in
      let store = try #require(anyStore as? any StaffStore)
      let hasher = PINHasher(cost: 4)
      _ = try await store.addStaff(
        code: "2001", name: "Real Manager", role: .manager, pinHash: await hasher.hash("97531"), by: .admin)
      try await DemoStaff.seed(into: store, hasher: hasher)
      try await DemoStaff.seed(into: store, hasher: hasher)
      let staff = try await store.staff()
      #expect(staff.map(\.code) == ["1001", "2001"])
      #expect(staff.first == StaffMember(code: "1001", name: "Demo Cashier", role: .cashier, enabled: true))
      let cashier = try #require(try await store.staffCredentials(code: "1001"))
      #expect(await hasher.verify("1234", against: cashier.pinHash))
      let manager = try #require(try await store.staffCredentials(code: "2001"))
      #expect(manager.member.name == "Real Manager")
      #expect(await hasher.verify("97531", against: manager.pinHash))
      let adds = try await store.audit(limit: 50, after: nil).items.filter { $0.action == "staff-add" }
      #expect(adds.count == 2)
      #expect(!"\(DemoStaff.cashier)".contains("1234"))
    }
  }
}
