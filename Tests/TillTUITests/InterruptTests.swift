import Foundation
import Testing
import TillClient
import TillCore
import TillTUI
import TillTestSupport

/// A signal (Ctrl-C, SIGTERM, SIGHUP) ends the till without losing what the cashier typed: the edits
/// queued behind the one in flight are still sent, and keys typed after the signal are not taken.
@Suite("front end: an interrupt sends the typed edits, then ends")
struct InterruptTests {
  static let products = [
    Product(
      sku: "INT-1", name: "Flat white", category: "Coffee", price: Money(amount: 320, currency: "EUR"),
      stock: 100, barcode: "2000000000101")
  ]

  @Test func editsTypedBeforeTheSignalReachTheServerAndNoneAfter() async throws {
    let harness = try await ServerHarness.start(products: Self.products)
    let terminal = HeadlessTerminal(size: Size(columns: 100, rows: 30))
    let program = Program(
      configuration: AppConfiguration(sessionId: AppConfiguration.freshSessionId()),
      backend: TillClientBackend(
        client: TillClient(baseURL: harness.baseURL, token: ServerHarness.staffToken)),
      terminal: terminal)
    let loop = Task { try await program.run() }
    terminal.signIn()

    try await eventually("the catalogue did not show:\n\(terminal.screen.description)") {
      terminal.screen.description.contains("Flat white")
    }

    // Twenty presses at once: one increment goes out, the rest queue behind it (merged).
    for _ in 0..<20 { terminal.press(.enter) }
    program.interrupt()
    for _ in 0..<3 { terminal.press(.enter) }  // after the signal: not taken
    try await loop.value

    #expect(!program.state.hasPendingEdits)
    let cartId = try #require(program.state.cart?.id)
    let cart = try await TillClient.signedIn(baseURL: harness.baseURL).cart(
      id: cartId)
    #expect(cart.lines.map(\.quantity) == [20], "the server's cart: \(cart.lines)")
    await harness.stop()
  }
}
