import ArgumentParser
import Foundation
import Logging
import TillCommandLine
import TillPaymentSandbox
import TillVersion

/// `till-payments-sandbox`: serves the YooKassa-v3-shaped sandbox until SIGINT or SIGTERM.
/// The entry point stays thin: parse flags, wire the module, run.
@main
struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "till-payments-sandbox",
    abstract: "A sandbox card provider shaped like the YooKassa v3 payments API.",
    discussion: """
      Every route needs HTTP Basic auth with the shop id and secret key. Payments are kept in the \
      SQLite file given by --database, so they survive a restart. With --enable-faults, faults for tests \
      and demos are switched with POST /sandbox/faults {"mode": M, "count": N, "delayMs": T, "reason": R}, where M is \
      processing, error-before-charge, drop-after-charge, delay-after-charge or decline, and cleared \
      with DELETE /sandbox/faults.
      """,
    version: TillVersion.description)

  @Option(help: ArgumentHelp("Address to listen on.", valueName: "host:port"))
  var listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8090)

  @Option(help: ArgumentHelp("SQLite file holding payments and idempotence keys.", valueName: "path"))
  var database: String

  @Option(help: ArgumentHelp("Shop id: the Basic auth user name.", valueName: "id"))
  var shopId: String

  @Option(
    help: ArgumentHelp(
      "Secret key: the Basic auth password. Prefer the TILL_SANDBOX_SECRET_KEY environment variable, "
        + "which keeps it out of the process list.", valueName: "key"))
  var secretKey: String?

  static let secretKeyVariable = "TILL_SANDBOX_SECRET_KEY"

  func validate() throws {
    guard resolvedSecretKey != nil else {
      throw ValidationError("give --secret-key or set \(Self.secretKeyVariable)")
    }
  }

  private var resolvedSecretKey: String? {
    let key = secretKey ?? ProcessInfo.processInfo.environment[Self.secretKeyVariable]
    return key?.isEmpty == false ? key : nil
  }

  @Flag(
    help: ArgumentHelp(
      "Serve the fault switches (/sandbox/faults): anyone who reaches them can make every card fail."))
  var enableFaults = false

  func run() async throws {
    LoggingSystem.bootstrap(StreamLogHandler.standardError)
    var logger = Logger(label: "till-payments-sandbox")
    logger.logLevel = .info
    guard let secretKey = resolvedSecretKey else { throw ExitCode.validationFailure }
    logger.info(
      "starting", metadata: ["listen": "\(listen.host):\(listen.port)", "database": "\(database)"])
    try await PaymentSandbox.run(
      host: listen.host, port: listen.port, databasePath: database, shopId: shopId, secretKey: secretKey,
      enableFaults: enableFaults, logger: logger)
    logger.info("stopped")
  }
}
