import Foundation
import Testing
import TillCore
import TillServer
import TillTUI
import TillTestSupport

/// The register at the till, end to end against a real back end that sells only with the register
/// open, on each engine: a keystroke script of a whole day (float, sale, pay-out with a manager's
/// approval, no-sale, X, close, Z) whose screens are golden, and whose Z report the back end keeps —
/// the same figures on SQLite and PostgreSQL.
@Suite("The register at the till", .serialized)
struct EndToEndRegisterTests {
  @Test func aDayOnBothEnginesEndsInTheSameZ() async throws {
    var figures: [SessionReport] = []
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "till-z-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for engine in StoreEngine.allCases {
      let printer = directory.appendingPathComponent("printer-\(engine)").path
      let z = try await withEndToEndBackend(engine: engine, opensRegisters: false) { backend in
        let configuration = AppConfiguration(
          sessionId: AppConfiguration.freshSessionId(), printerPath: printer)
        let run = try await EndToEndScripts.run(
          "register-day.till", on: backend, size: Size(columns: 100, rows: 40), configuration: configuration)
        expectGolden(text: try #require(run.snapshots["register-x"]), "register-x")
        expectGolden(text: try #require(run.snapshots["register-z"]), "register-z")
        let manager = try await backend.client(as: DemoStaff.manager)
        let z = try #require(try await manager.zReports().items.first)
        #expect(z.number == 1 && z.countedCash.amount == 96_00)
        #expect(
          z.report.salesCount == 1
            && z.report.payOuts == CountedTotal(count: 1, amount: Money(amount: 5_00, currency: "EUR")))
        #expect(
          z.report.noSales == 1
            && z.report.cash?.expected.amount == 100_00 + z.report.salesTotal.amount - 5_00)
        #expect(z.variance.amount == 96_00 - (z.report.cash?.expected.amount ?? 0))
        let trail = try await backend.server.store.audit(limit: 50, after: nil).items
        #expect(trail.contains { $0.action == "pay-out" && $0.approvedBy == "2001" })
        // The Z went to the printer as ESC/POS: initialised, its rows, then the feed and cut; no drawer.
        let printed = try await eventuallyRead(printer, containing: "Z REPORT 1")
        #expect(printed.starts(with: [0x1B, 0x40]) && printed.suffix(6) == [0x1B, 0x64, 6, 0x1D, 0x56, 1])
        #expect(String(decoding: printed, as: UTF8.self).contains("Variance"))
        return z
      }
      figures.append(z.report)
    }
    // The same day on both engines: every figure equal but the session's own id and times.
    let comparable = figures.map { report -> SessionReport in
      var report = report
      report.session = RegisterSession(
        id: "", terminal: report.session.terminal, status: report.session.status,
        openingFloat: report.session.openingFloat, openedAt: "", openedBy: report.session.openedBy)
      return report
    }
    #expect(comparable.count == 2 && comparable[0] == comparable[1])
  }

  /// The bytes of `path` once they hold `text` (the print runs off the key loop), or what is there after
  /// five seconds.
  func eventuallyRead(_ path: String, containing text: String) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<100 {
      bytes = FileManager.default.contents(atPath: path).map(Array.init) ?? []
      if String(decoding: bytes, as: UTF8.self).contains(text) { return bytes }
      try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("\(path) never held \(text): \(bytes.count) bytes")
    return bytes
  }
}
