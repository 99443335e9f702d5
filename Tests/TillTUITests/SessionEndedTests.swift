import Foundation
import Testing
import TillClient
import TillCore
import TillServer
import TillTestSupport

/// A session the server ends while the till is in use (here: the cashier's PIN is reset), end to end:
/// the real `Program` over HTTP goes back to the sign-in screen and keeps the sale for the cashier.
@Suite("end to end: a session the server ends")
struct SessionEndedTests {
  @Test func aResetPinSendsTheTillToSignInAndTheEditTypedThenArrivesAfterSigningInAgain() async throws {
    try await withEndToEndBackend { backend in
      try await CounterTill.with(backend.baseURL) { till in
        till.press(.enter)
        try await till.settle()
        let cartId = try #require(till.state.cart?.id)
        let newPIN = "5555"
        let hash = await PINHasher(cost: ServerHarness.pinHashCost).hash(newPIN)
        _ = try await backend.server.store.resetPIN(code: "1001", pinHash: hash, by: .admin)

        till.press(.enter)
        try await till.waitFor("Your session has ended — sign in again")
        #expect(till.state.staff == nil)
        #expect(!till.cartPanel.contains("Croissant"), "nothing of the sale shows on the sign-in screen")

        till.type("1001")
        till.press(.tab)
        till.type(newPIN)
        till.press(.enter)
        try await till.wait(for: "the second croissant on the server") { state, _ in
          state.staff != nil && !state.hasPendingEdits && state.cart?.lines.first?.quantity == 2
        }
        #expect(till.state.cart?.id == cartId, "the same cart, kept for its cashier")
        let client = backend.terminalClient()
        _ = try await client.signIn(code: "1001", pin: newPIN)
        #expect(try await client.cart(id: cartId).lines.map(\.quantity) == [2], "the edit applied once")
      }
    }
  }
}
