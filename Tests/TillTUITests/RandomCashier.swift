import Foundation
import TillClient
import TillCore
import TillTUI
import TillTestSupport

/// Seeded random key sequences over the cashier's whole vocabulary, and a headless till to play them on.
///
/// A sequence is built from chunks a cashier would type: a search (`/` and letters, kept with Enter or
/// cleared with Esc), moves and paging, categories, `+`/Enter and `-`, a multiplier (`3*`), scans of
/// demo barcodes and of an unknown code, Tab, checkout, cash with a tender (one far above the total
/// is confirmed with a second Enter), card with its confirming Enter, a new order, the orders list,
/// and cancel with `x` `y`. The letters of a search typed where no search is open act as the keys they
/// are there (`c` checks out, `n` starts a new order, `o`, `r` and `f` in the lists and dialogs).
enum RandomCashier {
  /// Parts of product names the search is typed with; the last finds nothing. No `q`: typed where the
  /// search is not open (the orders list, say), it would quit the till.
  static let searches = ["cro", "latte", "tea", "milk", "bro", "caf", "b", "sand", "zzw"]
  /// Tenders typed in the cash field: exact-ish, generous, too little, comma-decimal, far above.
  static let tenders = ["2", "5", "10", "20.00", "50", "100", "1.5", "12,50", "0", "5000", "750.00"]
  /// A code no product has.
  static let unknownCode = "2999999999990"

  /// The generator of case `index` of a run seeded with `seed`. Its start is mixed from both, so no two
  /// cases play shifted copies of one stream (as `seed ^ index` as a SplitMix64 state would).
  static func generator(seed: UInt64, index: Int) -> SplitMix64 {
    var mixer = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
    return SplitMix64(seed: mixer.next())
  }

  /// One sequence of `20...60` keys; the same generator state always gives the same sequence.
  static func sequence(_ random: inout SplitMix64, products: [Product]) -> [KeyInput] {
    let length = 20 + random.below(41)
    // Low-stock products are scanned often, so shortages at checkout happen too.
    let lowStock = products.filter { $0.stock <= 3 }
    var keys: [KeyInput] = []
    while keys.count < length {
      keys += chunk(&random, products: products, lowStock: lowStock)
    }
    return Array(keys.prefix(length))
  }

