import Foundation
import Testing
import TillCore

@testable import TillTUI

func euro(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }

enum Fixtures {
  static let croissant = Product(
    sku: "BAK-001", name: "Croissant", category: "Bakery", price: euro(190), stock: 90,
    barcode: "4012802137743")
  static let broetchen = Product(
    sku: "BAK-003", name: "Brötchen", category: "Bakery", price: euro(60), stock: 2, barcode: "4033665086856")
  static let creme = Product(
    sku: "BAK-010", name: "Crème brûlée", category: "Bakery", price: euro(450), stock: 0,
    barcode: "4026096519000")
  static let cafe = Product(
    sku: "COF-001", name: "Café crème", category: "Coffee", price: euro(320), stock: 40,
    barcode: "4001000000017")
  static let matcha = Product(
    sku: "TEA-007", name: "抹茶ラテ matcha", category: "Tea", price: euro(420), stock: 12,
    barcode: "4001000000079")

  static let products = [croissant, broetchen, creme, cafe, matcha]
  static let categories = [
    Category(name: "Bakery", count: 3), Category(name: "Coffee", count: 1), Category(name: "Tea", count: 1),
  ]

  static let configuration = AppConfiguration(
    shopName: "Bäckerei Sonne", terminalName: "T1", currency: "EUR", sessionId: "S")

  static let cashier = SignedInStaff(
    person: StaffSummary(code: "1001", name: "Ana Cashier", role: .cashier), terminal: "T1")
  static let otherCashier = SignedInStaff(
    person: StaffSummary(code: "1002", name: "Ben Cashier", role: .cashier), terminal: "T1")

  /// A state with categories and products loaded, `cashier` signed in, nothing in the cart.
  static func state(size: Size = Size(columns: 100, rows: 30)) -> AppState {
    var state = AppState(configuration: configuration, size: size)
    state.signInAs(cashier)
    _ = state.start()
    _ = state.update(.categoriesLoaded(.success(categories)))
    _ = state.update(
      .productsLoaded(.list(generation: state.productGeneration), .success(Page(items: products, next: nil))))
    state.status = nil  // "Signed in as …" is the sign-in tests' business
    return state
  }

  static func line(_ product: Product, _ quantity: Int) -> Cart.Line {
    Cart.Line(
      sku: product.sku, name: product.name, quantity: quantity, unitPrice: product.price,
      lineTotal: euro(product.price.amount * quantity), available: product.stock)
  }

  static func cart(_ lines: [Cart.Line], id: String = "cart-1") -> Cart {
    Cart(id: id, status: .open, lines: lines, total: euro(lines.reduce(0) { $0 + $1.lineTotal.amount }))
  }

  static func order(
    _ lines: [Cart.Line], number: Int = 7, status: Order.Status = .placed, id: String = "order-1"
  )
    -> Order
  {
    Order(
      id: id, number: number, status: status,
      lines: lines.map {
        Order.Line(
          sku: $0.sku, name: $0.name, quantity: $0.quantity, unitPrice: $0.unitPrice, lineTotal: $0.lineTotal)
      },
      total: euro(lines.reduce(0) { $0 + $1.lineTotal.amount }), createdAt: "2026-11-25T12:00:00Z",
      payment: nil)
  }

  /// A state whose cart holds the given lines as the server confirmed them.
  static func state(withCart lines: [Cart.Line], size: Size = Size(columns: 100, rows: 30)) -> AppState {
    var state = state(size: size)
    state.cart = cart(lines)
    state.cartRequested = true
    return state
  }
}

extension AppState {
  /// Signs `person` in as the server's answer would, without typing (the sign-in tests type).
  @discardableResult
  mutating func signInAs(_ person: SignedInStaff) -> [Effect] {
    signIn.sending = true
    return update(.signedIn(.success(person)))
  }

  /// Types a code, Tab and a PIN into the form on screen (sign-in or approval), without Enter.
  @discardableResult
  mutating func typeCredentials(_ code: String, _ pin: String) -> [Effect] {
    type(code) + press(.tab) + type(pin)
  }

  /// Presses keys in order, collecting every effect.
  mutating func press(_ keys: Key...) -> [Effect] {
    keys.flatMap { update(.key($0)) }
  }

  mutating func type(_ text: String) -> [Effect] {
    text.flatMap { update(.key(.character($0))) }
  }

  /// Answers the product list being loaded with `items`, as the server would.
  @discardableResult
  mutating func answerList(_ items: [Product] = Fixtures.products, next: String? = nil) -> [Effect] {
    update(.productsLoaded(.list(generation: productGeneration), .success(Page(items: items, next: next))))
  }

  /// Fails the increment on its way for want of a network: it waits for a retry, and keys no longer wait
  /// for it (edits typed now queue and coalesce behind it).
  mutating func failIncrementOffline() {
    guard let operation = inFlight else { return }
    _ = update(.incrementFinished(opId: operation.opId, .failure(.offline("connection refused"))))
  }

  /// Answers the increment on its way with the server's cart `lines`.
  @discardableResult
  mutating func answerIncrement(_ lines: [Cart.Line]) -> [Effect] {
    guard let operation = inFlight else { return [] }
    return update(.incrementFinished(opId: operation.opId, .success(Fixtures.cart(lines))))
  }
}

/// The increments among effects, as (sku, delta, opId).
func increments(_ effects: [Effect]) -> [(sku: String, delta: Int, opId: String)] {
  effects.compactMap {
    if case .increment(_, let sku, let delta, let opId) = $0 { return (sku, delta, opId) }
    return nil
  }
}

/// What comparing a screen with its golden file found.
enum GoldenOutcome: Equatable {
  case match, written, missing
  case mismatch(expected: String)
}

/// Compares `actual` with the golden file at `url`, or rewrites the file when `update` is set.
func compareGolden(_ actual: String, at url: URL, update: Bool) -> GoldenOutcome {
  if update {
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    return (try? Data(actual.utf8).write(to: url)) == nil ? .missing : .written
  }
  guard let data = FileManager.default.contents(atPath: url.path) else { return .missing }
  let expected = String(decoding: data, as: UTF8.self)
  return expected == actual ? .match : .mismatch(expected: expected)
}

/// Compares a screen with its golden file under Golden/; UPDATE_SNAPSHOTS=1 rewrites it. A missing golden
/// file fails the test, so a new screen is only accepted on purpose.
func expectGolden(_ screen: Screen, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  expectGolden(text: screen.text, name, sourceLocation: sourceLocation)
}

/// The same for a screen's text (one with its changing parts masked).
func expectGolden(text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
  let url = directory.appendingPathComponent(name + ".txt")
  let actual = text + "\n"
  let update = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
  switch compareGolden(actual, at: url, update: update) {
  case .match, .written: break
  case .missing:
    Issue.record(
      "missing golden screen \(url.path); run with UPDATE_SNAPSHOTS=1 to create it:\n\(actual)",
      sourceLocation: sourceLocation)
  case .mismatch(let expected):
    Issue.record(
      "screen differs from \(name).txt\nexpected:\n\(expected)\nactual:\n\(actual)",
      sourceLocation: sourceLocation)
  }
}
