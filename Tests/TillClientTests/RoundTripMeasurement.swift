import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillTestSupport

/// Prints the median round trip of an increment on loopback: over one kept-alive connection, and with a
/// new TCP connection per request (and the same for a product read, which has no disk write to hide the
/// connection cost). A measurement, not an assertion on speed (timings vary with the machine and its
/// load); the test checks only that every measured increment was applied.
///
/// Run: `swift test --filter RoundTripMeasurement`
@Suite("Round-trip measurement")
struct RoundTripMeasurement {
  static let samples = 150

  @Test("median round trips, kept-alive vs new connection per request")
  func measure() async throws {
    try await withClientServer { harness in
      // Interleaved runs, so a burst of load on the machine does not favour one mode.
      var increments: [Bool: [Duration]] = [:]
      var reads: [Bool: [Duration]] = [:]
      for round in 0..<2 {
        for reuses in round == 0 ? [true, false] : [false, true] {
          let client = Self.client(harness, reusesConnections: reuses)
          increments[reuses, default: []] += try await Self.incrementTimes(client)
          reads[reuses, default: []] += try await Self.readTimes(client)
        }
      }
      print(
        """
        [round-trip] loopback, \(2 * Self.samples) samples per figure, median (p90):
        [round-trip]   increment, kept-alive connection:      \(Self.summary(increments[true] ?? []))
        [round-trip]   increment, new connection per request: \(Self.summary(increments[false] ?? []))
        [round-trip]   product read, kept-alive connection:      \(Self.summary(reads[true] ?? []))
        [round-trip]   product read, new connection per request: \(Self.summary(reads[false] ?? []))
        """)
    }
  }

  @Test("median GET round trip of the transport alone, against the minimal loopback server")
  func transportAlone() async throws {
    let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Array("ok".utf8)) }
    defer { server.stop() }
    var times: [Bool: [Duration]] = [:]
    for reuses in [true, false, true, false] {
      let connection = HTTPConnection(
        baseURL: server.baseURL, configuration: .init(reusesConnections: reuses))
      let clock = ContinuousClock()
      for _ in 0..<Self.samples {
        let start = clock.now
        let response = try await connection.send(HTTPRequest(method: "GET", path: "/"))
        times[reuses, default: []].append(clock.now - start)
        #expect(response.status == 200)
      }
    }
    #expect(server.acceptedConnections == 2 + 2 * Self.samples)
    print(
      """
      [round-trip] transport alone (TillHTTP GET, minimal server), median (p90):
      [round-trip]   kept-alive connection:      \(Self.summary(times[true] ?? []))
      [round-trip]   new connection per request: \(Self.summary(times[false] ?? []))
      """)
  }

  static func client(_ harness: ServerHarness, reusesConnections: Bool) -> TillClient {
    var configuration = ClientFixtures.configuration
    configuration.reusesConnections = reusesConnections
    return TillClient(baseURL: harness.baseURL, token: ServerHarness.staffToken, configuration: configuration)
  }

  static func incrementTimes(_ client: TillClient) async throws -> [Duration] {
    // Selling needs someone signed in on the till.
    _ = try await client.signIn(code: ServerHarness.cashier.code, pin: ServerHarness.cashier.pin)
    let cart = try await client.createCart()
    // Warm up both sides (first-request costs, caches) before timing.
    for _ in 0..<10 { _ = try await client.increment(cartId: cart.id, sku: "CL-4", delta: 1) }
    let clock = ContinuousClock()
    var times: [Duration] = []
    for index in 0..<samples {
      let start = clock.now
      _ = try await client.increment(cartId: cart.id, sku: "CL-4", delta: index.isMultiple(of: 2) ? 1 : -1)
      times.append(clock.now - start)
    }
    let quantity = try await client.cart(id: cart.id).lines.first?.quantity
    #expect(quantity == 10)
    return times
  }

  static func readTimes(_ client: TillClient) async throws -> [Duration] {
    let clock = ContinuousClock()
    var times: [Duration] = []
    for _ in 0..<samples {
      let start = clock.now
      _ = try await client.product(sku: "CL-4")
      times.append(clock.now - start)
    }
    return times
  }

  static func summary(_ times: [Duration]) -> String {
    let sorted = times.sorted()
    guard !sorted.isEmpty else { return "no samples" }
    return "\(micros(sorted[sorted.count / 2])) (\(micros(sorted[sorted.count * 9 / 10])))"
  }

  static func micros(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return "\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000) µs"
  }
}
