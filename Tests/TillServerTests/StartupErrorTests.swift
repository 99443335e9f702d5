import Foundation
import GRDB
import Testing
import TillTestSupport

@testable import TillStore

/// A database the back end cannot use is refused in one line an operator can read: never a statement
/// spread over many lines of the log.
@Suite("Start-up errors of the database are one line")
struct StartupErrorTests {
  @Test("a table in the way of the schema: one line naming the table, the statement shortened")
  func tableInTheWay() async throws {
    let directory = try TemporaryDirectory.make("till-startup-error")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("till.sqlite").path
    let queue = try DatabaseQueue(path: path)
    try await queue.write { try $0.execute(sql: "CREATE TABLE carts (anything TEXT)") }
    try queue.close()

    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", path, "--staff-token", String(repeating: "s", count: 32),
    ])
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    let lines = server.log.split(separator: "\n").filter { !$0.contains(" info ") }
    #expect(lines.count == 1, "\(server.log)")
    let line = String(lines.first ?? "")
    #expect(line.hasPrefix("till-server: "))
    #expect(line.contains("table carts already exists"), "\(line)")
    #expect(line.count < 300, "\(line)")
  }

  @Test("a GRDB error is described in one line, its statement cut to 80 characters")
  func describedInOneLine() throws {
    let statement =
      "CREATE TABLE carts (\n  id TEXT NOT NULL PRIMARY KEY,\n" + String(repeating: "  x INT,\n", count: 30)
    let error = DatabaseError(
      resultCode: .SQLITE_ERROR, message: "table carts already exists", sql: statement)
    guard case .engine(let text) = StoreError.wrapping(error) else {
      Issue.record("not an engine error")
      return
    }
    #expect(!text.contains("\n"))
    #expect(
      text.hasPrefix("SQLite error 1: table carts already exists - while executing `CREATE TABLE carts ( id"))
    #expect(text.hasSuffix("…`"))
    #expect(StoreError.wrapping(StoreError.cartClosed) == .cartClosed)
  }
}
