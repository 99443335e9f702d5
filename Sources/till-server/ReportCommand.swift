import ArgumentParser
import Foundation
import TillCommandLine
import TillCore
import TillReceipt
import TillStore

/// `till-server report …`: the back office's reports, read from the server's database.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Print past Z reports for the back office or the accountant.",
    subcommands: [ZReportCommand.self])
}

/// `till-server report z`: a terminal's Z reports as stored at each close, newest first, as printed text
/// or (with `--csv`) CSV for the accountant.
struct ZReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "z",
    abstract: "Print a terminal's Z reports (newest first), as text or CSV.",
    discussion: """
      Every figure is the one stored when the session was closed; nothing is computed again. With \
      --date only the reports closed on that day (UTC) are printed.
      """)

  @Option(name: .long, help: ArgumentHelp("The terminal's name, e.g. till-1.", valueName: "name"))
  var terminal: String

  @Option(name: .long, help: ArgumentHelp("Only reports closed on this day (UTC).", valueName: "YYYY-MM-DD"))
  var date: String?

  @Flag(name: .long, help: "CSV (section,key,count,amount rows) instead of text.")
  var csv = false

  @Option(name: .long, help: ArgumentHelp("Characters per line of the text (42 or 48).", valueName: "n"))
  var width = 42

  @OptionGroup var shop: ShopFlags
  @OptionGroup var database: StaffDatabaseOptions

  func validate() throws {
    if let date, date.wholeMatch(of: /\d{4}-\d\d-\d\d/) == nil {
      throw ValidationError("--date must be a day as YYYY-MM-DD, not \(date)")
    }
    guard [42, 48].contains(width) else { throw ValidationError("--width must be 42 or 48, not \(width)") }
    guard !terminal.isEmpty, terminal.count <= 64 else {
      throw ValidationError("--terminal must name a terminal (1 to 64 characters)")
    }
  }

  func run() async throws {
    let settings = try shop.resolved(environment: ProcessInfo.processInfo.environment)
    let details = ShopDetails(
      name: settings.shopName ?? "Till", addressLines: settings.addressLines, vatId: settings.vatId)
    try await StaffCommandFailure.reported {
      let reports = try await database.withRegister { register in
        try await Self.reports(of: terminal, on: date, in: register)
      }
      if reports.isEmpty {
        FileHandle.standardError.write(
          Data("no Z report for \(terminal)\(date.map { " on \($0)" } ?? "")\n".utf8))
      }
      for (index, report) in reports.enumerated() {
        if csv {
          print(ZReportDocument.csv(report), terminator: "")
        } else {
          if index > 0 { print("") }
          print(ZReportDocument.text(report, shop: details, width: width), terminator: "")
        }
      }
    }
  }

  /// Every Z report of `terminal`, newest first, closed on `date` when given: pages are read newest first
  /// until they are older than the day.
  static func reports(of terminal: String, on date: String?, in register: any RegisterStore) async throws
    -> [ZReport]
  {
    var found: [ZReport] = []
    var after: String?
    repeat {
      let page = try await register.zReports(terminal: terminal, limit: Limits.maxPageSize, after: after)
      for report in page.items {
        guard let date else {
          found.append(report)
          continue
        }
        if report.closedAt.hasPrefix(date) { found.append(report) }
        if report.closedAt < date { return found }
      }
      after = page.next
    } while after != nil
    return found
  }
}
