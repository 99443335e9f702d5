import Foundation
import GRDB
import Logging
import Testing
import TillClient
import TillCore
import TillServer
import TillStore
import TillTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The real `till` binary: in a real pseudo-terminal (tmux) on its embedded back end, and headless.
@Suite("end to end: the till executable")
struct EndToEndTerminalTests {
  /// A script's first lines: the demo cashier signs in (four lines).
  static let signIn = "type \"1001\"\npress Tab\ntype \"1234\"\npress Enter\n"
  /// The float the till asks for after the day's first sign-in (a new database has no open register).
  static let openRegister =
    "wait-for \"Opening float:\" within 10s\ntype \"100\"\npress Enter\nwait-for \"Register open with\"\n"

  @Test func fullCashSaleInARealTerminal() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    // A known token for the embedded back end, so the test can ask it about the sale afterwards.
    let token = "e2e-till-\(UUID().uuidString)"
    let tmux = Tmux()
    defer { tmux.killServer() }
    try tmux.startTill(database: database, options: " --token \(token)")

    try await tmux.signIn(code: "1001", pin: "1234", name: "Demo Cashier")
    try await tmux.waitFor("BAK-001  Croissant", within: .seconds(20))
    try tmux.send("/")
    try tmux.type("croissant")
    try await tmux.waitFor("Search: croissant")
    try await tmux.waitUntilGone("Pain au chocolat")
    try tmux.send("Enter")
    try tmux.send("Enter")
    try await tmux.waitFor("1 Croissant")
    try tmux.send("+")
    try await tmux.waitFor("2 Croissant")
    try await tmux.waitFor("3.80")
    try tmux.send("c")
    try await tmux.waitFor("Pay order #1")
    try tmux.send("1")
    try tmux.type("5")
    try await tmux.waitFor("Change")
    try tmux.send("Enter")
    // The server's receipt: its total line, the quantity row and the VAT table.
    let receipt = try await tmux.waitFor("TOTAL EUR")
    for text in ["Receipt · order #1", "2 x 1.90", "3.80 A", "A     7%", "Paid cash", "1.20"] {
      #expect(receipt.contains(text), "\(text) on the receipt:\n\(receipt)")
    }
    try tmux.send("Enter")
    try await tmux.waitFor("Ready for the next customer")
    try tmux.send("q")
    let after = try await tmux.waitFor("till-exit-status=0")
    #expect(!after.contains("Receipt"), "the terminal is restored: the till's screen is gone")