  private static func chunk(_ random: inout SplitMix64, products: [Product], lowStock: [Product])
    -> [KeyInput]
  {
    func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }
    func typed(_ text: String) -> [KeyInput] { text.map { .key(.character($0)) } }
    switch random.below(100) {
    case 0..<9:
      let ending: [[KeyInput]] = [[.key(.enter)], [.key(.escape)], [.key(.down)], [.key(.tab)], []]
      return typed("/" + String(pick(searches).prefix(1 + random.below(5)))) + pick(ending)
    case 9..<13: return [.key(.enter)]
    case 13..<15:
      // A discount on the selected line (%) or the order ($): past 10 % it asks for a manager.
      let value = random.below(3) == 0 ? [.key(.tab)] + typed("0.5") : typed(String(random.below(16)))
      return typed(pick(["%", "$"])) + value + pick([[.key(.enter)], [.key(.escape)], []])
    case 15..<18: return [.key(.escape)]
    case 18..<23: return [.key(pick([.left, .right]))]
    case 23..<34: return [.key(pick([.up, .down, .down]))]
    case 34..<38: return [.key(pick([.pageUp, .pageDown]))]
    case 38..<48: return [.key(.character("+"))]
    case 48..<54: return [.key(.character("-"))]
    case 54..<58: return typed(String(1 + random.below(random.below(4) == 0 ? 12 : 4)) + "*")
    case 58..<65:
      let source = random.below(3) == 0 && !lowStock.isEmpty ? lowStock : products
      return [.scan(pick(source).barcode ?? unknownCode)]
    case 65..<67: return [.scan(unknownCode)]
    case 67..<72: return [.key(.tab)]
    case 72..<78: return typed("c")
    case 78..<85:
      let tender = pick(tenders)
      let confirm: [KeyInput] = tender.count >= 4 && random.below(4) != 0 ? [.key(.enter)] : []
      return typed(random.below(2) == 0 ? "p1" : "1") + typed(tender) + [.key(.enter)] + confirm
    case 85..<89: return typed(random.below(2) == 0 ? "p2" : "2") + [.key(.enter)]
    case 89..<92: return typed("n")
    case 92..<96: return typed("o") + pick([[], [.key(.down)], typed("p"), [.key(.escape)], typed("c")])
    case 96..<98:
      // F2, then someone signs in: the same cashier gets the sale back, another starts afresh (and needs
      // a manager to cancel the first one's orders).
      let person = pick([ServerHarness.cashier, ServerHarness.otherCashier, ServerHarness.manager])
      return [.key(.function(2))] + typed(person.code) + [.key(.tab)] + typed(person.pin) + [.key(.enter)]
    default: return [.key(.escape)] + typed("o") + pick([[], [.key(.down)]]) + typed("xy")
    }
  }

  /// The sequence as one line: characters as typed, named keys in brackets, scans as `scan(code)`.
  static func describe(_ keys: [KeyInput]) -> String {
    keys.map { input -> String in
      switch input {
      case .scan(let code): return " scan(\(code)) "
      case .key(.character(let character)): return String(character)
      case .key(let key): return " [\(String(describing: key))] "
      }
    }.joined().replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
  }

  /// Waits until every key sent was handled and no back-end call is on its way: two idle looks in a
  /// row 5 ms apart, so an answer that queues a follow-up call is not taken for the end. False when
  /// `timeout` passed first or the program ended.
  static func settle(_ program: Program, within timeout: Duration) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    var idleLooks = 0
    while ContinuousClock.now < deadline && !program.isFinished {
      // Held keys count as not settled, so a pipeline that stopped releasing keys cannot pass for done.
      idleLooks = program.isIdle && program.state.heldKeys.isEmpty ? idleLooks + 1 : 0
      if idleLooks >= 2 { return true }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return false
  }

  /// The screen and what the till waits for, for a report of a till that did not settle.
  static func diagnosis(_ program: Program) -> String {
    let state = program.state
    let waits: [(String, Bool)] = [
      ("productsLoading", state.productsLoading), ("moreInFlight", state.moreInFlight),
      ("categoriesInFlight", state.categoriesInFlight), ("codeInFlight", state.codeInFlight),
      ("cartRequested", state.cartRequested), ("inFlight", state.inFlight != nil),
      ("placingOrder", state.placingOrder), ("paymentInFlight", state.paymentInFlight),
      ("ordersLoading", state.ordersLoading), ("cancelInFlight", state.cancelInFlight),
      ("discountInFlight", state.discountInFlight != nil), ("receiptLoading", state.receiptLoading),
      ("register.sending", state.register.sending),
    ]
    let flags = waits.filter(\.1).map(\.0).joined(separator: " ")
    return
      "ended: \(program.isFinished), idle: \(program.isIdle), held keys: \(state.heldKeys.count), waiting for: [\(flags)]\n"
      + program.screen.text
  }

  /// A short name of what the screen shows, for a tally of the screens a run reached.
  static func name(of mode: Mode) -> String {
    switch mode {
    case .browse: "browse"
    case .checkout: "checkout"
    case .payment(.choose): "pay"
    case .payment(.cash): "cash"
    case .payment(.partAmount): "part-amount"
    case .payment(.confirmTender): "confirm-tender"
    case .payment(.confirmCard): "confirm-card"
    case .payment(.sending): "sending"
    case .payment(.cardPending): "card-pending"
    case .payment(.declined): "declined"
    case .receipt: "receipt"
    case .shortage: "shortage"
    case .orders: "orders"
    case .confirmCancel: "confirm-cancel"
    case .approval: "approval"
    case .discount: "discount"
    case .register: "register"
    case .refund: "return"
    case .confirmQuit: "confirm-quit"
    }
  }

  /// Sends one key or scan to the program, as the terminal would.
  static func send(_ input: KeyInput, to program: Program) {
    switch input {
    case .key(let key): program.send(.key(key))
    case .scan(let code): program.send(.scan(code))
    }
  }

  /// The screen without the minutes of order times (`2026-01-01T12:34`, and `2026-01-01 12:34` on a
  /// receipt), which two runs of one sequence may straddle.
  static func comparable(_ screen: String) -> String {
    screen.replacing(#/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/#, with: "YYYY-MM-DDThh:mm")
      .replacing(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/#, with: "YYYY-MM-DD hh:mm")
  }
}

/// A headless till running on a back end at `baseURL`, with its program loop on a task of its own.
///
/// The periodic tick is an hour: live stock refreshes and retries would otherwise come at times that
/// differ between two runs of one sequence and make their screens differ by timing, not by keys.
struct RandomCashierTill {
  let program: Program
  let terminal: HeadlessTerminal
  let loop: Task<Void, any Error>

  init(baseURL: String, pageSize: Int = 60, size: Size = Size(columns: 100, rows: 30)) {
    terminal = HeadlessTerminal(size: size)
    program = Program(
      configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId(), pageSize: pageSize),
      backend: TillClientBackend(client: TillClient(baseURL: baseURL, token: ServerHarness.staffToken)),
      terminal: terminal, tickInterval: .seconds(3600))
    let program = program
    loop = Task { try await program.run() }
    // Signed in the way the sequences' keys are sent (straight to the program), so they come after it.
    let person = ServerHarness.cashier
    let signIn =
      person.code.map { Key.character($0) } + [.tab] + person.pin.map { Key.character($0) } + [.enter]
    for key in signIn { program.send(.key(key)) }
  }

  func stop() async {
    program.stop()
    _ = try? await loop.value
  }
}
