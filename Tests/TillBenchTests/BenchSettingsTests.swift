import Testing

@testable import till_bench

/// The command line as `TillBenchCommand` hands it over, with the defaults of an option left out.
private func settings(
  engine: String = "sqlite", server: String? = nil, token: String? = nil, adminToken: String? = nil,
  scenarios: String = "health", clients: String? = nil, duration: String? = nil, catalogue: Int? = nil,
  quick: Bool = false
) throws -> BenchSettings {
  try BenchSettings(
    engine: engine, server: server, token: token, adminToken: adminToken, scenarios: scenarios,
    clients: clients, duration: duration, catalogue: catalogue, quick: quick, comparePgbench: false)
}

/// The message the operator sees when `body` refuses its input.
private func refusal(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return String(describing: error)
  }
}

@Suite struct BenchSettingsTests {
  @Test func quickModeDefaultsToSixteenClients() throws {
    let settings = try BenchSettings(
      engine: "sqlite", server: nil, token: nil, adminToken: nil, scenarios: "health", clients: nil,
      duration: nil, catalogue: nil, quick: true, comparePgbench: false)
    #expect(settings.clients == [16])
  }

  @Test func quickAndFullRunsHaveTheirOwnDefaults() throws {
    let quick = try settings(quick: true)
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
    ("60m", .seconds(3_600)),
  ])
  func durationsParse(text: String, expected: Duration) throws {
    #expect(try BenchSettings.parseDuration(text) == expected)
    #expect(try settings(duration: text).duration == expected)
  }

  @Test(arguments: ["0s", "-1s", "abc", "2h", "61m", "3601s", "", "ms", "s", "nan", "infs", "10 s"])
  func badDurationsAreRefusedNamingThem(text: String) {
    let message = refusal { _ = try BenchSettings.parseDuration(text) }
    #expect(message?.contains("--duration") == true)
    #expect(message?.contains("not \(text)") == true)
  }

  /// A duration that rounds to 0 ms measures nothing, like `0s`, so it is refused like `0s`.
  @Test func aDurationRoundingToZeroIsRefused() {
    #expect(refusal { _ = try BenchSettings.parseDuration("0.0001s") } != nil)
  }

  @Test(arguments: [
    ("1,4,16,64", [1, 4, 16, 64]), (" 1, 4 ,16 ", [1, 4, 16]), ("256", [256]), ("1", [1]),
  ])
  func clientListsParse(text: String, expected: [Int]) throws {
    #expect(try settings(clients: text).clients == expected)
  }

  @Test(arguments: [("0", "0"), ("257", "257"), ("x", "x"), ("4,x,16", "x"), ("-1", "-1"), ("1.5", "1.5")])
  func badClientCountsAreRefusedNamingThem(text: String, culprit: String) {
    let message = refusal { _ = try settings(clients: text) }
    #expect(message?.contains("--clients") == true)
    #expect(message?.hasSuffix("not \(culprit)") == true)
  }

  /// An empty list would run nothing and still end "passed".
  @Test func emptyClientAndScenarioListsAreRefused() {
    #expect(refusal { _ = try settings(clients: "") } != nil)
    #expect(refusal { _ = try settings(scenarios: "") } != nil)
  }

  @Test(arguments: [
    "http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.1:8080/",
  ])
  func loopbackServersAreAccepted(url: String) throws {
    let settings = try settings(server: url, token: "staff", adminToken: "admin")
    guard case .remote(let target, let token, let admin) = settings.target else {
      Issue.record("expected a remote target for \(url)")
      return
    }
    #expect(!target.hasSuffix("/"))
    #expect(url.hasPrefix(target))
    #expect(token == "staff")
    #expect(admin == "admin")
  }

  @Test(arguments: [
    "http://example.com:8080", "http://10.0.0.1:8080", "http://127.0.0.1.example.com:8080",
    "http://localhost.example.com", "https://93.184.216.34", "not a url",
  ])
  func nonLoopbackServersAreRefused(url: String) {
    let message = refusal { _ = try settings(server: url, token: "staff") }
    #expect(message?.contains("loopback") == true)
  }

  @Test(arguments: [nil, ""] as [String?])
  func aServerNeedsAToken(token: String?) {
    let message = refusal { _ = try settings(server: "http://127.0.0.1:8080", token: token) }
    #expect(message?.contains("--token") == true)
  }

  @Test func unknownScenariosAreRefusedNamingTheBadOne() {
    let message = refusal { _ = try settings(scenarios: "health,checkout-storm,pay") }
    #expect(message?.contains("unknown scenario checkout-storm") == true)
    #expect(message?.contains("health, browse") == true)
  }

  @Test func allExpandsToEveryScenario() throws {
    #expect(try settings(scenarios: "all").scenarios == Scenario.allCases)
    #expect(Scenario.allCases.count == 9)
  }

  /// Ceilings are measured before the scenarios whose ratios need them, whatever order was asked.
  @Test func scenariosRunInCanonicalOrder() throws {
    let chosen = try settings(scenarios: " store-order-hot, order-hot ,health,health").scenarios
    #expect(chosen == [.health, .orderHot, .storeOrderHot])
  }

  @Test(arguments: [("sqlite", ["sqlite"]), ("postgres", ["postgres"]), ("both", ["sqlite", "postgres"])])
  func enginesSelectLocalBackEnds(engine: String, expected: [String]) throws {
    guard case .local(let engines) = try settings(engine: engine).target else {
      Issue.record("expected local back ends for --engine \(engine)")
      return
    }
    #expect(engines == expected)
  }

  @Test func unknownEnginesAreRefusedNamingThem() {
    let message = refusal { _ = try settings(engine: "mysql") }
    #expect(message?.contains("--engine") == true)
    #expect(message?.contains("mysql") == true)
  }

  @Test(arguments: [2, 0, -5, 200_001])
  func cataloguesOutOfRangeAreRefused(count: Int) {
    #expect(refusal { _ = try settings(catalogue: count) }?.contains("--catalogue") == true)
  }
}
