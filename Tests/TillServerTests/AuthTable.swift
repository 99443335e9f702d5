import Foundation
import TillCore
import TillTestSupport

/// Who may call what: one row per route of the router, one expected answer per kind of caller.
enum AuthTable {
  /// Every kind of caller: the harness's own and a token nobody configured.
  enum Caller: String, CaseIterable, Sendable, CustomStringConvertible {
    case nobody, unknownToken, terminal, cashier, otherCashier, manager, otherTerminal, admin
    var description: String { rawValue }

    /// The harness caller this one is, nil for the unknown token.
    var harnessCaller: ServerHarness.Caller? {
      switch self {
      case .nobody: .nobody
      case .unknownToken: nil
      case .terminal: .terminal
      case .cashier: .cashier
      case .otherCashier: .otherCashier
      case .manager: .manager
      case .otherTerminal: .otherTerminal
      case .admin: .admin
      }
    }
  }

  /// As long as terminal till-1's token and differing only in its last character: the closest miss.
  static let unknownToken = String(ServerHarness.staffToken.dropLast()) + "X"

  /// An expected answer: its status and, for a refusal, its problem kind.
  struct Answer: Sendable, Equatable, CustomStringConvertible {
    var status: Int
    var kind: ProblemKind?
    var description: String { "\(status)" + (kind.map { " \($0.rawValue)" } ?? "") }

    var succeeds: Bool { (200..<300).contains(status) }

    static func ok(_ status: Int = 200) -> Answer { Answer(status: status, kind: nil) }
    static let unauthorized = Answer(status: 401, kind: .unauthorized)
    static let forbidden = Answer(status: 403, kind: .forbidden)
    static let signInRequired = Answer(status: 403, kind: .signInRequired)
    static let approvalRequired = Answer(status: 403, kind: .approvalRequired)
    static let notFound = Answer(status: 404, kind: .notFound)
    static let receiptNotIssued = Answer(status: 409, kind: .receiptNotIssued)
    static let sessionAlreadyOpen = Answer(status: 409, kind: .sessionAlreadyOpen)
    static let sessionHasOpenOrders = Answer(status: 409, kind: .sessionHasOpenOrders)
    static let orderNotRefundable = Answer(status: 409, kind: .orderNotRefundable)
  }

  /// What each route acts on, made fresh for every call: a cart (one line) and a placed order of
  /// cashier 1001 on till-1 (in till-1's open register session, which stays open), and a person the
  /// staff routes may change.
  struct Fixture: Sendable {
    var cart: String
    var order: String
    var staff: String
    var session: String
  }

  /// PINs only this table uses (8 digits: no path, id or duration contains them by chance).
  static let fixturePIN = "73915048"
  static let newStaffPIN = "82640173"
  static let resetPIN = "60428197"

  struct Row: Sendable, CustomStringConvertible {
    var method: String
    /// The documented template; `{sku}`, `{id}`, `{code}` are filled from the fixture.
    var path: String
    var expected: [Caller: Answer]
    var body: @Sendable (Fixture) -> String? = { _ in nil }

    var description: String { "\(method) \(path)" }

    func concretePath(_ fixture: Fixture) -> String {
      let id =
        path.hasPrefix("/v1/carts")
        ? fixture.cart : path.hasPrefix("/v1/register-sessions") ? fixture.session : fixture.order
      return path.replacingOccurrences(of: "{sku}", with: "TEA").replacingOccurrences(of: "{id}", with: id)
        .replacingOccurrences(of: "{refund}", with: "no-such-refund")
        .replacingOccurrences(of: "{code}", with: fixture.staff).replacingOccurrences(
          of: "{name}", with: "Test")
    }
  }

  static func answers(
    terminal: Answer, cashier: Answer, otherCashier: Answer, manager: Answer, otherTerminal: Answer,
    admin: Answer
  ) -> [Caller: Answer] {
    [
      .nobody: .unauthorized, .unknownToken: .unauthorized, .terminal: terminal, .cashier: cashier,
      .otherCashier: otherCashier, .manager: manager, .otherTerminal: otherTerminal, .admin: admin,
    ]
  }

