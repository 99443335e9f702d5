import Testing

@testable import TillBench

/// The settings `till-bench` runs with for these arguments (a scenario given, so nothing else is
/// implied), parsed and validated as the executable does.
private func settings(_ arguments: [String] = [], scenarios: String = "health") throws -> BenchSettings {
  try TillBenchCommand.parse(["--scenarios", scenarios] + arguments).settings
}

/// The message the operator sees when the command line is refused; nil when it is accepted.
private func refusal(_ arguments: [String]) -> String? {
  do {
    _ = try TillBenchCommand.parse(arguments)
    return nil
  } catch {
    return TillBenchCommand.message(for: error)
  }
}

/// `name value`, or `name=value` for a value starting with `-`, which would otherwise read as an option.
private func option(_ name: String, _ value: String) -> [String] {
  value.hasPrefix("-") ? ["\(name)=\(value)"] : [name, value]
}

@Suite struct BenchSettingsTests {
  @Test func quickAndFullRunsHaveTheirOwnDefaults() throws {
    let quick = try settings(["--quick"])
    #expect(quick.clients == [16])
    #expect(quick.duration == .seconds(1))
    #expect(quick.catalogue == 2_000)
    let full = try settings()
    #expect(full.clients == [1, 4, 16, 64])
    #expect(full.duration == .seconds(10))
    #expect(full.catalogue == 10_000)
  }

  @Test(arguments: [
    ("10s", Duration.seconds(10)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)),
    ("1.5s", .milliseconds(1_500)), ("3", .seconds(3)), (" 250ms ", .milliseconds(250)),
    ("60m", .seconds(3_600)), ("1ms", .milliseconds(1)),
  ])
  func durationsParse(text: String, expected: Duration) throws {
    #expect(try settings(["--duration", text]).duration == expected)
  }

  @Test(arguments: ["0s", "-1s", "abc", "2h", "61m", "3601s", "", "ms", "s", "nan", "infs", "10 s", "1e999s"])
  func badDurationsAreRefusedNamingThem(text: String) {
    let message = refusal(option("--duration", text))
    #expect(message?.contains("--duration") == true, "\(message ?? "accepted")")
    #expect(message?.contains("not \(text)") == true, "\(message ?? "accepted")")
  }

  /// A duration that rounds to 0 ms measures nothing, like `0s`, so it is refused like `0s`.
  @Test func aDurationRoundingToZeroIsRefused() {
    #expect(refusal(["--duration", "0.0001s"]) != nil)
  }

  @Test(arguments: [
    ("1,4,16,64", [1, 4, 16, 64]), (" 1, 4 ,16 ", [1, 4, 16]), ("256", [256]), ("1", [1]),
  ])
  func clientListsParse(text: String, expected: [Int]) throws {
    #expect(try settings(["--clients", text]).clients == expected)
  }

  @Test(arguments: [("0", "0"), ("257", "257"), ("x", "x"), ("4,x,16", "x"), ("-1", "-1"), ("1.5", "1.5")])
  func badClientCountsAreRefusedNamingThem(text: String, culprit: String) {
    let message = refusal(option("--clients", text))
    #expect(message?.contains("--clients") == true, "\(message ?? "accepted")")
    #expect(message?.hasSuffix("not \(culprit)") == true, "\(message ?? "accepted")")
  }

  /// An empty list would run nothing and still end "passed".
  @Test func emptyClientAndScenarioListsAreRefused() {
    #expect(refusal(["--clients", ""]) != nil)
    #expect(refusal(["--scenarios", ""]) != nil)
  }

  @Test(arguments: [
    "http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.1:8080/",
  ])
  func loopbackServersAreAccepted(url: String) throws {
    let settings = try settings([
      "--server", url, "--token", "staff", "--admin-token", "admin", "--staff-code", "1001",
    ])
    guard case .remote(let target, let token, let admin, let cashier) = settings.target else {
      Issue.record("expected a remote target for \(url)")
      return
    }
    #expect(!target.hasSuffix("/"))
    #expect(url.hasPrefix(target))
    #expect(token == "staff")
    #expect(admin == "admin")
    #expect(cashier.code == "1001")
  }

  @Test(arguments: [
    "http://example.com:8080", "http://10.0.0.1:8080", "http://127.0.0.1.example.com:8080",
    "http://localhost.example.com", "https://93.184.216.34", "not a url",
  ])
  func nonLoopbackServersAreRefused(url: String) {
    let message = refusal(["--server", url, "--token", "staff"])
    #expect(message?.contains("loopback") == true)
  }

  @Test func aServerNeedsAToken() {
    let message = refusal(["--server", "http://127.0.0.1:8080", "--token", ""])
    #expect(message?.contains("--token") == true)
  }

  /// Carts and orders need a staff session, so the bench signs a cashier in on the server's till.
  @Test func aServerNeedsTheCashierWhoSignsIn() {
    let message = refusal(["--server", "http://127.0.0.1:8080", "--token", "staff", "--staff-code", ""])
    #expect(message?.contains("--staff-code") == true && message?.contains("TILL_STAFF_PIN") == true)
  }

  @Test func unknownScenariosAreRefusedNamingTheBadOne() {
    let message = refusal(["--scenarios", "health,checkout-storm,pay"])
    #expect(message?.contains("unknown scenario checkout-storm") == true)
    #expect(message?.contains("health, browse") == true)
  }

  @Test func allExpandsToEveryScenario() throws {
    #expect(try settings(scenarios: "all").scenarios == Scenario.allCases)
    #expect(try TillBenchCommand.parse([]).settings.scenarios == Scenario.allCases)
    #expect(Scenario.allCases.count == 9)
  }

  /// Ceilings are measured before the scenarios whose ratios need them, whatever order was asked.
  @Test func scenariosRunInCanonicalOrder() throws {
    let chosen = try settings(scenarios: " store-order-hot, order-hot ,health,health").scenarios
    #expect(chosen == [.health, .orderHot, .storeOrderHot])
  }

  @Test(arguments: [("sqlite", ["sqlite"]), ("postgres", ["postgres"]), ("both", ["sqlite", "postgres"])])
  func enginesSelectLocalBackEnds(engine: String, expected: [String]) throws {
    guard case .local(let engines) = try settings(["--engine", engine]).target else {
      Issue.record("expected local back ends for --engine \(engine)")
      return
    }
    #expect(engines.map(\.rawValue) == expected)
  }

  @Test func bothEnginesAreTheDefault() throws {
    guard case .local(let engines) = try settings().target else {
      Issue.record("expected local back ends by default")
      return
    }
    #expect(engines == [.sqlite, .postgres])
  }

  @Test func unknownEnginesAreRefusedNamingThem() {
    let message = refusal(["--engine", "mysql"])
    #expect(message?.contains("--engine") == true)
    #expect(message?.contains("mysql") == true)
  }

  @Test(arguments: [2, 0, -5, 200_001])
  func cataloguesOutOfRangeAreRefused(count: Int) {
    #expect(refusal(["--catalogue", String(count)])?.contains("--catalogue") == true)
  }
}
