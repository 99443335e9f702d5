import Foundation
import Testing
import TillCore

@testable import TillStore

@Suite("Session rule: start only as checked, idle expiry, a use moves the expiry at most once a minute")
struct SessionRuleTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let idle = Duration.seconds(3600)

  static func at(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

  @Test(arguments: [
    // (stored expiry, enabled, expected)
    (at(-1), true, SessionDecision.ended),
    (at(0), true, .ended),
    (at(10), false, .ended),
    (at(3600), true, .live(expiresAt: at(3600), touch: nil)),
    (at(3541), true, .live(expiresAt: at(3541), touch: nil)),
    (at(3540), true, .live(expiresAt: at(3600), touch: at(3600))),
    (at(1), true, .live(expiresAt: at(3600), touch: at(3600))),
  ])
  func decide(expiresAt: Date, enabled: Bool, expected: SessionDecision) {
    #expect(
      SessionRule.decide(expiresAt: expiresAt, enabled: enabled, now: Self.now, idle: Self.idle) == expected)
  }

  static let verified = StaffCredentials(
    member: StaffMember(code: "1001", name: "Ana", role: .cashier, enabled: true), pinHash: "hash-a")

  @Test(arguments: [
    (StaffFacts(enabled: true, role: .cashier, pinHash: "hash-a"), true),
    (StaffFacts(enabled: true, role: .manager, pinHash: "hash-a"), true),
    (StaffFacts(enabled: false, role: .cashier, pinHash: "hash-a"), false),
    (StaffFacts(enabled: true, role: .cashier, pinHash: "hash-b"), false),
    (nil, false),
  ])
  func startsOnlyForThePersonAsChecked(stored: StaffFacts?, starts: Bool) {
    let decided = decision { () throws(StoreError) in
      try SessionRule.checkStart(stored: stored, verified: Self.verified)
    }
    #expect(decided.refusal == (starts ? nil : .signInRefused))
  }

  @Test func expiresAtIsRFC3339InUTC() {
    #expect(SessionRule.text(Self.now) == "2027-01-15T08:00:00Z")
  }
}

@Suite("Staff changes: new codes, disabling once, resetting known people")
struct StaffChangeTests {
  static let ana = StaffMember(code: "1001", name: "Ana", role: .cashier, enabled: true)

  @Test func aNewPersonNeedsAFreeCodeAndAllowedShapes() {
    #expect(
      decision { () throws(StoreError) in try StaffChange.checkNew(code: "1001", name: "Ana", taken: false) }
        .refusal == nil)
    #expect(
      decision { () throws(StoreError) in try StaffChange.checkNew(code: "1001", name: "Ana", taken: true) }
        .refusal == .staffExists(code: "1001"))
    for (code, name) in [("12a", "Ana"), ("", "Ana"), ("1001", ""), ("1001", "A\u{0}na")] {
      #expect(
        decision { () throws(StoreError) in try StaffChange.checkNew(code: code, name: name, taken: false) }
          .refusal != nil)
    }
  }

  @Test func disablingChangesAnEnabledPersonOnly() {
    var disabled = Self.ana
    disabled.enabled = false
    let first = decision { () throws(StoreError) in try StaffChange.disable(Self.ana) }
    #expect(first.answer?.member == disabled && first.answer?.changes == true)
    let again = decision { () throws(StoreError) in try StaffChange.disable(disabled) }
    #expect(again.answer?.member == disabled && again.answer?.changes == false)
    #expect(
      decision { () throws(StoreError) in try StaffChange.disable(nil) }.refusal == .notFound(what: "staff"))
  }

  @Test func resettingNeedsThePerson() {
    #expect(decision { () throws(StoreError) in try StaffChange.checkReset(Self.ana) }.answer == Self.ana)
    #expect(
      decision { () throws(StoreError) in try StaffChange.checkReset(nil) }.refusal
        == .notFound(what: "staff"))
  }
}

extension Result {
  /// The value, when there is one.
  var answer: Success? { try? get() }
  /// The error, when there is one.
  var refusal: Failure? {
    guard case .failure(let error) = self else { return nil }
    return error
  }
}
