import Foundation

/// The scenarios `--scenarios` names, in the order a full run measures them.
enum Scenario: String, CaseIterable, Sendable {
  /// `GET /v1/health`: the empty route, the HTTP ceiling.
  case health
  /// Product searches with varied queries.
  case browse
  /// `+1` on one line of one cart shared by every client.
  case incrementHot = "increment-hot"
  /// `+1` on many lines: each client its own 10-line cart, cycling over its own products.
  case incrementSpread = "increment-spread"
  /// Orders of 3-line carts on the same 3 hot products; only `POST /v1/orders` is timed.
  case orderHot = "order-hot"
  /// Orders of 3-line carts on products drawn from the whole catalogue; only the POST is timed.
  case orderSpread = "order-spread"
  /// Card payments through the sandbox provider; only the payment POST is timed.
  case pay
  /// The order transaction of `order-hot` called on the Store directly, no HTTP: the engine ceiling.
  case storeOrderHot = "store-order-hot"
  /// The front end's figures (startup, key latency, memory); once per run, not per engine.
  case frontend

  /// Parses `a,b,…` or `all`.
  static func parseList(_ text: String) throws -> [Scenario] {
    if text == "all" { return allCases }
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let chosen = try names.map { name in
      guard let scenario = Scenario(rawValue: name) else {
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        throw BenchError("unknown scenario \(name); known: \(known), or all")
      }
      return scenario
    }
    guard !chosen.isEmpty else { throw BenchError("--scenarios needs at least one scenario, or all") }
    // Measured in the canonical order, whatever order was asked, so ceilings come before ratios.
    return allCases.filter(chosen.contains)
  }
}
