import Synchronization
import Testing
import TillTestSupport

/// The polling helper every test target waits with: it must answer as soon as the condition holds, and
/// fail the test (not pass silently) when it never does.
@Suite struct EventuallyTests {
  @Test func answersAsSoonAsTheConditionHolds() async throws {
    let looks = Mutex(0)
    let held = try await eventually(within: .seconds(5), every: .milliseconds(1)) {
      looks.withLock { looks in
        looks += 1
        return looks == 3
      }
    }
    #expect(held)
    #expect(looks.withLock { $0 } == 3)
  }

  @Test func aConditionThatNeverHoldsFailsTheTestWithItsMessage() async throws {
    var held = true
    try await withKnownIssue {
      held = try await eventually(within: .milliseconds(50), "the light never turned green") { false }
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("the light never turned green") }
    }
    #expect(!held)
  }

  @Test func aValueIsAnsweredOnceItComes() async throws {
    let looks = Mutex(0)
    let value = try await eventuallyValue(within: .seconds(5), every: .zero) {
      looks.withLock { looks in
        looks += 1
        return looks >= 2 ? "ready" : nil
      }
    }
    #expect(value == "ready")
  }

  @Test func noValueFailsTheTestAndAnswersNil() async throws {
    var value: Int? = 1
    try await withKnownIssue {
      value = try await eventuallyValue(within: .milliseconds(30)) { nil as Int? }
    }
    #expect(value == nil)
  }
}
