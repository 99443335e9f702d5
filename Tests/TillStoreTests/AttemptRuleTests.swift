import Foundation
import Testing
import TillCore

@testable import TillStore

@Suite("Attempt rule: counting PIN guesses per code and per terminal, lock-outs that grow")
struct AttemptRuleTests {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)
  static let policy = AttemptPolicy(
    perCode: 3, perTerminal: 5, firstLockOut: .seconds(30), longestLockOut: .seconds(120))

  static func at(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(seconds) }

  static func row(_ attempts: Int, lockOuts: Int = 0, until: TimeInterval? = nil) -> AttemptRow {
    AttemptRow(attempts: attempts, lockOuts: lockOuts, lockedUntil: until.map(at))
  }

  struct Reserve: Sendable, CustomTestStringConvertible {
    var name: String
    var code: AttemptRow?
    var terminal: AttemptRow?
    var expected: AttemptDecision
    var testDescription: String { name }
  }

  static let reserveCases: [Reserve] = [
    Reserve(
      name: "first attempt anywhere", code: nil, terminal: nil,
      expected: .allowed(code: row(1), terminal: row(1), lockOuts: [])),
    Reserve(
      name: "below both limits", code: row(1), terminal: row(3),
      expected: .allowed(code: row(2), terminal: row(4), lockOuts: [])),
    Reserve(
      name: "the attempt reaching the code's limit is allowed and locks the code for 30 s",
      code: row(2), terminal: row(0),
      expected: .allowed(
        code: row(3, lockOuts: 1, until: 30), terminal: row(1),
        lockOuts: [LockOutStart(scope: .code, until: at(30))])),
    Reserve(
      name: "the attempt reaching the terminal's limit locks the terminal", code: nil, terminal: row(4),
      expected: .allowed(
        code: row(1), terminal: row(5, lockOuts: 1, until: 30),
        lockOuts: [LockOutStart(scope: .terminal, until: at(30))])),
    Reserve(
      name: "both limits at once lock both", code: row(2, lockOuts: 1), terminal: row(4),
      expected: .allowed(
        code: row(3, lockOuts: 2, until: 60), terminal: row(5, lockOuts: 1, until: 30),
        lockOuts: [LockOutStart(scope: .code, until: at(60)), LockOutStart(scope: .terminal, until: at(30))])),
    Reserve(
      name: "a locked code refuses and counts nothing", code: row(3, lockOuts: 1, until: 10),
      terminal: row(2),
      expected: .locked(until: at(10))),
    Reserve(
      name: "a locked terminal refuses every code", code: nil, terminal: row(5, lockOuts: 1, until: 25),
      expected: .locked(until: at(25))),
    Reserve(
      name: "both locked: until the later end", code: row(3, lockOuts: 1, until: 40),
      terminal: row(5, lockOuts: 1, until: 25), expected: .locked(until: at(40))),
    Reserve(
      name: "a lock ending exactly now has ended: the count starts again, the history stays",
      code: row(3, lockOuts: 2, until: 0), terminal: row(1),
      expected: .allowed(code: row(1, lockOuts: 2), terminal: row(2), lockOuts: [])),
    Reserve(
      name: "the third lock-out lasts 120 s (doubled twice)", code: row(2, lockOuts: 2), terminal: nil,
      expected: .allowed(
        code: row(3, lockOuts: 3, until: 120), terminal: row(1),
        lockOuts: [LockOutStart(scope: .code, until: at(120))])),
  ]

  @Test(arguments: reserveCases)
  func reserve(_ row: Reserve) {
    let decided = AttemptRule.reserve(
      code: row.code, terminal: row.terminal, now: Self.now, policy: Self.policy)
    #expect(decided == row.expected)
  }

  @Test(arguments: [(1, 30), (2, 60), (3, 120), (4, 120), (50, 120), (Int.max, 120)])
  func lockOutsGrowToTheLongest(lockOuts: Int, seconds: Int) {
    #expect(AttemptRule.lockOutLength(lockOuts, policy: Self.policy) == .seconds(seconds))
  }

  @Test func theDefaultPolicyDoublesFromThirtySecondsToAnHour() {
    let lengths = (1...9).map { AttemptRule.lockOutLength($0, policy: AttemptPolicy()) }
    #expect(lengths == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map { Duration.seconds($0) })
  }

  @Test(arguments: [
    (row(4), row(3)),
    (row(0), row(0)),
    (row(1, lockOuts: 2), row(0, lockOuts: 2)),
    (row(5, lockOuts: 1, until: 10), row(5, lockOuts: 1, until: 10)),
    (row(5, lockOuts: 1, until: -1), row(4, lockOuts: 1, until: -1)),
  ])
  func aRightPINGivesTheTerminalItsAttemptBack(before: AttemptRow, after: AttemptRow) {
    #expect(AttemptRule.afterSuccess(terminal: before, now: Self.now) == after)
  }
}