    // The same database, opened again: the back end confirms the order and the stock.
    let store = try await SQLiteStore.open(path: database)
    let server = try await RunningServer.start(
      store: store, configuration: ServerConfiguration(port: 0, staffTokens: [token]),
      logger: Logger(label: "till.e2e", factory: { _ in SwiftLogNoOpLogHandler() }))
    let client = try await TillClient.signedIn(baseURL: server.baseURL, token: token)
    let orders = try await client.orders().items
    let stock = try await client.product(sku: "BAK-001").stock
    await server.stop()
    await store.close()
    #expect(orders.count == 1)
    #expect(orders.first?.status == .paid)
    #expect(orders.first?.payment?.change == Money(amount: 120, currency: "EUR"))
    #expect(orders.first?.lines.map { "\($0.quantity) \($0.sku)" } == ["2 BAK-001"])
    #expect(stock == 88)
  }

  /// Ctrl-C overtakes keys still waiting in the terminal's input (the tty would even flush them): the till
  /// hands them to the program, sends the edits, then ends with the terminal restored.
  @Test func ctrlCSendsTheKeysTypedBeforeItThenEnds() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let tmux = Tmux()
    defer { tmux.killServer() }
    try tmux.startTill(database: database)
    try await tmux.signIn(code: "1001", pin: "1234", name: "Demo Cashier")
    try await tmux.waitFor("BAK-001  Croissant", within: .seconds(20))
    // One send-keys: six Enters and the Ctrl-C reach the terminal together.
    try tmux.send("Enter", "Enter", "Enter", "Enter", "Enter", "Enter", "C-c")
    let after = try await tmux.waitFor("till-exit-status=", within: .seconds(15))
    #expect(!after.contains("BAK-001"), "the terminal is restored: the till's screen is gone")

    let queue = try DatabaseQueue(path: database)
    let quantities = try await queue.read { db in
      try Int.fetchAll(db, sql: "SELECT quantity FROM cart_lines WHERE sku = 'BAK-001'")
    }
    #expect(quantities == [6], "the six presses made before Ctrl-C: \(quantities)")
  }

  @Test func demoTillsBuyInTheBackground() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    try Data((Self.signIn + Self.openRegister + "wait-for \"BAK-001\" within 10s\nsleep 3s\n").utf8).write(
      to: directory.appendingPathComponent("demo.till"))
    let run = try await TillBinary.run(
      ["--database", database, "--demo", "--demo-rate", "1200", "--headless", "--script", "demo.till"],
      in: directory)
    #expect(run.status == 0, "\(run.errors)")
    let store = try await SQLiteStore.open(path: database)
    let left = try await store.products(matching: ProductQuery(limit: Limits.maxPageSize)).items
    await store.close()
    let seeded = Dictionary(uniqueKeysWithValues: try DemoCatalogue.load().map { ($0.sku, $0.stock) })
    // Restocks (of sold-out products only) can outweigh the units sold, so count products whose stock
    // moved rather than net units: every move starts with a simulated sale.
    let moved = left.filter { seeded[$0.sku] != $0.stock }
    print("--demo at 1200 a minute for 3 s: stock moved on \(moved.count) products")
    #expect(!moved.isEmpty, "the simulated tills bought something")
  }

  @Test func theBinaryLocksItselfAfterLockAfterWithoutAKey() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let script =
      Self.signIn + Self.openRegister
      + "wait-for \"BAK-001\" within 10s\npress Enter\nwait-for \"1 Croissant\"\n"
      + "wait-for \"Locked after 2 seconds without a key\" within 6s\nexpect-not \"1 Croissant\"\n"
      + Self.signIn + "wait-for \"your sale is as you left it\"\nexpect \"1 Croissant\"\n"
    try Data(script.utf8).write(to: directory.appendingPathComponent("idle.till"))
    let run = try await TillBinary.run(
      [
        "--database", directory.appendingPathComponent("till.sqlite").path, "--lock-after", "2s",
        "--headless",
        "--script", "idle.till",
      ], in: directory)
    #expect(run.status == 0, "\(run.errors)")
  }

  @Test func headlessScriptWritesTheFinalScreen() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = EndToEndScripts.directory.appendingPathComponent("sale-cash.till").path
    let run = try await TillBinary.run(
      [
        "--database", directory.appendingPathComponent("till.sqlite").path, "--headless", "--size", "80x24",
        "--script", script, "--screen-out", "final.txt",
      ], in: directory)
    #expect(run.status == 0, "\(run.errors)")
    let screen = try String(contentsOf: directory.appendingPathComponent("final.txt"), encoding: .utf8)
    #expect(screen.contains("Ready for the next customer"))
    #expect(screen.split(separator: "\n").count == 24)
    let receipt = try String(
      contentsOf: directory.appendingPathComponent("snapshots/receipt.txt"), encoding: .utf8)
    #expect(receipt.contains("Paid cash"))
    let log = try String(contentsOf: directory.appendingPathComponent("till.log"), encoding: .utf8)
    #expect(log.contains("seeded 183 products"), "the back end logs to the file, not the screen")
  }

  /// The embedded back end knows the till by a token kept beside the database: started again, the till
  /// finds its register open and its orders, instead of asking for another float as a new terminal.
  @Test func aRestartedTillKeepsItsRegisterAndItsOrders() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let first = try await TillBinary.run(
      [
        "--database", database, "--headless", "--script",
        EndToEndScripts.directory.appendingPathComponent("sale-cash.till").path,
      ], in: directory)
    #expect(first.status == 0, "\(first.errors)")
    let tokenFile = database + ".terminal-token"
    let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "only its owner reads the token")

    let again =
      Self.signIn + "wait-for \"BAK-001\" within 10s\nexpect-not \"Open the register\"\npress o\n"
      + "wait-for \"#1  paid\"\n"
    try Data(again.utf8).write(to: directory.appendingPathComponent("again.till"))
    let second = try await TillBinary.run(
      ["--database", database, "--headless", "--script", "again.till"], in: directory)
    #expect(second.status == 0, "\(second.errors)")
    let queue = try DatabaseQueue(path: database)
    let sessions = try await queue.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM register_sessions")
    }
    #expect(sessions == 1, "one register session for the till, not one per start")

    try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
    let refused = try await TillBinary.run(
      ["--database", database, "--headless", "--script", "again.till"], in: directory)
    #expect(refused.status == 2)
    #expect(refused.errors.contains("holds no usable till token"), "\(refused.errors)")
  }

  @Test func failedExpectationExitsOneNamingTheLineAndPrintingTheScreen() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = directory.appendingPathComponent("fail.till")
    try Data(
      ("# looks for a unicorn\n" + Self.signIn + Self.openRegister + "wait-for \"BAK-001\" within 10s\n"
        + "expect \"Unicorn\"\n").utf8
    ).write(to: script)
    let run = try await TillBinary.run(
      [
        "--database", directory.appendingPathComponent("till.sqlite").path, "--headless", "--script",
        script.path,
      ], in: directory)
    #expect(run.status == 1)
    #expect(run.errors.contains("fail.till:11: expect \"Unicorn\""), "\(run.errors)")
    #expect(run.errors.contains("--- screen ---"))
    #expect(run.errors.contains("BAK-001  Croissant"))
  }

  @Test(arguments: [
    (Array("tpye \"croissant\"\n".utf8), "garbage.till:1: unknown command `tpye`"),
    (Array("wait-for \"x\"\npress Hyper\n".utf8), "garbage.till:2: unknown key Hyper"),
    ([0x74, 0x79, 0x00, 0xFF, 0x0A, 0x1B, 0x5B], "garbage.till:1: binary data"),
  ])
  func unreadableScriptIsAClearErrorNotACrash(bytes: [UInt8], message: String) async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(bytes).write(to: directory.appendingPathComponent("garbage.till"))
    let run = try await TillBinary.run(
      [
        "--database", directory.appendingPathComponent("till.sqlite").path, "--headless", "--script",
        "garbage.till",
      ], in: directory)
    #expect(run.status == 2)
    #expect(run.errors.contains(message), "\(run.errors)")
    #expect(
      !FileManager.default.fileExists(atPath: directory.appendingPathComponent("till.sqlite").path),
      "nothing starts for a script that cannot run")
  }

  @Test func badOptionsAreUsageErrors() async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let headlessAlone = try await TillBinary.run(["--headless"], in: directory)
    let badSize = try await TillBinary.run(
      ["--headless", "--size", "huge", "--script", "x.till"], in: directory)
    let serverWithoutToken = try await TillBinary.run(["--server", "http://127.0.0.1:9"], in: directory)
    #expect(headlessAlone.status == 64)
    #expect(headlessAlone.errors.contains("--headless needs --script"))
    #expect(badSize.status == 64)
    #expect(badSize.errors.contains("The value 'huge' is invalid for '--size <COLSxROWS>'"))
    #expect(serverWithoutToken.status == 64)
    #expect(serverWithoutToken.errors.contains("--server needs --token"))
    let badLock = try await TillBinary.run(["--lock-after", "soon"], in: directory)
    #expect(badLock.status == 64)
    #expect(badLock.errors.contains("'soon' is invalid for '--lock-after <time>'"), "\(badLock.errors)")
    let badName = try await TillBinary.run(["--terminal-name", "till/1"], in: directory)
    #expect(badName.status == 64)
    #expect(badName.errors.contains("--terminal-name wants 1 to 32 letters"), "\(badName.errors)")
  }
}
