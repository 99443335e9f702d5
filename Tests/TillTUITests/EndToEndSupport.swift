import Foundation
import Testing
import TillClient
import TillCore
import TillServer
import TillStore
import TillTUI
import TillTestSupport

/// A real back end for end-to-end runs: the API server on loopback over a real SQLite file holding the
/// demo catalogue (the one `till` seeds), charging cards at a real sandbox provider.
final class EndToEndBackend: Sendable {
  let server: ServerHarness
  let sandbox: SandboxHarness

  var baseURL: String { server.baseURL }

  private init(server: ServerHarness, sandbox: SandboxHarness) {
    self.server = server
    self.sandbox = sandbox
  }

  static func start(
    engine: StoreEngine = .sqlite, products: [Product]? = nil, opensRegisters: Bool = true
  ) async throws -> EndToEndBackend {
    let sandbox = try await SandboxHarness.start()
    do {
      let server = try await ServerHarness.start(
        engine, products: try products ?? DemoCatalogue.load(),
        paymentProvider: ServerHarness.provider(sandbox),
        opensRegisters: opensRegisters)
      return EndToEndBackend(server: server, sandbox: sandbox)
    } catch {
      await sandbox.stop()
      throw error
    }
  }

  /// A typed client of the till under test (`ServerHarness.staffToken`) or of another till, with nobody
  /// signed in: what the front end starts with.
  func terminalClient(token: String = ServerHarness.staffToken) -> TillClient {
    TillClient(baseURL: baseURL, token: token)
  }

  /// A typed client of a till with `person` signed in: what a test uses to look at (or sell on) the back
  /// end the front end under test works with.
  func client(token: String = ServerHarness.staffToken, as person: DemoStaff.Person = DemoStaff.cashier)
    async throws -> TillClient
  {
    try await TillClient.signedIn(baseURL: baseURL, token: token, as: person)
  }

  func stop() async {
    await server.stop()
    await sandbox.stop()
  }
}

/// Runs `body` with a fresh back end and stops it afterwards, also when `body` throws.
func withEndToEndBackend<T>(
  engine: StoreEngine = .sqlite, products: [Product]? = nil, opensRegisters: Bool = true,
  isolation: isolated (any Actor)? = #isolation, _ body: (EndToEndBackend) async throws -> T
) async throws -> T {
  let backend = try await EndToEndBackend.start(
    engine: engine, products: products, opensRegisters: opensRegisters)
  do {
    let result = try await body(backend)
    await backend.stop()
    return result
  } catch {
    await backend.stop()
    throw error
  }
}

/// What a script run left behind, for assertions after it.
struct ScriptRun {
  let program: Program
  let terminal: HeadlessTerminal
  let snapshots: [String: String]
}

/// Script files under `Tests/TillTUITests/Scripts/`, and how tests run them.
///
/// A comment line `# @hook NAME` marks a point where the test acts between steps (another till buys the
/// stock, the sandbox is told to decline the next card): the script runs up to that line, the test's
/// hook runs, then the script goes on. Run by `till --script`, the hook is just a comment.
enum EndToEndScripts {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Scripts")

  static func load(_ name: String) throws -> (script: Script, hooks: [(line: Int, name: String)]) {
    let path = directory.appendingPathComponent(name).path
    let bytes = try #require(FileManager.default.contents(atPath: path), "no script \(path)")
    let script = try Script(bytes: Array(bytes), name: name)
    var hooks: [(line: Int, name: String)] = []
    for (index, line) in String(decoding: bytes, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("# @hook ") { hooks.append((index + 1, String(text.dropFirst(8)))) }
    }
    return (script, hooks)
  }

  /// Runs the script `name` headless through `Program` and `TillClientBackend` against `backend` (with
  /// `configuration`: its printer and receipts folder, say), calling `hooks[NAME]` at each `# @hook NAME`
  /// line. A failed step is recorded with its line and the screen.
  @discardableResult
  static func run(
    _ name: String, on backend: EndToEndBackend, size: Size = Size(columns: 100, rows: 30),
    configuration: AppConfiguration = AppConfiguration(sessionId: AppConfiguration.freshSessionId()),
    hooks: [String: @Sendable () async throws -> Void] = [:]
  ) async throws -> ScriptRun {
    let (script, marks) = try load(name)
    let terminal = HeadlessTerminal(size: size)
    let program = Program(
      configuration: configuration,
      backend: TillClientBackend(client: backend.terminalClient()), terminal: terminal,
      tickInterval: .milliseconds(250))
    let loop = Task { try await program.run() }
    let outcome: Result<[String: String], any Error>
    do {
      var snapshots: [String: String] = [:]
      var done = 0
      for mark in marks + [(line: Int.max, name: "")] {
        var part = script
        part.steps = Array(script.steps.filter { $0.line < mark.line }.dropFirst(done))
        done += part.steps.count
        let taken = try await ScriptRunner(script: part, program: program, headless: terminal).run()
        snapshots.merge(taken) { $1 }
        guard mark.line != Int.max else { break }
        let hook = try #require(hooks[mark.name], "\(name):\(mark.line): no hook named \(mark.name)")
        try await hook()
      }
      outcome = .success(snapshots)
    } catch {
      outcome = .failure(error)
    }
    // Stopped on every path, so a failed step never leaves the program running. A `ScriptFailure`
    // thrown from here is reported with its line and the screen.
    program.stop()
    try await loop.value
    let snapshots = try outcome.get()
    return ScriptRun(program: program, terminal: terminal, snapshots: snapshots)
  }
}

extension TillClient {
  /// A client of the till of `token` with `person` signed in; when the back end sells only with the
  /// register open and the till's is not, it is opened with 100.00, as the day's first sign-in does.
  static func signedIn(
    baseURL: String, token: String = ServerHarness.staffToken, as person: DemoStaff.Person = DemoStaff.cashier
  ) async throws -> TillClient {
    let client = TillClient(baseURL: baseURL, token: token)
    let answer = try await client.signIn(code: person.code, pin: person.pin)
    if answer.registerRequired, answer.register == nil {
      _ = try await client.openSession(openingFloat: Money(amount: 100_00, currency: "EUR"))
    }
    return client
  }

  /// This till's orders, newest first (one page is plenty for a test).
  func allOrders() async throws -> [Order] {
    try await orders(limit: Limits.maxPageSize).items
  }

  func stock(of sku: String) async throws -> Int {
    try await product(sku: sku).stock
  }

  /// Another till's whole purchase: a cart with `quantity` of `sku`, checked out.
  func buy(_ sku: String, quantity: Int) async throws -> Order {
    let cart = try await createCart()
    _ = try await increment(cartId: cart.id, sku: sku, delta: quantity)
    return try await placeOrder(cartId: cart.id)
  }
}

extension HeadlessTerminal {
  /// Signs in on the sign-in screen as a person does: staff code, Tab, PIN, Enter.
  func signIn(as person: DemoStaff.Person = DemoStaff.cashier) {
    for character in person.code { press(.character(character)) }
    press(.tab)
    for character in person.pin { press(.character(character)) }
    press(.enter)
  }
}
