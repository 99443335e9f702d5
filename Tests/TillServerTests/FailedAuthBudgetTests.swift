import Testing

@testable import TillServer

@Suite("Failed authentications are budgeted per client address")
struct FailedAuthBudgetTests {
  static let settings = FailedAuthBudget.Settings(burst: 3, perSecond: 2, maxAddresses: 4)
  let start = ContinuousClock.now

  @Test("A burst is allowed, the next guess waits until one failure has trickled back")
  func burstThenWait() {
    var budget = FailedAuthBudget(settings: Self.settings)
    for _ in 0..<3 {
      #expect(budget.wait(for: "10.0.0.1", at: start) == nil)
      budget.recordFailure(from: "10.0.0.1", at: start)
    }
    #expect(budget.wait(for: "10.0.0.1", at: start) == .milliseconds(500))
    #expect(budget.wait(for: "10.0.0.1", at: start + .milliseconds(300)) == .milliseconds(200))
    #expect(budget.wait(for: "10.0.0.1", at: start + .milliseconds(500)) == nil)
  }

  @Test("One address's failures do not hold back another")
  func addressesAreSeparate() {
    var budget = FailedAuthBudget(settings: Self.settings)
    for _ in 0..<10 { budget.recordFailure(from: "10.0.0.1", at: start) }
    #expect(budget.wait(for: "10.0.0.1", at: start) != nil)
    #expect(budget.wait(for: "10.0.0.2", at: start) == nil)
  }

  @Test("Failures made while waiting do not dig the hole deeper than empty")
  func emptyIsTheFloor() {
    var budget = FailedAuthBudget(settings: Self.settings)
    for _ in 0..<100 { budget.recordFailure(from: "10.0.0.1", at: start) }
    #expect(budget.wait(for: "10.0.0.1", at: start) == .milliseconds(500))
    #expect(budget.wait(for: "10.0.0.1", at: start + .seconds(1)) == nil)
  }

  @Test("The table stays bounded and forgets the addresses that owe least")
  func boundedTable() {
    var budget = FailedAuthBudget(settings: Self.settings)
    for _ in 0..<3 { budget.recordFailure(from: "guesser", at: start) }
    for index in 0..<20 { budget.recordFailure(from: "10.0.1.\(index)", at: start) }
    #expect(budget.wait(for: "guesser", at: start) != nil)
  }
}
