import ArgumentParser
import Foundation
import Logging
import TillClient
import TillCommandLine
import TillCore
import TillServer
import TillTUI
import TillVersion

/// `till`: the cashier's terminal. By default it brings its own back end; `--server` points it at one.
@main
struct TillCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "till",
    abstract: "Sell from a terminal: browse, fill a cart, check out, take cash or card.",
    discussion: """
      With no options, till starts its own back end inside the process: the catalogue, stock and \
      orders live in one SQLite file in your data directory ($XDG_DATA_HOME/till/till.sqlite, else \
      ~/.local/share/till/till.sqlite), filled with the demo catalogue the first time; card payments \
      go to the sandbox card provider, whose ledger (till-sandbox.sqlite) sits beside it. The back \
      end listens on 127.0.0.1 on a free port and admits only this till's token (random on the first \
      run, kept in till.sqlite.terminal-token beside the database, so a restart finds the till's open \
      register and orders); its log goes to till.log beside the database, never to the screen. With --server and --token, till is one \
      more terminal of a back end that runs elsewhere (till-server).

      SIGNING IN
      Selling starts with a sign-in: staff code, Tab, PIN, Enter. The embedded back end has a demo \
      cashier (code 1001, PIN 1234) and a demo manager (code 2001, PIN 4321); the sign-in screen \
      shows them only there. F2 locks the till (the open sale is kept for its person); so does \
      --lock-after without a key. Canceling another person's order asks for a manager's code and PIN.

      KEYS
        Up/Down PgUp/PgDn  move in the product list or the cart
        Left/Right         previous/next category
        /                  search: type to filter, Enter keeps it, Esc clears
        Tab                switch between products and cart
        Enter or +         add one of the selected product (or +1 on a cart line)
        -                  remove one
        3*                 digits then *: the next add takes that many
        digits Enter       a barcode or SKU (what a scanner types) adds one
        c                  check out
        p                  pay the order: 1 cash (type the amount), 2 card, a a part first
        n                  new order
        %                  discount on the cart line: a percentage, or Tab for an amount
        $                  discount on the whole order (past the cashier's limit a manager approves)
        o                  orders: p pays, x cancels, r returns a paid one, c copies a receipt
        F2                 lock: back to the sign-in screen, the sale kept for its person
        ? or F1            help
        q                  quit (asks while a cart is open)

      KEYSTROKE SCRIPTS
      --script FILE types into the running till, one command a line: type "text", press KEY \
      (Enter, Esc, Tab, Up, Down, Left, Right, PgUp, PgDn, Backspace, F1..F12, Ctrl+X or one \
      character), wait-for "text" [within 5s], expect "text", expect-not "text", snapshot NAME, \
      sleep 200ms, resize COLSxROWS (headless only) and # comments. expect first waits until every \
      key was handled and no back-end call is on its way. With --headless no terminal is touched: \
      the screen lives in memory at --size.

      EXIT STATUS
        0   done
        1   a script expectation failed (the line and the screen are printed)
        2   a script that cannot be read, or a --catalogue-size on a used database
        3   the back end or the terminal could not start
        64  bad options

      EXAMPLES
        till                          sell on the embedded back end
        till --demo --demo-rate 60    ... while other tills buy in the background
        TILL_TOKEN=$(cat till-1.token) till --server http://10.0.0.5:8080
        till --headless --size 100x30 --script sale.till --screen-out end.txt
        till --database /tmp/big.sqlite --catalogue-size 10000
      """,
    version: TillVersion.description)

  @Option(
    help: ArgumentHelp(
      "The SQLite file of the embedded back end (created and seeded when missing).", valueName: "path"))
  var database: String?

  @Option(
    help: ArgumentHelp(
      "Use the back end at this URL instead of the embedded one (needs --token).", valueName: "url"))
  var server: String?

  @Option(
    help: ArgumentHelp(
      "This till's staff token for --server (or set TILL_TOKEN). Without --server it replaces the embedded "
        + "back end's stored token, so other tools can act as this till.", valueName: "token"))
  var token: String?

  @Flag(help: "Simulate other tills buying in the background, so stock moves and conflicts happen.")
  var demo = false

  @Option(help: ArgumentHelp("Purchases per minute of the simulated tills together.", valueName: "n"))
  var demoRate = 20

  @Option(
    help: ArgumentHelp(
      "Fill a new database with this many generated products instead of the demo catalogue.",
      valueName: "n"))
  var catalogueSize: Int?

  @Option(help: ArgumentHelp("Run a keystroke script, then quit.", valueName: "file"))
  var script: String?

  @Flag(help: "Run the script without a terminal: the screen is kept in memory (needs --script).")
  var headless = false

  @Option(help: ArgumentHelp("The in-memory screen size with --headless.", valueName: "COLSxROWS"))
  var size = TerminalSize(Size(columns: 100, rows: 30))

  @Option(help: ArgumentHelp("Write the final screen as text to this file.", valueName: "file"))
  var screenOut: String?

  @Option(help: ArgumentHelp("Where `snapshot NAME` writes NAME.txt.", valueName: "dir"))
  var snapshots = "snapshots"

  @Option(
    help: ArgumentHelp(
      "The name of this till on the embedded back end (1-32 letters, digits, spaces, _ or -); with "
        + "--server, the name the server gives the token is shown once someone signs in.",
      valueName: "name"))
  var terminalName = "T1"

  @Option(
    help: ArgumentHelp(
      "Lock the till after this long without a key: seconds, or with s, m or h (90s, 5m); 0 never locks.",
      valueName: "time"))
  var lockAfter = LockAfter(.seconds(300))

  @Option(
    help: ArgumentHelp(
      "The longest pause between two keys of a barcode scan: a burst of 4 or more digits and Enter"
        + " this fast is one scan, never menu keys or an amount (1-200).",
      valueName: "ms"))
  var scanGapMs = 30

  @OptionGroup(title: "Receipts") var receipts: ReceiptFlags

  @OptionGroup(title: "TLS (an https --server)") var trust: TrustFlags

  @Option(help: "Embedded back-end log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = LogLevel.notice

  @OptionGroup(title: "Shop (embedded back end)") var shop: ShopFlags

  @Flag(help: .hidden)
  var reportStartup = false

  mutating func validate() throws {
    if let server {
      guard server.hasPrefix("http://") || server.hasPrefix("https://"), server.count > 8 else {
        throw ValidationError(
          "--server wants a URL such as http://127.0.0.1:8080, not \(Redaction.url(server))")
      }
      token = token ?? ProcessInfo.processInfo.environment["TILL_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
      guard token != nil else { throw ValidationError("--server needs --token (or TILL_TOKEN)") }
      guard database == nil, catalogueSize == nil else {
        throw ValidationError("--database and --catalogue-size are for the embedded back end, not --server")
      }
    }
    guard ServerConfiguration.isValidTerminalName(terminalName) else {
      throw ValidationError("--terminal-name wants 1 to 32 letters, digits, spaces, _ or -")
    }
    guard (1...6000).contains(demoRate) else {
      throw ValidationError("--demo-rate wants 1 to 6000 per minute")
    }
    if let catalogueSize, !(1...1_000_000).contains(catalogueSize) {
      throw ValidationError("--catalogue-size wants 1 to 1000000 products")
    }
    if headless && script == nil { throw ValidationError("--headless needs --script: nothing else types") }
    try trust.check(server: server)
    guard (1...200).contains(scanGapMs) else {
      throw ValidationError("--scan-gap-ms wants 1 to 200 milliseconds, not \(scanGapMs)")
    }
  }

  func run() async throws {
    let startup = StartupClock()
    // A printer pipe whose reader went away fails the write (EPIPE, shown as a printer failure) instead of
    // ending the till.
    signal(SIGPIPE, SIG_IGN)
    let loadedScript = try script.map(Self.loadScript)
    var remote = server.flatMap { url in token.map { (url: url, token: $0) } }
    var embedded: EmbeddedBackend?
    if remote == nil {
      let backend = try await startEmbedded()
      embedded = backend
      remote = (backend.baseURL, backend.staffToken)
    } else {
      LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
    }
    guard let remote else { return }
    let demoTerminals =
      demo
      ? DemoTerminals(
        baseURL: remote.url, tokens: embedded?.demoTokens ?? [remote.token, remote.token],
        cashier: SignInRequest(code: DemoStaff.cashier.code, pin: DemoStaff.cashier.pin),
        adminToken: embedded?.adminToken, ratePerMinute: demoRate) : nil

    let frontEnd = FrontEnd(
      baseURL: remote.url, token: remote.token, terminalName: terminalName,
      lockAfter: lockAfter.duration, showsDemoStaff: embedded != nil,
      headlessSize: headless ? size.size : nil, snapshotDirectory: snapshots,
      screenOut: screenOut, scanGap: .milliseconds(scanGapMs), startup: reportStartup ? startup : nil,
      printer: receipts.printer, printerWidth: receipts.printerWidth,
      receiptsDirectory: receipts.receiptsDir, caCertificate: trust.caCertificate, pin: trust.pin)
    let status = await frontEnd.run(script: loadedScript)

    await demoTerminals?.stop()
    await embedded?.stop()
    if status != 0 { throw ExitCode(status) }
  }

  private func startEmbedded() async throws -> EmbeddedBackend {
    let environment = ProcessInfo.processInfo.environment
    let databasePath = database ?? DataDirectory.defaultDatabasePath(environment: environment)
    let directory = URL(fileURLWithPath: databasePath).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      let logFile = try LogFile(path: directory + "/till.log")
      LoggingSystem.bootstrap { [logLevel] label in
        FileLogHandler(label: label, file: logFile, logLevel: logLevel.level)
      }
      let options = EmbeddedBackend.Options(
        databasePath: databasePath, catalogueSize: catalogueSize, staffToken: token,
        terminalName: terminalName, demoTerminals: demo ? 3 : 0,
        shop: try shop.resolved(environment: environment))
      return try await EmbeddedBackend.start(options, logger: Logger(label: "till.server"))
    } catch let refusal as TillCommandError {
      FrontEnd.printError("till: \(refusal)")
      throw ExitCode(2)
    } catch {
      FrontEnd.printError("till: the embedded back end could not start: \(error)")
      throw ExitCode(3)
    }
  }
}

/// A refusal worded for the person at the keyboard.
struct TillCommandError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) { self.description = description }
}

/// `--lock-after`: `300` (seconds), `90s`, `5m`, `1h`; `0` turns the idle lock off.
struct LockAfter: ExpressibleByArgument {
  /// Nil: never lock.
  var duration: Duration?

  init(_ duration: Duration?) { self.duration = duration }

  init?(argument: String) {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
    var digits = Substring(argument)
    var unit: Int64 = 1
    if let last = digits.last, let seconds = units[last] {
      unit = seconds
      digits = digits.dropLast()
    }
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0,
      value <= 24 * 3600 / unit
    else { return nil }
    duration = value == 0 ? nil : .seconds(value * unit)
  }

  var defaultValueDescription: String {
    guard let duration else { return "0" }
    return "\(duration.components.seconds)s"
  }
}

/// `--size COLSxROWS`, e.g. `100x30`: the headless screen, 1 to 1000 cells each way.
struct TerminalSize: ExpressibleByArgument {
  var size: Size

  init(_ size: Size) { self.size = size }

  init?(argument: String) {
    guard let size = Size(parsing: argument) else { return nil }
    self.size = size
  }

  var defaultValueDescription: String { size.description }
}
