import Foundation
import TillClient
import TillTUI

#if canImport(Glibc)
  import Glibc
#endif

/// The cashier's screen wired to a back end over HTTP: interactive, or typed into by a script, in the
/// real terminal or headless. Everything it prints waits until the terminal is restored.
struct FrontEnd: Sendable {
  var baseURL: String
  var token: String
  var terminalName: String
  /// The idle lock; nil never locks.
  var lockAfter: Duration?
  /// The sign-in screen names the demo staff (the embedded back end seeds them).
  var showsDemoStaff: Bool
  /// A size means headless: the screen lives in memory.
  var headlessSize: Size?
  var snapshotDirectory: String
  var screenOut: String?
  /// The longest pause between two keys of a barcode scan.
  var scanGap: Duration
  /// Set with `--report-startup`: print how long the first product screen took.
  var startup: StartupClock?
  /// Where receipts are printed (ESC/POS), and the printer's paper width.
  var printer: String?
  var printerWidth = 42
  /// A folder for text copies of the receipts.
  var receiptsDirectory: String?
  /// An https back end's CA file and key pin (`TrustFlags`).
  var caCertificate: String?
  var pin: String?

  /// Runs until the cashier quits or the script ends; answers the exit status.
  func run(script: Script?) async -> Int32 {
    let client = TillClient(
      baseURL: baseURL, token: token,
      configuration: TillClient.Configuration(caCertificatePath: caCertificate, pinnedPublicKey: pin))
    let backend = TillClientBackend(client: client)
    let headless = headlessSize.map { HeadlessTerminal(size: $0) }
    let terminal: any Terminal = headless ?? NCursesTerminal(scanGap: scanGap)
    let configuration = AppConfiguration(
      shopName: "Till", terminalName: terminalName, currency: "EUR",
      sessionId: AppConfiguration.freshSessionId(), lockAfter: lockAfter, showsDemoStaff: showsDemoStaff,
      printerPath: printer, receiptsDirectory: receiptsDirectory, printerWidth: printerWidth)
    let program = Program(configuration: configuration, backend: backend, terminal: terminal)
    let firstScreen = startup.map { clock in Task { await Self.firstProductScreen(of: program, clock: clock) }
    }

    var status: Int32 = 0
    do {
      if let script {
        _ = try await program.run(script: script, headless: headless, snapshotDirectory: snapshotDirectory)
      } else {
        try await program.run()
      }
    } catch let failure as ScriptFailure {
      Self.printError(failure.description)
      status = 1
    } catch let error as TerminalError {
      if case .cannotInitialize(let reason) = error { Self.printError("till: \(reason)") }
      status = 3
    } catch {
      Self.printError("till: \(error)")
      status = 1
    }
    // Whoever was signed in leaves with the till: their session ends now rather than when it expires.
    try? await client.signOut()

    if let screenOut {
      do {
        try Data((program.screen.text + "\n").utf8).write(to: URL(fileURLWithPath: screenOut))
      } catch {
        Self.printError("till: cannot write the screen to \(screenOut): \(error.localizedDescription)")
        status = status == 0 ? 2 : status
      }
    }
    if let firstScreen {
      firstScreen.cancel()
      Self.printError(await firstScreen.value)
    }
    return status
  }

  /// Waits for the first screen that shows products and says how long it took.
  private static func firstProductScreen(of program: Program, clock: StartupClock) async -> String {
    while program.state.products.isEmpty {
      if Task.isCancelled || program.isFinished { return "till: startup: no product screen was drawn" }
      try? await Task.sleep(for: .milliseconds(1))
    }
    let elapsed = clock.elapsed()
    let sinceStart =
      elapsed.sinceProcessStart.map { "\(milliseconds($0)) ms since the process started, " } ?? ""
    return "till: startup: first product screen \(sinceStart)\(milliseconds(elapsed.sinceRun)) ms since run()"
  }

  private static func milliseconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    return String(format: "%.1f", value)
  }

  /// One line (or block) on standard error.
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
