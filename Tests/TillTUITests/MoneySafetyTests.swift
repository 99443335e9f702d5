import Foundation
import Testing
import TillClient
import TillCore
import TillPaymentSandbox
import TillServer
import TillStore
import TillTUI
import TillTestSupport

/// Money never moves by accident: the till is put in every dialog, the register's among them (on a real back end with a sandbox
/// card provider of its own), random scans and random digits, `.`, `,` and `*` are typed into it —
/// never Enter, never `y` — and then the server's orders and payments and the provider's charges must
/// be exactly what they were before the typing. A scan typed in a dialog that refuses scans (every one
/// but the receipt) must not change what the dialog shows: not its stage, not the tender typed so far.
///
/// `TILL_MONEY_SEED=n` replays a run (the seed is printed); `TILL_MONEY_TRIALS=n` sets how many random
/// typings each dialog gets.
@Suite("no key moves money without its confirming key")
struct MoneySafetyTests {
  static let environment = ProcessInfo.processInfo.environment
  static let seed = environment["TILL_MONEY_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0012
  static let trials = max(1, environment["TILL_MONEY_TRIALS"].flatMap { Int($0) } ?? 10)
  static let parallel = 6

  static let croissant = "4012802137743"  // BAK-001, 1.90, plenty in stock
  static let cremeBrulee = "4026096519000"  // BAK-010, only 2 in stock

  enum Dialog: String, CaseIterable, Sendable {
    case payChoose, partAmount, cashEntry, confirmTender, returnLines, confirmCard, cardPending, declined,
      ordersList,
      confirmCancel
    case shortage, receipt, confirmQuit, discount
    case registerFloat, registerMenu, payOutReason, registerCount
  }

  @Test("random scans and digits typed into every dialog move no money and cancel nothing")
  func scansAndDigitsMoveNoMoney() async throws {
    let products = try DemoCatalogue.load()
    print("MoneySafety: seed \(Self.seed) (TILL_MONEY_SEED=\(Self.seed) replays), \(Self.trials) per dialog")
    let cases = Dialog.allCases.enumerated().flatMap { number, dialog in
      (0..<Self.trials).map { (dialog: dialog, index: number * 1_000 + $0) }
    }
    let started = ContinuousClock.now
    let failures = await withTaskGroup(of: String?.self) { group in
      var next = cases.makeIterator()
      func add() {
        guard let item = next.next() else { return }
        group.addTask { await Self.trial(item.dialog, index: item.index, products: products) }
      }
      for _ in 0..<Self.parallel { add() }
      var failures: [String] = []
      for await failure in group {
        if let failure { failures.append(failure) }
        add()
      }
      return failures
    }
    print("MoneySafety: \(cases.count) typings in \(ContinuousClock.now - started)")
    for failure in failures.prefix(5) { Issue.record(Comment(rawValue: String(failure))) }
    #expect(failures.count == 0, "\(failures.count) of \(cases.count) typings failed (seed \(Self.seed))")
  }

  /// Random scans and `0-9 . , *`, never a confirming key.
  static func typing(_ random: inout SplitMix64, products: [Product]) -> [KeyInput] {
    (0..<(15 + random.below(26))).map { _ in
      switch random.below(8) {
      case 0: return .scan(products[random.below(products.count)].barcode ?? RandomCashier.unknownCode)
      case 1:
        let digits = (0..<(4 + random.below(10))).map { _ in String(random.below(10)) }.joined()
        return .scan(random.below(2) == 0 ? digits : RandomCashier.unknownCode)
      default:
        let characters = Array("0123456789.,*12")
        return .key(.character(characters[random.below(characters.count)]))
      }
    }
  }

  /// One typing into `dialog` on a fresh back end: a description of what went wrong, or nil.
  static func trial(_ dialog: Dialog, index: Int, products: [Product]) async -> String? {
    var random = RandomCashier.generator(seed: seed, index: index)
    let keys = typing(&random, products: products)
    let backend: EndToEndBackend
    do { backend = try await EndToEndBackend.start(products: products) } catch {
      return "\(dialog): the back end did not start: \(error)"
    }
    let till = RandomCashierTill(baseURL: backend.baseURL)
    var problems: [String] = []
    do {
      try await open(dialog, on: till, backend: backend)
      let before = try await money(on: backend)
      for key in keys {
        let mode = till.program.state.mode
        RandomCashier.send(key, to: till.program)
        guard await RandomCashier.settle(till.program, within: .seconds(20)) else {
          problems.append("did not settle after \(key)")
          break
        }
        let now = till.program.state.mode
        if case .scan(let code) = key, !["browse", "receipt"].contains(RandomCashier.name(of: mode)),
          now != mode,
          problems.isEmpty
        {
          problems.append("the scan of \(code) changed \(brief(mode)) to \(brief(now))")
        }
      }
      let after = try await money(on: backend)
      if after.orders != before.orders {
        problems.append("orders changed:\n  before \(before.orders)\n  after  \(after.orders)")
      }
      if after.charges != before.charges {
        problems.append("card charges changed:\n  before \(before.charges)\n  after  \(after.charges)")
      }
      if after.register != before.register {
        problems.append("the register changed:\n  before \(before.register)\n  after  \(after.register)")
      }
    } catch {
      problems.append("\(error)")
    }
    let screen = till.program.screen.text
    await till.stop()
    await backend.stop()
    guard !problems.isEmpty else { return nil }
    return """
      \(dialog) (typing \(index)), seed \(seed) (TILL_MONEY_SEED=\(seed)), typed: \(RandomCashier.describe(keys))
      \(problems.joined(separator: "\n"))
      --- screen ---
      \(screen)
      """
  }

  /// What money-wise there is: this till's orders with their payments and refunds, every charge at the
  /// provider, and the register (its session, the cash moved, the Z reports written).
  static func money(on backend: EndToEndBackend) async throws
    -> (orders: [String], charges: [PaymentObject], register: String)
  {
    let client = try await backend.client()
    var orders: [String] = []
    for order in try await client.allOrders() {
      let refunds = try await client.refunds(orderId: order.id).map(\.id)
      orders.append(
        TypeAheadEquivalenceTests.describe(order)
          + " payment \(order.payment?.id ?? "none") refunds \(refunds)")
    }
    let manager = try await backend.client(as: DemoStaff.manager)
    let zReports = try await manager.zReports().items.count
    var register = "\(zReports) Z reports, "
    let current: Result<SessionReport, TillClientError>
    do {
      current = .success(try await manager.currentSession())
    } catch {
      current = .failure(error)
    }
    switch current {
    case .success(let report):
      register +=
        "session \(report.session.id): \(report.payIns), \(report.payOuts), \(report.noSales) no-sales"
    case .failure(.conflict(let problem)) where problem.kind == .noOpenSession:
      register += "no open session"
    case .failure(let error):
      throw error
    }
    return (orders, try await backend.sandbox.payments(), register)
  }

  struct SetupFailure: Error, CustomStringConvertible {
    var description: String
  }

  /// Types the keys (waiting for the till after each) that lead to `dialog`, and checks it is shown.
  static func open(_ dialog: Dialog, on till: RandomCashierTill, backend: EndToEndBackend) async throws {
    func type(_ keys: [KeyInput]) async throws {
      guard await RandomCashier.settle(till.program, within: .seconds(20)) else {
        throw SetupFailure(description: "\(dialog): the till did not settle\n\(till.program.screen.text)")
      }
      for key in keys {
        RandomCashier.send(key, to: till.program)
        guard await RandomCashier.settle(till.program, within: .seconds(20)) else {
          throw SetupFailure(description: "\(dialog): the till did not settle\n\(till.program.screen.text)")
        }
      }
    }
    func typed(_ text: String) -> [KeyInput] { text.map { .key(.character($0)) } }
    let placed: [KeyInput] = [.scan(croissant)] + typed("c")
    switch dialog {
    case .payChoose: try await type(placed)
    case .partAmount: try await type(placed + typed("a"))
    case .returnLines:
      // Paid in cash, the receipt closed, then the orders list and a return of that paid order.
      try await type(placed + typed("12") + [.key(.enter)])
      try await type([.key(.enter)] + typed("or"))
    case .cashEntry: try await type(placed + typed("1"))
    case .confirmTender: try await type(placed + typed("15000") + [.key(.enter)])
    case .confirmCard: try await type(placed + typed("2"))
    case .cardPending:
      // The provider keeps answering "processing" (no charge), so the payment stays pending.
      try await backend.sandbox.arm(Fault(mode: .processing, count: 10_000, delayMs: 0))
      try await type(placed + typed("2") + [.key(.enter)])
    case .declined:
      try await backend.sandbox.arm(Fault(mode: .decline))
      try await type(placed + typed("2") + [.key(.enter)])
    case .ordersList: try await type(placed + [.key(.escape)] + typed("o"))
    case .confirmCancel: try await type(placed + [.key(.escape)] + typed("ox"))
    case .shortage:
      try await type([.scan(cremeBrulee)])
      _ = try await backend.client(token: ServerHarness.otherStaffToken).buy("BAK-010", quantity: 2)
      try await type(typed("c"))
    case .receipt: try await type(placed + typed("12") + [.key(.enter)])
    case .confirmQuit: try await type([.scan(croissant)] + typed("q"))
    case .discount: try await type([.scan(croissant)] + typed("$"))
    case .registerFloat: try await type([.key(.function(3))])
    case .registerMenu, .payOutReason, .registerCount:
      let menu: [KeyInput] = [.key(.function(3))] + typed("100") + [.key(.enter), .key(.function(3))]
      let rest =
        dialog == .registerMenu ? [] : dialog == .payOutReason ? typed("o5") + [.key(.enter)] : typed("z")
      try await type(menu + rest)
    }
    guard RandomCashier.name(of: till.program.state.mode) == expectedScreen(dialog) else {
      throw SetupFailure(description: "\(dialog) did not open\n\(till.program.screen.text)")
    }
  }

  /// A dialog as a failure report names it: its screen, and the tender typed so far.
  static func brief(_ mode: Mode) -> String {
    if case .payment(.cash(let text)) = mode { return "cash \"\(text)\"" }
    if case .payment(.confirmTender(let tendered)) = mode {
      return "confirm-tender \(tendered.decimalString)"
    }
    return RandomCashier.name(of: mode)
  }

  static func expectedScreen(_ dialog: Dialog) -> String {
    switch dialog {
    case .payChoose: "pay"
    case .partAmount: "part-amount"
    case .returnLines: "return"
    case .cashEntry: "cash"
    case .confirmTender: "confirm-tender"
    case .confirmCard: "confirm-card"
    case .cardPending: "card-pending"
    case .declined: "declined"
    case .ordersList: "orders"
    case .confirmCancel: "confirm-cancel"
    case .shortage: "shortage"
    case .receipt: "receipt"
    case .confirmQuit: "confirm-quit"
    case .discount: "discount"
    case .registerFloat, .registerMenu, .payOutReason, .registerCount: "register"
    }
  }
}
