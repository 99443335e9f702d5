import Foundation
import GRDB
import Testing
import TillClient
import TillCore
import TillServer
import TillStore
import TillTUI
import TillTestSupport

/// One till under test: the real `Program`, headless, on `TillClientBackend` over HTTP.
///
/// It starts with the demo cashier signing in by typing. Keys go in as a person (or a scanner) types them,
/// without waiting in between; `settle()` waits until
/// every key was taken and every answer it waited for has arrived.
final class CounterTill: Sendable {
  let program: Program
  let terminal: HeadlessTerminal
  let client: TillClient
  private let loop: Task<Void, any Error>

  /// Client timeouts short enough that a back end that is down shows as offline quickly.
  static let clientConfiguration = TillClient.Configuration(
    connectTimeout: .seconds(1), requestTimeout: .seconds(2))

  init(
    baseURL: String, token: String = ServerHarness.staffToken, size: Size = Size(columns: 100, rows: 30),
    pageSize: Int = 200
  ) {
    let terminal = HeadlessTerminal(size: size)
    let client = TillClient(baseURL: baseURL, token: token, configuration: Self.clientConfiguration)
    let program = Program(
      configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId(), pageSize: pageSize),
      backend: TillClientBackend(client: client), terminal: terminal, tickInterval: .milliseconds(250))
    self.terminal = terminal
    self.client = client
    self.program = program
    loop = Task { try await program.run() }
    // The till starts at the sign-in screen: the demo cashier signs in, typed like every other key.
    terminal.signIn()
  }

  var screen: String { program.screen.text }
  var state: AppState { program.state }

  /// Presses `keys` one after the other, without waiting for anything.
  func press(_ keys: Key...) {
    keys.forEach(terminal.press)
  }

  /// Types `text` a character at a time, without waiting for anything.
  func type(_ text: String) {
    text.forEach { terminal.press(.character($0)) }
  }

  func scan(_ code: String) {
    terminal.scan(code)
  }

  /// Waits until every key was taken and no answer is awaited (a few polls in a row, so an answer that
  /// starts a follow-up call is not mistaken for the end).
  func settle(within timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation)
    async throws
  {
    var quiet = 0
    let settled = try await eventually(
      within: timeout, every: .milliseconds(10),
      "not settled (\(state.heldKeys.count) keys held):\n\(screen)", sourceLocation: sourceLocation
    ) {
      quiet = program.isIdle && state.heldKeys.isEmpty ? quiet + 1 : 0
      return quiet >= 3
    }
    guard settled else { throw CounterTillError.notSettled }
  }

  /// Waits until `condition` holds on the state and screen.
  func wait(
    for what: String, within timeout: Duration = .seconds(5),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: (AppState, String) -> Bool
  ) async throws {
    let held = try await eventually(
      within: timeout, "\(what) not seen:\n\(screen)", sourceLocation: sourceLocation
    ) { condition(state, screen) }
    guard held else { throw CounterTillError.notSettled }
  }

  /// Waits until the screen shows `text`.
  func waitFor(
    _ text: String, within timeout: Duration = .seconds(5), sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    try await wait(for: "\"\(text)\"", within: timeout, sourceLocation: sourceLocation) { $1.contains(text) }
  }

  /// The cart panel's text (the right-hand columns of the list rows).
  var cartPanel: String {
    let shown = program.screen
    let left = shown.size.columns - max(32, shown.size.columns * 2 / 5)
    return (2..<(shown.size.rows - 2)).map { row in
      (left..<shown.size.columns).map { shown[row, $0].text }.joined()
    }.joined(separator: "\n")
  }

  func stop() async throws {
    program.stop()
    try await loop.value
  }

  /// Runs `body` with a till whose first product list has arrived (unless `loaded` is false), and
  /// stops the till afterwards, also when `body` throws.
  static func with<T>(
    _ baseURL: String, token: String = ServerHarness.staffToken, size: Size = Size(columns: 100, rows: 30),
    pageSize: Int = 200, loaded: Bool = true, isolation: isolated (any Actor)? = #isolation,
    _ body: (CounterTill) async throws -> T
  ) async throws -> T {
    let till = CounterTill(baseURL: baseURL, token: token, size: size, pageSize: pageSize)
    do {
      if loaded {
        try await till.wait(for: "the sign-in and the product list") { state, _ in
          state.staff != nil && !state.products.isEmpty
        }
        try await till.settle()
      }
      let result = try await body(till)
      try await till.stop()
      return result
    } catch {
      till.program.stop()
      _ = await till.loop.result
      throw error
    }
  }
}

