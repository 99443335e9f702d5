import ArgumentParser
import Foundation
import Logging
import TillServer
import TillStore

/// `till-server`: the Till back end alone — catalogue, carts and orders over HTTP on one SQLite file.
@main
struct TillServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "till-server",
    abstract: "Serve the Till point-of-sale API (catalogue, carts, orders) from one SQLite file.",
    discussion: """
      Every /v1 route but /v1/health needs `Authorization: Bearer <token>`. Staff tokens open carts and
      orders; the admin token may also adjust stock. Tokens come from the flags or from the environment:
      TILL_STAFF_TOKENS (comma-separated) and TILL_ADMIN_TOKEN. The server refuses to start without a
      staff token. An empty database is filled with the demo catalogue, or with --seed FILE.
      SIGINT or SIGTERM stops it gracefully.
      """)

  @Option(name: .long, help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
  var listen = "127.0.0.1:8080"

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The SQLite database file (default: $XDG_DATA_HOME/till/till.sqlite or ~/.local/share/till/till.sqlite).",
      valueName: "path"))
  var database: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A JSON array of products loaded into an empty database (default: the demo catalogue).",
      valueName: "file"))
  var seed: String?

  @Option(name: .long, help: ArgumentHelp("A staff token (repeatable).", valueName: "token"))
  var staffToken: [String] = []

  @Option(name: .long, help: ArgumentHelp("The admin token (may also adjust stock).", valueName: "token"))
  var adminToken: String?

  @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
  var logLevel = "info"

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let settings: StartupSettings
    do {
      settings = try StartupSettings(
        listen: listen, database: database, seed: seed, staffTokens: staffToken, adminToken: adminToken,
        logLevel: logLevel, environment: environment)
    } catch {
      Self.fail(error)
    }
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = settings.logLevel
      return handler
    }
    let logger = Logger(label: "till.server")
    let store: SQLiteStore
    do {
      store = try await Self.openStore(settings, logger: logger)
    } catch {
      Self.fail(error)
    }
    do {
      logger.info(
        "serving \(settings.databasePath) on \(settings.configuration.host):\(settings.configuration.port)")
      try await RunningServer.run(store: store, configuration: settings.configuration, logger: logger)
      await store.close()
    } catch {
      await store.close()
      Self.fail(error)
    }
  }

  private static func openStore(_ settings: StartupSettings, logger: Logger) async throws -> SQLiteStore {
    let directory = URL(fileURLWithPath: settings.databasePath).deletingLastPathComponent().path
    if !directory.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw StartupError("cannot create the database directory \(directory): \(error.localizedDescription)")
      }
    }
    let store = try await SQLiteStore.open(path: settings.databasePath)
    do {
      let products = try settings.seedPath.map { try DemoCatalogue.load(from: $0) } ?? DemoCatalogue.load()
      let inserted = try await store.seedIfEmpty(with: products)
      if inserted > 0 { logger.info("seeded \(inserted) products") }
    } catch {
      await store.close()
      throw error
    }
    return store
  }

  /// One clear line on stderr and a non-zero exit: what an operator needs when start-up fails.
  private static func fail(_ error: any Error) -> Never {
    let message =
      switch error {
      case let error as StoreError: StartupError.describe(error)
      default: String(describing: error)
      }
    FileHandle.standardError.write(Data("till-server: \(message)\n".utf8))
    Foundation.exit(1)
  }
}
