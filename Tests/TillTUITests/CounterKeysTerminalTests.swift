import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// The counter's keys in a real pseudo-terminal: the `till` executable on its embedded back end inside
/// tmux, keys sent as a scanner and a cashier send them, the server's rows read from its database.
@Suite("counter keys: the till executable in a real terminal")
struct CounterKeysTerminalTests {
  static let croissant = "4012802137743"

  /// Starts `till` in tmux on a fresh database; `body` gets the tmux server and the database path.
  func withTill(_ body: (Tmux, String) async throws -> Void) async throws {
    let directory = try TemporaryDirectory.make("till-e2e")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("till.sqlite").path
    let tmux = Tmux()
    defer { tmux.killServer() }
    try tmux.startTill(database: database)
    try await tmux.signIn(code: "1001", pin: "1234", name: "Demo Cashier")
    try await tmux.waitFor("▸BAK-001", within: .seconds(20))
    try await body(tmux, database)
  }

  @Test("a barcode burst adds in the product list and is refused by the pay dialog, paying nothing")
  func scanBurstAddsInTheListAndIsRefusedInThePayDialog() async throws {
    try await withTill { tmux, database in
      // One send-keys: the digits and Enter reach the terminal as fast as a scanner types them.
      try tmux.send(Self.croissant, "Enter")
      var screen = try await tmux.waitFor("      1 Croissant")
      #expect(screen.contains("Added 1 × Croissant"), "\(screen)")
      #expect(!screen.contains("Code/qty"), "\(screen)")
      try await tmux.waitUntilGone("saving…")
      #expect(try await Self.cartLines(database) == ["BAK-001 1"])

      try tmux.send("c")
      try await tmux.waitFor("1  Cash")
      try tmux.send(Self.croissant, "Enter")
      screen = try await tmux.waitFor("Scan of \(Self.croissant) ignored")
      #expect(screen.contains("Pay order #1") && screen.contains("1  Cash"), "\(screen)")
      #expect(!screen.contains("Cash handed over") && !screen.contains("Charge"), "\(screen)")

      // In the cash field too: the amount stays empty.
      try tmux.send("1")
      try await tmux.waitFor("Cash handed over: ▏")
      try tmux.send(Self.croissant, "Enter")
      try await tmux.waitUntilGone("Type the cash handed over")
      screen = try await tmux.waitFor("ignored")
      #expect(screen.contains("Cash handed over: ▏"), "the amount is unchanged:\n\(screen)")

      #expect(try await Self.rows(database, "SELECT status FROM orders") == ["placed"])
      #expect(try await Self.rows(database, "SELECT method FROM payments").isEmpty, "no payment recorded")
    }
  }

  @Test("- pressed five times on a line of two removes it and leaves the next line as it was")
  func repeatedMinusLeavesTheNeighbourAlone() async throws {
    try await withTill { tmux, database in
      try tmux.send("Enter", "Enter", "Down", "Enter", "Enter", "Enter")
      try await tmux.waitFor("      3 Pain au chocolat")
      try await tmux.waitUntilGone("saving…")
      #expect(try await Self.cartLines(database) == ["BAK-001 2", "BAK-002 3"])

      try tmux.send("Tab")
      try tmux.run("send-keys", "-t", "till", "-l", "--", "-----")
      let screen = try await tmux.waitFor("Croissant is already removed")
      // The cart panel: what each row shows right of the separator.
      let cart = screen.split(separator: "\n").map { $0.components(separatedBy: "│").last ?? "" }
        .joined(separator: "\n")
      #expect(
        CounterTill.hasLine(cart, showing: "removed", "Croissant"), "the line stays in place:\n\(screen)")
      #expect(cart.contains("      3 Pain au chocolat"), "\(screen)")
      try await tmux.waitUntilGone("saving…")
      #expect(try await Self.cartLines(database) == ["BAK-002 3"])
    }
  }

  static func cartLines(_ database: String) async throws -> [String] {
    try await ServerRows.cartLines(atPath: database).map { "\($0.sku) \($0.quantity)" }
  }

  static func rows(_ database: String, _ sql: String) async throws -> [String] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: database, configuration: configuration)
    return try await queue.read { db in try String.fetchAll(db, sql: sql) }
  }
}