enum CounterTillError: Error {
  case notSettled
}

/// A payment as the server's database holds it.
struct PaymentRow: Hashable, Sendable {
  var orderId: String
  var method: String
  var status: String
  var amount: Int
  var tendered: Int?
}

extension EndToEndBackend {
  /// Every payment attempt the server recorded, oldest first, read from its database.
  func paymentRows() async throws -> [PaymentRow] {
    let store = try #require(server.store as? SQLiteStore, "the end-to-end back end runs on SQLite")
    return try await ServerRows.payments(atPath: store.path)
  }

  /// This till's only cart on screen, as the server holds it: SKU to quantity.
  func serverCart(of till: CounterTill) async throws -> [String: Int] {
    guard let cart = till.state.cart else { return [:] }
    let lines = try await client().cart(id: cart.id).lines
    return Dictionary(uniqueKeysWithValues: lines.map { ($0.sku, $0.quantity) })
  }
}

/// Reads the server's rows straight from its SQLite file (read-only, beside the running server).
enum ServerRows {
  static func payments(atPath path: String) async throws -> [PaymentRow] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    return try await queue.read { db in
      try Row.fetchAll(
        db, sql: "SELECT order_id, method, status, amount, tendered FROM payments ORDER BY created_at, rowid"
      ).map { row in
        PaymentRow(
          orderId: row["order_id"], method: row["method"], status: row["status"], amount: row["amount"],
          tendered: row["tendered"])
      }
    }
  }

  /// Quantities of every cart line in the database, as "cart SKU quantity" rows.
  static func cartLines(atPath path: String) async throws -> [(cart: String, sku: String, quantity: Int)] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    return try await queue.read { db in
      try Row.fetchAll(db, sql: "SELECT cart_id, sku, quantity FROM cart_lines ORDER BY cart_id, sku").map {
        (cart: $0["cart_id"], sku: $0["sku"], quantity: $0["quantity"])
      }
    }
  }
}

/// A back end whose card provider can leave a payment pending: the server asks the provider once per
/// request and its recovery pass asks again every `recoveryInterval`.
struct PendingCardBackend {
  let server: ServerHarness
  let sandbox: SandboxHarness

  static func with<T>(
    recoveryInterval: Duration, isolation: isolated (any Actor)? = #isolation,
    _ body: (PendingCardBackend) async throws -> T
  ) async throws -> T {
    let sandbox = try await SandboxHarness.start()
    let server: ServerHarness
    do {
      server = try await ServerHarness.start(
        products: try DemoCatalogue.load(), paymentProvider: ServerHarness.provider(sandbox),
        recoveryInterval: recoveryInterval, retryPolicy: PaymentCoordinator.RetryPolicy(maxCalls: 1))
    } catch {
      await sandbox.stop()
      throw error
    }
    let backend = PendingCardBackend(server: server, sandbox: sandbox)
    do {
      let result = try await body(backend)
      await server.stop()
      await sandbox.stop()
      return result
    } catch {
      await server.stop()
      await sandbox.stop()
      throw error
    }
  }
}

extension CounterTill {
  /// Whether one line of `text` shows every one of `parts` (a cart line marked removed, however laid out).
  static func hasLine(_ text: String, showing parts: String...) -> Bool {
    text.split(separator: "\n").contains { line in parts.allSatisfy { line.contains($0) } }
  }
}
