import Foundation
import Testing
import TillCore
import TillTestSupport

@testable import TillServer

/// Wrong tokens sent at once over many connections, over real HTTP on loopback: the budget holds however
/// the guesses race, and a right token learns nothing while the address waits.
@Suite("Failed authentications are rate-limited per client address")
struct FailedAuthLimitTests {
  static let settings = FailedAuthBudget.Settings(burst: 10, perSecond: 2, maxAddresses: 100)

  @Test("concurrent guesses: at most the budget is looked at, the rest are 429 with Retry-After")
  func concurrentGuesses() async throws {
    let harness = try await ServerHarness.start(products: [], failedAuthentications: Self.settings)
    let started = ContinuousClock.now
    let statuses = try await withThrowingTaskGroup(of: [(Int, String?)].self) { group in
      for guesser in 0..<8 {
        group.addTask {
          let client = harness.client(token: "wrong-token-\(guesser)-0123456789abcdef")
          var seen: [(Int, String?)] = []
          for _ in 0..<25 {
            let response = try await client.get("/v1/categories")
            seen.append((response.status, response.headers["retry-after"]))
          }
          return seen
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    let elapsed = started.duration(to: .now) / .seconds(1)
    let refused = statuses.filter { $0.0 == 401 }.count
    let limited = statuses.filter { $0.0 == 429 }
    #expect(refused + limited.count == 200, "only 401 and 429 expected: \(statuses.map(\.0))")
    // The burst, plus what trickled back while the guesses ran (rounded up), never more.
    let allowed = Self.settings.burst + Int((elapsed * Double(Self.settings.perSecond)).rounded(.up))
    #expect(refused >= Self.settings.burst)
    #expect(refused <= allowed, "\(refused) guesses were looked at in \(elapsed) s")
    #expect(limited.allSatisfy { Int($0.1 ?? "") ?? 0 >= 1 })

    // The right token from the same address waits too, so a guess made now could not tell right from wrong.
    let staff = harness.client()
    let blocked = try await staff.get("/v1/categories")
    #expect(blocked.status == 429)
    let problem = try JSONDecoder().decode(Problem.self, from: Data(blocked.body))
    #expect(problem.kind == .tooManyFailedAuthentications)
    let wait = try #require(Int(blocked.headers["retry-after"] ?? ""))

    // Honouring Retry-After is enough to get back in.
    try await Task.sleep(for: .seconds(wait))
    #expect(try await staff.get("/v1/categories").status == 200)
    await harness.stop()
  }

  @Test("a till that never mistypes is never limited, and a missing token is not a guess")
  func rightTokensAreNotCounted() async throws {
    let harness = try await ServerHarness.start(products: [], failedAuthentications: Self.settings)
    let staff = harness.client()
    let anonymous = harness.client(token: nil)
    for _ in 0..<40 {
      #expect(try await staff.get("/v1/categories").status == 200)
      #expect(try await anonymous.get("/v1/categories").status == 401)
    }
    await harness.stop()
  }
}
