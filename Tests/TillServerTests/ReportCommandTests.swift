import Foundation
import Testing
import TillCore
import TillStore
import TillTestSupport

/// `till-server report z` on the server's own database, per engine: a terminal's stored Z reports newest
/// first, as text or CSV, narrowed to a day, and one-line refusals of bad flags.
@Suite("till-server report z")
struct ReportCommandTests {
  static func report(_ arguments: [String], in directory: URL) async throws -> (
    status: Int32?, output: String
  ) {
    let process = try ServerProcess(
      arguments: ["report", "z"] + arguments, environment: ["XDG_DATA_HOME": directory.path])
    let status = try await process.exitStatus(within: .seconds(30))
    if status == nil { process.terminate() }
    return (status, process.log)
  }

  @Test(arguments: StoreEngine.allCases)
  func printsATerminalsZReports(engine: StoreEngine) async throws {
    let directory = try TemporaryDirectory.make("till-report-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await makeTestDatabaseLocation(engine, directory: directory)
    let store: any RegisterStore & Store =
      switch engine {
      case .sqlite: try await SQLiteStore.open(path: database)
      case .postgres: try await PostgresStore.connect(url: database, maximumConnections: 2)
      }
    let actor = StaffActor(owner: "owner-1", terminal: "till-1", staff: "2001", role: .manager)
    for (index, float) in [10_00, 20_00].enumerated() {
      let session = try await store.openSession(
        openingFloat: Money(amount: float, currency: "EUR"), by: actor)
      _ = try await store.closeSession(
        id: session.id, countedCash: Money(amount: float + 1, currency: "EUR"), idempotencyKey: "k\(index)",
        by: actor)
    }
    await store.close()

    let text = try await Self.report(["--terminal", "till-1", "--database", database], in: directory)
    #expect(text.status == 0, "\(text.output)")
    let second = try #require(text.output.range(of: "Z REPORT 2"), "\(text.output)")
    let first = try #require(text.output.range(of: "Z REPORT 1"))
    #expect(second.lowerBound < first.lowerBound, "newest first")
    #expect(text.output.contains("Counted cash") && text.output.contains("20.01"))

    let csv = try await Self.report(["--terminal", "till-1", "--csv", "--database", database], in: directory)
    #expect(csv.status == 0 && csv.output.hasPrefix("section,key,count,amount\r\n"))
    #expect(csv.output.contains("cash,variance,,0.01\r\n"))

    let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
    let dated = try await Self.report(
      ["--terminal", "till-1", "--date", today, "--database", database], in: directory)
    #expect(dated.output.contains("Z REPORT 2") && dated.output.contains("Z REPORT 1"))
    let otherDay = try await Self.report(
      ["--terminal", "till-1", "--date", "2000-01-01", "--database", database], in: directory)
    #expect(otherDay.status == 0 && otherDay.output.contains("no Z report for till-1 on 2000-01-01"))
    let other = try await Self.report(["--terminal", "till-9", "--database", database], in: directory)
    #expect(other.output.contains("no Z report for till-9") && !other.output.contains("Z REPORT"))

    let badDate = try await Self.report(
      ["--terminal", "till-1", "--date", "2026-13", "--database", database], in: directory)
    #expect(badDate.status != 0 && badDate.output.contains("--date must be a day as YYYY-MM-DD"))
    let noTerminal = try await Self.report(["--database", database], in: directory)
    #expect(noTerminal.status != 0 && noTerminal.output.contains("--terminal"))
  }
}
