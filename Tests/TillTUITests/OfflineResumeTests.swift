import Foundation
import Logging
import Testing
import TillClient
import TillCore
import TillServer
import TillStore
import TillTUI
import TillTestSupport

/// The back end on a fixed port over one SQLite file, so it can be stopped and started again where the
/// front end expects it — what an operator restarting `till-server` does. The demo staff are seeded, and
/// a session opened before a restart still holds after it (sessions live in the database).
struct RestartableBackend {
  let path: String
  let port: Int
  static let products = [
    Product(
      sku: "OFF-1", name: "Espresso beans", category: "Pantry", price: Money(amount: 1_290, currency: "EUR"),
      stock: 40, barcode: "2000000000011"),
    Product(
      sku: "OFF-2", name: "Oat milk", category: "Dairy", price: Money(amount: 245, currency: "EUR"),
      stock: 40,
      barcode: "2000000000028"),
    Product(
      sku: "OFF-3", name: "Rye bread", category: "Bakery", price: Money(amount: 380, currency: "EUR"),
      stock: 40, barcode: "2000000000035"),
  ]

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// A started back end: its server and the store under it.
  struct Running {
    let server: RunningServer
    let store: SQLiteStore

    /// Stops serving, then closes the database, as an operator's restart does.
    func stop() async {
      await server.stop()
      await store.close()
    }
  }

  /// Opens the store (seeding it the first time), serves it on `port` and opens the till's register
  /// when it is not open.
  func start() async throws -> Running {
    let store = try await SQLiteStore.open(path: path)
    do {
      _ = try await store.seedIfEmpty(with: Self.products)
      let hasher = PINHasher(cost: ServerHarness.pinHashCost)
      try await DemoStaff.seed(into: store, hasher: hasher)
      let server = try await RunningServer.start(
        store: store,
        configuration: ServerConfiguration(
          host: "127.0.0.1", port: port, staffTokens: [ServerHarness.staffToken],
          pinHashCost: ServerHarness.pinHashCost),
        logger: Logger(label: "till.offline.test", factory: { _ in SwiftLogNoOpLogHandler() }))
      do {
        // The register opened, as the day's first sign-in would have (the tills here sign in later).
        _ = try await TillClient.signedIn(baseURL: baseURL)
      } catch {
        await server.stop()
        throw error
      }
      return Running(server: server, store: store)
    } catch {
      await store.close()
      throw error
    }
  }
}

/// Network trouble shows "offline — retrying", never a hang of the keys, end to end: the real
/// `Program` with `TillClientBackend` over HTTP, the back end stopped while the till is open and started
/// again on the same port and database.
@Suite("front end under faults: the back end stops and comes back")
struct OfflineResumeTests {
  /// The till's client timeouts: "offline" must show within the request timeout.
  static let clientConfiguration = TillClient.Configuration(
    connectTimeout: .seconds(1), requestTimeout: .seconds(2))

  /// How long `condition` took to hold; nil, and the test fails with `message`, if it never held within
  /// `timeout`.
  static func time(
    within timeout: Duration, _ message: @autoclosure () -> String,
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool
  ) async throws -> Duration? {
    let started = ContinuousClock.now
    guard try await eventually(within: timeout, message(), sourceLocation: sourceLocation, condition) else {
      return nil
    }
    return ContinuousClock.now - started
  }

  @Test(
    "back end stopped: offline within the client timeout, keys work, edits queue; back: resumes, cart is the server's"
  )
  func backEndStopsAndComesBack() async throws {
    let directory = try TemporaryDirectory.make("till-offline")
    defer { try? FileManager.default.removeItem(at: directory) }
    let backend = RestartableBackend(
      path: directory.appendingPathComponent("till.sqlite").path, port: try LoopbackSocket.unusedPort()
    )
    var running = try await backend.start()

    let terminal = HeadlessTerminal(size: Size(columns: 100, rows: 30))
    let program = Program(
      configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId()),
      backend: TillClientBackend(
        client: TillClient(
          baseURL: backend.baseURL, token: ServerHarness.staffToken, configuration: Self.clientConfiguration)),
      terminal: terminal, tickInterval: .milliseconds(250))
    let loop = Task { try await program.run() }
    terminal.signIn()
    func screen() -> String { terminal.screen.description }
    func cartLines() -> [String: Int] {
      Dictionary(
        uniqueKeysWithValues: program.state.displayedCartLines.map { ($0.sku, $0.quantity + $0.pending) })
    }

    do {
      try await eventually("the catalogue did not show:\n\(screen())") { screen().contains("Espresso beans") }
      // One unit while online: the cart exists on the server before it goes away.
      terminal.press(.enter)
      try await eventually(within: .seconds(5), "the first unit did not reach the server:\n\(screen())") {
        program.state.cart?.lines.first?.quantity == 1 && !program.state.hasPendingEdits
      }

      // The back end stops (its store closed too: a restart, not a pause).
      await running.stop()
      let offline = try await Self.time(
        within: Self.clientConfiguration.requestTimeout, "no offline notice:\n\(screen())"
      ) { screen().contains("offline — retrying") }
      #expect(!program.state.online)

      // Keys keep working while the back end is gone. The 5 s bounds only guard against a hang (they are
      // not a speed claim; ProgramTests shows keys are handled while a call hangs).
      terminal.press(.down)
      let moved = try await Self.time(within: .seconds(5), "the cursor did not move while offline") {
        program.state.productIndex == 1
      }
      terminal.press(.enter)
      terminal.press(.character("+"))
      terminal.press(.up)
      terminal.press(.enter)
      let queued = try await Self.time(
        within: .seconds(5), "edits made offline are not on screen: \(cartLines())"
      ) {
        cartLines() == ["OFF-1": 2, "OFF-2": 2]
      }
      #expect(program.state.hasPendingEdits)
      #expect(screen().contains("Oat milk") && screen().contains("Cart — 4 items"), "\(screen())")
      // A while offline: the till keeps retrying, the edits stay queued, nothing is dropped.
      try await Task.sleep(for: .milliseconds(1_500))
      #expect(cartLines() == ["OFF-1": 2, "OFF-2": 2])
      #expect(screen().contains("offline — retrying"))
      #expect(!program.isFinished)

      // The back end comes back on the same port and database.
      running = try await backend.start()
      let resumed = try await Self.time(within: .seconds(10), "the till did not resume:\n\(screen())") {
        program.state.online && !program.state.hasPendingEdits && screen().contains("● online")
      }
      let shown = try #require(program.state.cart)
      let server = try await TillClient.signedIn(baseURL: backend.baseURL).cart(
        id: shown.id)
      // Exactly once: two presses of each product, whatever the number of resends of the same opId.
      #expect(server.lines.map(\.sku) == ["OFF-1", "OFF-2"])
      #expect(server.lines.map(\.quantity) == [2, 2])
      #expect(shown == server, "the cart on screen is not the server's")
      #expect(cartLines() == ["OFF-1": 2, "OFF-2": 2])
      #expect(screen().contains("Cart — 4 items"), "\(screen())")
      let stock = try await TillClient.signedIn(baseURL: backend.baseURL).products()
      #expect(stock.items.map(\.stock) == [40, 40, 40], "a cart holds no stock")
      print(
        "OfflineResumeTests: offline shown after \(offline ?? .zero), cursor moved after \(moved ?? .zero), "
          + "edits on screen after \(queued ?? .zero), resumed after \(resumed ?? .zero)")
    } catch {
      program.stop()
      _ = await loop.result
      await running.stop()
      throw error
    }
    program.stop()
    try await loop.value
    await running.stop()
  }
}
