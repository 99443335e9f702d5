import Synchronization
import Testing
import TillCore
import TillTestSupport

@testable import TillTUI

/// Records the calls the runtime makes. Only what these runtime tests touch answers; it is no stand-in for
/// the back end (the scripted end-to-end tests run against the real server).
final class RecordingBackend: CashierBackend {
  struct Calls {
    var increments: [IncrementRequest] = []
    var quantity = 0
    var inFlight = 0
    var maxInFlight = 0
  }

  let calls = Mutex(Calls())
  let incrementDelay: Duration
  /// While closed, increments wait: lets a test prove keys are handled while the network hangs.
  let gate = Mutex(true)

  init(incrementDelay: Duration = .zero) { self.incrementDelay = incrementDelay }

  func products(_ query: ProductQuery) async throws(BackendFailure) -> Page<Product> {
    let text = query.text?.lowercased() ?? ""
    let items = Fixtures.products.filter {
      text.isEmpty || $0.name.lowercased().contains(text) || $0.sku.lowercased() == text || $0.barcode == text
    }
    return Page(items: items, next: nil)
  }

  func categories() async throws(BackendFailure) -> [Category] { Fixtures.categories }
  func createCart() async throws(BackendFailure) -> Cart { Fixtures.cart([]) }

  func increment(cartId: String, sku: String, delta: Int, opId: String) async throws(BackendFailure) -> Cart {
    calls.withLock {
      $0.inFlight += 1
      $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
    }
    while gate.withLock({ !$0 }) { try? await Task.sleep(for: .milliseconds(2)) }
    if incrementDelay > .zero { try? await Task.sleep(for: incrementDelay) }
    let quantity = calls.withLock {
      $0.inFlight -= 1
      $0.increments.append(IncrementRequest(sku: sku, delta: delta, opId: opId))
      $0.quantity = max(0, $0.quantity + delta)
      return $0.quantity
    }
    return Fixtures.cart(quantity == 0 ? [] : [Fixtures.line(Fixtures.croissant, quantity)])
  }

  func placeOrder(cartId: String, idempotencyKey: String) async throws(BackendFailure) -> Order {
    throw .server("not used in this test")
  }
  func pay(orderId: String, request: PaymentRequest, idempotencyKey: String) async throws(BackendFailure)
    -> PaymentAnswer
  {
    throw .server("not used in this test")
  }
  func cancelOrder(_ id: String, approval: Approval?) async throws(BackendFailure) -> Order {
    throw .server("not used in this test")
  }
  func refund(orderId: String, request: RefundRequest, idempotencyKey: String) async throws(BackendFailure)
    -> Refund
  {
    throw .server("not used in this test")
  }
  func refundReceiptText(orderId: String, refundId: String, width: Int) async throws(BackendFailure) -> String
  {
    throw .server("not used in this test")
  }
  func refundReceiptEscPos(orderId: String, refundId: String, width: Int) async throws(BackendFailure)
    -> [UInt8]
  {
    throw .server("not used in this test")
  }
  func signIn(code: String, pin: String) async throws(BackendFailure) -> SignedInStaff {
    guard code == "1001", pin == "1234" else { throw .rejected(kind: .signInFailed, message: "no") }
    return Fixtures.cashier
  }
  func signOut() async {}
  func orders() async throws(BackendFailure) -> [Order] { [] }
  func order(id: String) async throws(BackendFailure) -> Order { throw .server("not used in this test") }
  func applyDiscount(cartId: String, request: DiscountRequest) async throws(BackendFailure) -> Cart {
    throw .server("not used in this test")
  }
  func receiptText(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> String {
    throw .server("not used in this test")
  }
  func receiptEscPos(orderId: String, width: Int, copy: Bool) async throws(BackendFailure) -> [UInt8] {
    throw .server("not used in this test")
  }
  func openRegister(float: Money) async throws(BackendFailure) -> RegisterSession {
    throw .server("not used in this test")
  }
  func xReport() async throws(BackendFailure) -> SessionReport { throw .server("not used in this test") }
  func recordCashMove(_ request: CashMoveRequest, sessionId: String) async throws(BackendFailure) -> CashMove
  {
    throw .server("not used in this test")
  }
  func closeRegister(sessionId: String, counted: Money, idempotencyKey: String) async throws(BackendFailure)
    -> ZReport
  {
    throw .server("not used in this test")
  }
}

@Suite("runtime: program, headless terminal, script runner")
struct ProgramTests {
  func makeProgram(_ backend: RecordingBackend, size: Size = Size(columns: 100, rows: 30)) -> (
    Program, HeadlessTerminal
  ) {
    let terminal = HeadlessTerminal(size: size)
    let program = Program(
      configuration: Fixtures.configuration, backend: backend, terminal: terminal,
      tickInterval: .milliseconds(50))
    return (program, terminal)
  }

