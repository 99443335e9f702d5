import Foundation
import TillCore
import TillHTTP
import TillTestSupport

/// The fuzzer's routes, checks and input generators.
extension HTTPFuzzTests {
  // MARK: routes

  enum Route: CaseIterable, CustomStringConvertible {
    case increment, order, payment, stockAdjustment

    var description: String {
      switch self {
      case .increment: "increment"
      case .order: "order"
      case .payment: "payment"
      case .stockAdjustment: "stock-adjustment"
      }
    }

    func path(_ world: World) -> String {
      switch self {
      case .increment: "/v1/carts/\(world.cartId)/increments"
      case .order: "/v1/orders"
      case .payment: "/v1/orders/\(world.orderId)/payments"
      case .stockAdjustment: "/v1/products/FZ-A/stock-adjustments"
      }
    }

    /// A valid body of the route, mutated (every fourth case is left valid but for a random value).
    func body(index: Int, world: World, random: inout SplitMix64) -> [UInt8] {
      let valid: JSON =
        switch self {
        case .increment:
          .object([
            "sku": .string(["FZ-A", "FZ-B", "FZ-C"][random.below(3)]), "delta": .int(random.below(21) - 10),
            "opId": .string("fz-\(index)-\(random.next() % 1_000_000)"),
          ])
        case .order: .object(["cartId": .string(world.emptyCartId)])
        case .payment:
          random.below(2) == 0
            ? .object(["method": .string("card")])
            : .object([
              "method": .string("cash"),
              "tendered": .object(["amount": .int(random.below(1_000)), "currency": .string("EUR")]),
            ])
        case .stockAdjustment:
          .object(["delta": .int(random.below(41) - 20), "reason": .string("fuzz \(index)")])
        }
      return index % 4 == 0 ? valid.bytes : Mutator.mutate(valid, &random)
    }
  }

  // MARK: checks

  /// Never a 5xx; every error a problem document agreeing with the status.
  static func checkShape(_ response: HTTPResponse, _ what: String, _ tally: inout Tally) {
    // The one designed 5xx: card payments on a server without a card provider (cash still works).
    let cardsOff = response.status == 503 && response.problem?.kind == .cardPaymentsNotConfigured
    if response.status >= 500 && !cardsOff {
      tally.violations.append("\(response.status) for \(what): \(response.text)")
      return
    }
    guard response.status >= 400 else { return }
    guard let problem = response.problem else {
      tally.violations.append("\(response.status) without a problem document for \(what)")
      return
    }
    if problem.status != response.status || !problem.type.hasPrefix("/problems/") {
      tally.violations.append("problem \(problem.type) \(problem.status) on a \(response.status) for \(what)")
    }
  }

  /// An accepted request changed only what its route may change, within the limits.
  static func checkAccepted(
    _ route: Route, _ response: HTTPResponse, before: Snapshot, after: Snapshot, _ tally: inout Tally
  ) {
    var ok = true
    switch route {
    case .increment:
      ok =
        after.stock == before.stock && after.order == before.order && after.emptyCart == before.emptyCart
        && after.cart.lines.count <= Limits.maxCartLines
        && after.cart.lines.allSatisfy { (1...Limits.maxLineQuantity).contains($0.quantity) }
        && (try? JSONDecoder().decode(Cart.self, from: Data(response.body))) == after.cart
    case .order:
      ok = false  // the only cart it can name is empty: an order must never be placed
    case .payment:
      let payment = after.order.payment
      ok =
        after.stock == before.stock && after.cart == before.cart && after.order.status == .paid
        && payment?.status == .succeeded && payment?.amount == after.order.total
        && (payment?.change.map { $0.amount >= 0 } ?? true)
    case .stockAdjustment:
      let old = before.stock["FZ-A"] ?? -1
      let new = after.stock["FZ-A"] ?? -1
      var others = after.stock
      others["FZ-A"] = old
      // Cart lines show live stock (`available`): only that may move in the carts.
      ok =
        others == before.stock && new >= 0 && new != old && abs(new - old) <= Limits.maxStockAdjustment
        && withoutStock(after.cart) == withoutStock(before.cart) && after.order == before.order
    }
    if !ok {
      tally.violations.append("accepted \(route) \(response.status) broke an invariant: \(response.text)")
    }
  }

  static func withoutStock(_ cart: Cart) -> Cart {
    var copy = cart
    for index in copy.lines.indices { copy.lines[index].available = 0 }
    return copy
  }

  // MARK: inputs

  static func key(_ random: inout SplitMix64, index: Int) -> String {
    switch random.below(4) {
    case 0: "fz-key-\(index)-\(random.next())"
    case 1: String(repeating: "k", count: 200 + random.below(100))
    case 2: "spaces are bad \(index)"
    default:
      String(
        JSON.randomString(&random).unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
      )
    }
  }

  static let segments = [
    "v1", "products", "carts", "orders", "categories", "health", "payments", "increments",
    "stock-adjustments", "FZ-A", "..", ".", "", "%00", "%2F", "%FF", "%", "~",
    String(repeating: "s", count: 80),
  ]

  /// A request line: a method and a path with a query string, percent-encoded so libcurl sends it as is.
  static func randomRequest(_ world: World, _ random: inout SplitMix64) -> (String, String) {
    let method = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"][random.below(8)]
    var parts = ["v1"]
    let known = [
      "products", "products/FZ-A", "carts/\(world.cartId)", "orders", "orders/\(world.orderId)", "categories",
      "carts/\(world.emptyCartId)",
    ]
    parts.append(known[random.below(known.count)])
    for _ in 0..<random.below(3) {
      parts.append(
        random.below(2) == 0 ? segments[random.below(segments.count)] : encode(JSON.randomString(&random)))
    }
    var path = "/" + parts.joined(separator: "/")
    if random.below(2) == 0 {
      let names = ["q", "category", "limit", "after", "status", "x"]
      let values = [
        "0", "1", "500", "501", "-1", "1e3", "99999999999999999999", "paid", "open", "", "%FF", "%00",
      ]
      let query = (0..<(1 + random.below(4))).map { _ in
        let value =
          random.below(2) == 0 ? values[random.below(values.count)] : encode(JSON.randomString(&random))
        return names[random.below(names.count)] + "=" + value
      }
      path += "?" + query.joined(separator: "&")
    }
    return (method, path)
  }

  /// Percent-encodes everything but unreserved characters.
  static func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      let unreserved =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
      out += unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    return out
  }
}
