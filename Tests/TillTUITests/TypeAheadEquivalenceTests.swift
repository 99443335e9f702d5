import Foundation
import Testing
import TillClient
import TillCore
import TillStore
import TillTUI
import TillTestSupport

/// Typed-ahead keys act as if typed one at a time: every random key sequence is played twice, each time
/// against a fresh back end of its own (real HTTP on loopback, real SQLite, one shared sandbox card
/// provider whose charges carry each order's own id):
///
/// - slowly: one key, then wait until the till is idle, then the next;
/// - fast: every key sent at once while a loopback proxy holds each answer 20 to 80 ms (seeded).
///
/// Both runs must end with the same screen, the same cart on the server and on the screen, and the
/// same orders and payments on the server. `TILL_TYPEAHEAD_SEED=n` replays a run (the seed is printed),
/// `TILL_TYPEAHEAD_SEQUENCES=n` sets how many sequences, `TILL_TYPEAHEAD_ONLY=i` plays sequence `i` only,
/// `TILL_TYPEAHEAD_PARALLEL=n` how many sequences play at once.
@Suite("typed-ahead keys act like keys typed one at a time")
struct TypeAheadEquivalenceTests {
  static let environment = ProcessInfo.processInfo.environment
  static let seed = environment["TILL_TYPEAHEAD_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0011
  static let count = environment["TILL_TYPEAHEAD_SEQUENCES"].flatMap { Int($0) } ?? 300
  static let only = environment["TILL_TYPEAHEAD_ONLY"].flatMap { Int($0) }
  static let parallel = max(1, environment["TILL_TYPEAHEAD_PARALLEL"].flatMap { Int($0) } ?? 10)

  /// What a run leaves behind that the other run must match.
  struct Outcome {
    var screen: String
    /// The cart lines the screen shows (`quantity × SKU`), and the server's lines of that cart.
    var screenCart: [String]
    var serverCart: [String]
    /// This till's orders on the server, newest first, each with its payment.
    var orders: [String]
    /// Answers the proxy held back (fast runs).
    var delayedAnswers = 0
    /// The screens the run passed through (slow runs look after every key).
    var modes: Set<String> = []
  }

  /// What the sequences did, so a run shows it reached checkout, payments and cancels.
  struct Tally: CustomStringConvertible {
    var orders = 0, cash = 0, card = 0, canceled = 0, openCarts = 0, delayedAnswers = 0
    var modes: [String: Int] = [:]

    mutating func add(_ outcome: Outcome) {
      orders += outcome.orders.count
      cash += outcome.orders.filter { $0.contains("paid cash succeeded") }.count
      card += outcome.orders.filter { $0.contains("paid card succeeded") }.count
      canceled += outcome.orders.filter { $0.contains(" canceled ") }.count
      openCarts += outcome.serverCart.isEmpty ? 0 : 1
      delayedAnswers += outcome.delayedAnswers
      for mode in outcome.modes { modes[mode, default: 0] += 1 }
    }

    var description: String {
      "\(orders) orders (\(cash) paid cash, \(card) by card, \(canceled) canceled), \(openCarts) carts left "
        + "open, \(delayedAnswers) answers delayed; sequences reaching each screen: "
        + modes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
  }

  /// The sequence numbered `index`: its own generator, so it does not depend on how many are played.
  static func keys(_ index: Int, products: [Product]) -> [KeyInput] {
    var random = RandomCashier.generator(seed: seed, index: index)
    return RandomCashier.sequence(&random, products: products)
  }

  @Test("slow and fast runs of random key sequences end the same, on the screen and on the server")
  func typedAheadKeysEndLikeSlowKeys() async throws {
    let products = try DemoCatalogue.load()
    let indices = Self.only.map { [$0] } ?? Array(0..<Self.count)
    print(
      "TypeAheadEquivalence: seed \(Self.seed) (TILL_TYPEAHEAD_SEED=\(Self.seed) replays), "
        + "\(indices.count) sequences")
    let sandbox = try await SandboxHarness.start()
    let started = ContinuousClock.now
    let (failures, tally) = await withTaskGroup(of: (String?, Outcome?).self) { group in
      var next = indices.makeIterator()
      var failures: [String] = []
      var tally = Tally()
      func add() {
        guard let index = next.next() else { return }
        group.addTask { await Self.check(index, products: products, sandbox: sandbox) }
      }
      for _ in 0..<Self.parallel { add() }
      for await (failure, outcome) in group {
        if let failure { failures.append(failure) }
        if let outcome { tally.add(outcome) }
        add()
      }
      return (failures, tally)
    }
    await sandbox.stop()
    print(
      "TypeAheadEquivalence: \(indices.count) sequences in \(ContinuousClock.now - started); fast runs: \(tally)"
    )
    for failure in failures.prefix(5) { Issue.record(Comment(rawValue: String(failure))) }
    #expect(failures.count == 0, "\(failures.count) of \(indices.count) sequences differ (seed \(Self.seed))")
    if indices.count >= 100 {
      // The sequences really reach the server: orders, both tenders and cancels happen in the fast runs.
      #expect(tally.orders > 0 && tally.cash > 0 && tally.card > 0 && tally.canceled > 0, "\(tally)")
      #expect(tally.delayedAnswers > 0)
    }
  }

  @Test("the delaying proxy holds every answer 20 to 80 ms, and ends a held answer when stopped")
  func proxyDelaysEveryAnswer() async throws {
    let server = try await ServerHarness.start(products: [])
    let proxy = try LoopbackProxy(
      upstreamPort: server.server.port, answerDelay: LoopbackProxy.AnswerDelay(milliseconds: 20...80, seed: 1)
    )
    let client = TillClient(
      baseURL: proxy.baseURL, token: ServerHarness.staffToken,
      configuration: TillClient.Configuration(retry: .none))
    for _ in 0..<5 {
      let started = ContinuousClock.now
      _ = try await client.health()
      #expect(ContinuousClock.now - started >= .milliseconds(20))
    }
    #expect(proxy.delayedAnswers == 5)
    // Stopped while an answer is held: the call fails soon instead of hanging.
    let held = Task { try await client.health() }
    try await Task.sleep(for: .milliseconds(5))
    let stopped = ContinuousClock.now
    proxy.stop()
    await #expect(throws: (any Error).self) { try await held.value }
    #expect(ContinuousClock.now - stopped < .seconds(1))
    await server.stop()
  }

  /// Plays sequence `index` slowly and fast: a description of the difference (nil when none), and the
  /// fast run's outcome with the screens the slow run passed through.
  static func check(_ index: Int, products: [Product], sandbox: SandboxHarness) async -> (String?, Outcome?) {
    let keys = keys(index, products: products)
    async let slowRun = play(keys, fast: false, delaySeed: 0, products: products, sandbox: sandbox)
    async let fastRun = play(
      keys, fast: true, delaySeed: seed &+ UInt64(index), products: products, sandbox: sandbox)
    let (slow, fast) = await (slowRun, fastRun)
    var problems: [String] = []
    var fastOutcome = try? fast.get()
    fastOutcome?.modes = (try? slow.get().modes) ?? []
    switch (slow, fast) {
    case (.failure(let error), _): problems.append("slow run failed: \(error)")
    case (_, .failure(let error)): problems.append("fast run failed: \(error)")
    case (.success(let slow), .success(let fast)):
      for (name, run) in [("slow", slow), ("fast", fast)] where run.screenCart != run.serverCart {
        problems.append("\(name): screen cart \(run.screenCart) but server cart \(run.serverCart)")
      }
      if slow.serverCart != fast.serverCart {
        problems.append("server carts differ: slow \(slow.serverCart), fast \(fast.serverCart)")
      }
      if slow.orders != fast.orders {
        problems.append("orders differ:\n  slow \(slow.orders)\n  fast \(fast.orders)")
      }
      if RandomCashier.comparable(slow.screen) != RandomCashier.comparable(fast.screen) {
        problems.append("screens differ")
      }
      guard !problems.isEmpty else { return (nil, fastOutcome) }
      problems.append("--- slow screen ---\n\(slow.screen)\n--- fast screen ---\n\(fast.screen)")
    }
    let report = """
      seed \(seed), sequence \(index) (TILL_TYPEAHEAD_SEED=\(seed) TILL_TYPEAHEAD_ONLY=\(index)), \
      \(keys.count) keys: \(RandomCashier.describe(keys))
      \(problems.joined(separator: "\n"))
      """
    return (report, fastOutcome)
  }

  enum RunError: Error, CustomStringConvertible {
    case notSettled(String)
    var description: String {
      switch self {
      case .notSettled(let screen): "the till did not settle; its screen:\n\(screen)"
      }
    }
  }

  /// One run on a fresh back end. Fast: every key at once through a proxy delaying each answer.
  static func play(
    _ keys: [KeyInput], fast: Bool, delaySeed: UInt64, products: [Product], sandbox: SandboxHarness
  ) async -> Result<Outcome, any Error> {
    let server: ServerHarness
    do {
      server = try await ServerHarness.start(
        products: products, paymentProvider: ServerHarness.provider(sandbox))
    } catch {
      return .failure(error)
    }
    var proxy: LoopbackProxy?
    do {
      if fast {
        proxy = try LoopbackProxy(
          upstreamPort: server.server.port,
          answerDelay: LoopbackProxy.AnswerDelay(milliseconds: 20...80, seed: delaySeed))
      }
      let till = RandomCashierTill(baseURL: proxy?.baseURL ?? server.baseURL)
      var outcome = await run(keys, fast: fast, on: till, server: server)
      if case .success(var value) = outcome, let proxy {
        value.delayedAnswers = proxy.delayedAnswers
        outcome = .success(value)
      }
      await till.stop()
      proxy?.stop()
      await server.stop()
      return outcome
    } catch {
      proxy?.stop()
      await server.stop()
      return .failure(error)
    }
  }

  private static func run(_ keys: [KeyInput], fast: Bool, on till: RandomCashierTill, server: ServerHarness)
    async -> Result<Outcome, any Error>
  {
    let program = till.program
    var modes: Set<String> = []
    if fast {
      for key in keys { RandomCashier.send(key, to: program) }
    } else {
      guard await RandomCashier.settle(program, within: .seconds(20)) else {
        return .failure(RunError.notSettled(RandomCashier.diagnosis(program)))
      }
      for key in keys {
        RandomCashier.send(key, to: program)
        guard await RandomCashier.settle(program, within: .seconds(20)) else {
          return .failure(RunError.notSettled(RandomCashier.diagnosis(program)))
        }
        modes.insert(RandomCashier.name(of: program.state.mode))
      }
    }
    guard await RandomCashier.settle(program, within: .seconds(60)) else {
      return .failure(RunError.notSettled(RandomCashier.diagnosis(program)))
    }
    let state = program.state
    let screen = program.screen.text
    do {
      let client = try await TillClient.signedIn(baseURL: server.baseURL)
      var serverCart: [String] = []
      if let cartId = state.cart?.id {
        serverCart = try await client.cart(id: cartId).lines.filter { $0.quantity > 0 }
          .map { "\($0.quantity) × \($0.sku)" }
      }
      let screenCart = state.displayedCartLines.filter { !$0.isRemoved }
        .map { "\($0.quantity + $0.pending) × \($0.sku)" }
      let orders = try await client.allOrders().map(describe)
      return .success(
        Outcome(screen: screen, screenCart: screenCart, serverCart: serverCart, orders: orders, modes: modes))
    } catch {
      return .failure(error)
    }
  }

  static func describe(_ order: Order) -> String {
    let lines = order.lines.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", ")
    var text = "#\(order.number) \(order.status.rawValue) [\(lines)] \(order.total.decimalString)"
    if let payment = order.payment {
      text += " paid \(payment.method.rawValue) \(payment.status.rawValue) \(payment.amount.decimalString)"
      if let tendered = payment.tendered { text += " tendered \(tendered.decimalString)" }
      if let change = payment.change { text += " change \(change.decimalString)" }
    }
    return text
  }
}