  static let open = Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, Answer.ok()) })
  static let anyToken = answers(
    terminal: .ok(), cashier: .ok(), otherCashier: .ok(), manager: .ok(), otherTerminal: .ok(), admin: .ok())
  /// The terminal's carts and orders: anyone signed in on it; another terminal's people get 404.
  static func sameTerminal(_ success: Answer = .ok()) -> [Caller: Answer] {
    answers(
      terminal: .signInRequired, cashier: success, otherCashier: success, manager: success,
      otherTerminal: .notFound, admin: .signInRequired)
  }
  static let adminOnly = answers(
    terminal: .forbidden, cashier: .forbidden, otherCashier: .forbidden, manager: .forbidden,
    otherTerminal: .forbidden, admin: .ok())

  /// The table: one row per route of the router (checked against the router itself).
  static let rows: [Row] = [
    Row(method: "GET", path: "/v1/health", expected: open),
    Row(method: "GET", path: "/v1/ready", expected: open),
    Row(method: "GET", path: "/openapi.yaml", expected: open),
    // Loopback peers without a metrics token configured: every caller, token or none.
    Row(method: "GET", path: "/metrics", expected: open),
    Row(method: "GET", path: "/v1/products", expected: anyToken),
    Row(method: "GET", path: "/v1/products/{sku}", expected: anyToken),
    Row(method: "GET", path: "/v1/categories", expected: anyToken),
    Row(
      method: "POST", path: "/v1/products/{sku}/stock-adjustments", expected: adminOnly,
      body: { _ in #"{"delta": 3, "reason": "auth table"}"# }),
    Row(
      method: "PUT", path: "/v1/categories/{name}/tax-rate", expected: adminOnly,
      body: { _ in #"{"taxRate": 700}"# }),
    Row(
      method: "PUT", path: "/v1/products/{sku}/tax-rate", expected: adminOnly,
      body: { _ in #"{"taxRate": 1900}"# }),
    Row(method: "DELETE", path: "/v1/products/{sku}/tax-rate", expected: adminOnly),
    Row(
      method: "POST", path: "/v1/sign-in",
      expected: answers(
        terminal: .ok(), cashier: .forbidden, otherCashier: .forbidden, manager: .forbidden,
        otherTerminal: .forbidden, admin: .forbidden),
      body: { fixture in #"{"code": "\#(fixture.staff)", "pin": "\#(fixturePIN)"}"# }),
    Row(
      method: "POST", path: "/v1/sign-out",
      expected: answers(
        terminal: .signInRequired, cashier: .ok(204), otherCashier: .ok(204), manager: .ok(204),
        otherTerminal: .ok(204), admin: .signInRequired)),
    Row(
      method: "POST", path: "/v1/carts",
      expected: sameTerminal(.ok(201)).merging([.otherTerminal: .ok(201)]) { $1 }),
    Row(method: "GET", path: "/v1/carts/{id}", expected: sameTerminal()),
    Row(
      method: "POST", path: "/v1/carts/{id}/increments", expected: sameTerminal(),
      body: { _ in #"{"sku": "TEA", "delta": 1, "opId": "auth-\#(UUID().uuidString)"}"# }),
    Row(
      method: "POST", path: "/v1/carts/{id}/discounts", expected: sameTerminal(),
      body: { _ in #"{"opId": "auth-\#(UUID().uuidString)", "percent": 5}"# }),
    Row(
      method: "POST", path: "/v1/orders", expected: sameTerminal(.ok(201)),
      body: { fixture in #"{"cartId": "\#(fixture.cart)"}"# }),
    Row(method: "GET", path: "/v1/orders", expected: sameTerminal().merging([.otherTerminal: .ok()]) { $1 }),
    Row(method: "GET", path: "/v1/orders/{id}", expected: sameTerminal()),
    // The fixture's order is placed, not paid: a person on its terminal learns it has no receipt yet.
    Row(method: "GET", path: "/v1/orders/{id}/receipt", expected: sameTerminal(.receiptNotIssued)),
    Row(
      method: "POST", path: "/v1/orders/{id}/cancel",
      expected: sameTerminal().merging([.otherCashier: .approvalRequired]) { $1 }),
    Row(
      method: "POST", path: "/v1/orders/{id}/payments", expected: sameTerminal(.ok(201)),
      body: { _ in #"{"method": "card"}"# }),
    // The fixture's order is placed, not paid: nothing of it can be refunded yet.
    Row(
      method: "POST", path: "/v1/orders/{id}/refunds", expected: sameTerminal(.orderNotRefundable),
      body: { _ in #"{"lines": [{"sku": "TEA", "quantity": 1, "restock": true}], "method": "cash"}"# }),
    Row(method: "GET", path: "/v1/orders/{id}/refunds", expected: sameTerminal()),
    // No refund of that id: a person on the order's terminal learns there is none.
    Row(method: "GET", path: "/v1/orders/{id}/refunds/{refund}/receipt", expected: sameTerminal(.notFound)),
    Row(
      method: "POST", path: "/v1/staff", expected: adminOnly.merging([.admin: .ok(201)]) { $1 },
      body: { _ in
        #"{"code": "\#(Int.random(in: 100_000...999_999))", "name": "New", "role": "cashier", "pin": "\#(newStaffPIN)"}"#
      }),
    Row(method: "GET", path: "/v1/staff", expected: adminOnly),
    Row(method: "POST", path: "/v1/staff/{code}/disable", expected: adminOnly),
    Row(
      method: "POST", path: "/v1/staff/{code}/pin", expected: adminOnly,
      body: { _ in #"{"pin": "\#(resetPIN)"}"# }),
    Row(
      method: "GET", path: "/v1/audit",
      expected: adminOnly.merging([.manager: .ok()]) { $1 }),
    // Till-1's register is open (the fixture opened it); till-2's opens here, as its cashier's call.
    Row(
      method: "POST", path: "/v1/register-sessions",
      expected: sameTerminal(.sessionAlreadyOpen).merging([.otherTerminal: .ok(201)]) { $1 },
      body: { _ in #"{"openingFloat": {"amount": 0, "currency": "EUR"}}"# }),
    Row(
      method: "GET", path: "/v1/register-sessions/current",
      expected: sameTerminal().merging([.otherTerminal: .ok()]) { $1 }),
    Row(
      method: "POST", path: "/v1/register-sessions/{id}/cash-moves", expected: sameTerminal(.ok(201)),
      body: { _ in #"{"opId": "auth-\#(UUID().uuidString)", "kind": "no-sale", "reason": "auth table"}"# }),
    // The fixture's unpaid orders keep till-1's session from closing.
    Row(
      method: "POST", path: "/v1/register-sessions/{id}/close", expected: sameTerminal(.sessionHasOpenOrders),
      body: { _ in #"{"countedCash": {"amount": 0, "currency": "EUR"}}"# }),
    Row(method: "GET", path: "/v1/z-reports", expected: adminOnly.merging([.manager: .ok()]) { $1 }),
    Row(
      method: "GET", path: "/v1/z-reports/{id}",
      expected: adminOnly.merging([.manager: .notFound, .admin: .notFound]) { $1 }),
  ]
}