  @Test func twoHundredKeysTypedAheadAllReachTheServer() async throws {
    let backend = RecordingBackend(incrementDelay: .milliseconds(3))
    let (program, terminal) = makeProgram(backend)
    let running = Task { try await program.run() }
    terminal.signIn()
    try await eventually(every: .milliseconds(5)) { program.screen.contains("Croissant") }
    for _ in 0..<200 { terminal.press(.character("+")) }
    try await eventually(every: .milliseconds(5)) {
      program.state.cart?.lines.first?.quantity == 200 && !program.state.hasPendingEdits
    }
    let calls = backend.calls.withLock { $0 }
    #expect(calls.quantity == 200)
    #expect(calls.increments.reduce(0) { $0 + $1.delta } == 200)
    #expect(calls.increments.count == 200, "each press acts on the answer to the one before it")
    #expect(Set(calls.increments.map(\.opId)).count == calls.increments.count)
    #expect(calls.maxInFlight == 1)
    #expect(program.screen.contains("   200 Croissant"))
    program.stop()
    try await running.value
  }

  @Test func keysAreHandledWhileTheNetworkHangs() async throws {
    let backend = RecordingBackend()
    backend.gate.withLock { $0 = false }
    let (program, terminal) = makeProgram(backend)
    let running = Task { try await program.run() }
    terminal.signIn()
    try await eventually(every: .milliseconds(5)) { program.screen.contains("Croissant") }
    terminal.press(.enter)
    try await eventually(every: .milliseconds(5)) { backend.calls.withLock { $0.inFlight } == 1 }
    terminal.press(.character("?"))
    try await eventually(every: .milliseconds(5)) { program.screen.contains("Any key closes this help") }
    #expect(program.screen.contains("Any key closes this help"))
    #expect(program.screen.contains("0 +1"), "the pending edit shows while the server has not answered")
    backend.gate.withLock { $0 = true }
    terminal.press(.escape)
    try await eventually(every: .milliseconds(5)) { program.state.cart?.lines.first?.quantity == 1 }
    #expect(program.state.cart?.lines.first?.quantity == 1)
    program.stop()
    try await running.value
  }

  @Test func headlessScriptRunsAndResizes() async throws {
    let backend = RecordingBackend()
    let (program, terminal) = makeProgram(backend)
    let script = try Script(
      parsing: """
        type "1001"
        press Tab
        type "1234"
        press Enter
        wait-for "Croissant" within 5s
        type "3*"
        press Enter
        wait-for "3 Croissant"
        expect "Total"
        expect-not "Offline"
        snapshot cart
        resize 60x20
        expect "Terminal too small"
        resize 80x24
        expect "3 Croissant"
        """, name: "resize.till")
    let snapshots = try await program.run(script: script, headless: terminal)
    #expect(snapshots["cart"]?.contains("5.70") == true)
    #expect(program.isFinished)
  }

  @Test func failedExpectationNamesTheLineAndPrintsTheScreen() async throws {
    let backend = RecordingBackend()
    let (program, terminal) = makeProgram(backend)
    let script = try Script(
      parsing: """
        type "1001"
        press Tab
        type "1234"
        press Enter
        wait-for "Croissant"
        # the next line is wrong on purpose
        expect "Pretzel"
        """, name: "wrong.till")
    do {
      _ = try await program.run(script: script, headless: terminal)
      Issue.record("the script should have failed")
    } catch let failure as ScriptFailure {
      #expect(failure.line == 7)
      #expect(failure.description.hasPrefix("wrong.till:7: expect \"Pretzel\""))
      #expect(failure.screen.contains("Croissant"))
    }
    #expect(program.isFinished)
  }

  @Test func waitForTimesOut() async throws {
    let (program, terminal) = makeProgram(RecordingBackend())
    let script = try Script(parsing: "wait-for \"never\" within 100ms", name: "t")
    await #expect(throws: ScriptFailure.self) {
      _ = try await program.run(script: script, headless: terminal)
    }
  }

  @Test func keysPressedBeforeTheProgramStartsAreKept() async throws {
    let (program, terminal) = makeProgram(RecordingBackend())
    terminal.signIn()
    terminal.press(.character("?"))
    let running = Task { try await program.run() }
    try await eventually(every: .milliseconds(5)) { program.screen.contains("Any key closes this help") }
    #expect(program.state.showHelp)
    program.stop()
    try await running.value
  }

  @Test func quitEndsTheProgram() async throws {
    let (program, terminal) = makeProgram(RecordingBackend())
    let running = Task { try await program.run() }
    terminal.signIn()
    try await eventually(every: .milliseconds(5)) { program.screen.contains("Croissant") }
    terminal.press(.character("q"))
    try await running.value
    #expect(program.isFinished)
  }
}
