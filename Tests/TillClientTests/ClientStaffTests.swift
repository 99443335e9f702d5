import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillServer
import TillTestSupport

/// Signing in and out, and approvals, through `TillClient` against the real server.
@Suite("TillClient staff routes")
struct ClientStaffTests {
  @Test("sign-in answers the person and the terminal; later calls sell as that person")
  func signInThenSell() async throws {
    try await withClientServer { harness in
      let client = ClientFixtures.client(harness)
      let refused = await #expect(throws: TillClientError.self) { _ = try await client.createCart() }
      guard case .signInRequired = refused else {
        Issue.record("a terminal alone may not sell: \(String(describing: refused))")
        return
      }
      #expect(refused?.message == "Sign in with your staff code and PIN first.")
      let answer = try await client.signIn(code: "1001", pin: "1234")
      #expect(answer.staff == StaffSummary(code: "1001", name: "Test Cashier", role: .cashier))
      #expect(answer.terminal == "till-1")
      #expect(client.isSignedIn)
      let cart = try await client.createCart()
      _ = try await client.increment(cartId: cart.id, sku: "CL-1", delta: 1)
      let order = try await client.placeOrder(cartId: cart.id)
      #expect(order.staff == "1001")
    }
  }

  @Test("a wrong PIN and an unknown code are the same signInFailed; the client stays signed out")
  func wrongPIN() async throws {
    try await withClientServer { harness in
      let client = ClientFixtures.client(harness)
      let wrong = await #expect(throws: TillClientError.self) {
        _ = try await client.signIn(code: "1001", pin: "9999")
      }
      let unknown = await #expect(throws: TillClientError.self) {
        _ = try await client.signIn(code: "7777", pin: "9999")
      }
      guard case .signInFailed(let problem) = wrong else {
        Issue.record("expected signInFailed, got \(String(describing: wrong))")
        return
      }
      #expect(problem.kind == .signInFailed)
      #expect(wrong == unknown)
      #expect(wrong?.message == "Staff code or PIN not recognised.")
      #expect(!client.isSignedIn)
    }
  }

  @Test("too many wrong PINs: tooManyAttempts with the Retry-After seconds")
  func lockedOut() async throws {
    try await withClientServer { harness in
      let client = ClientFixtures.client(harness)
      var last: TillClientError?
      for _ in 0..<6 {
        last = await #expect(throws: TillClientError.self) {
          _ = try await client.signIn(code: "1002", pin: "0000")
        }
      }
      guard case .tooManyAttempts(let seconds, let problem) = last else {
        Issue.record("expected tooManyAttempts, got \(String(describing: last))")
        return
      }
      #expect(problem.kind == .tooManyAttempts)
      let wait = try #require(seconds)
      #expect((1...30).contains(wait))
      #expect(last?.message.hasPrefix("Too many wrong PINs: try again in ") == true)
    }
  }

  @Test("sign-out ends the session: the client is the terminal again and may not sell")
  func signOut() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      try await client.signOut()
      #expect(!client.isSignedIn)
      let refused = await #expect(throws: TillClientError.self) { _ = try await client.createCart() }
      guard case .signInRequired = refused else {
        Issue.record("expected signInRequired, got \(String(describing: refused))")
        return
      }
      #expect(try await client.categories().count == 2, "the terminal still reads the catalogue")
      try await client.signOut()  // nobody signed in: nothing to do
    }
  }

  @Test("a session the server ended is sessionEnded, once; then the client is the terminal again")
  func sessionEndedElsewhere() async throws {
    try await withClientServer { harness in
      let client = try await ClientFixtures.cashier(harness)
      _ = try await client.createCart()
      _ = try await harness.store.disableStaff(code: "1001", by: .admin)
      let ended = await #expect(throws: TillClientError.self) { _ = try await client.createCart() }
      #expect(ended == .sessionEnded)
      #expect(ended?.message == "Your session has ended: sign in again.")
      #expect(!client.isSignedIn)
      #expect(try await client.product(sku: "CL-1").sku == "CL-1")
    }
  }

  @Test("another person's order: approvalRequired, approvalRefused, then canceled with a manager's PIN")
  func cancelWithApproval() async throws {
    try await withClientServer { harness in
      let ana = try await ClientFixtures.cashier(harness)
      let cart = try await ana.createCart()
      _ = try await ana.increment(cartId: cart.id, sku: "CL-2", delta: 2)
      let order = try await ana.placeOrder(cartId: cart.id)
      let ben = try await ClientFixtures.cashier(harness, as: ServerHarness.otherCashier)

      let required = await #expect(throws: TillClientError.self) {
        _ = try await ben.cancelOrder(id: order.id)
      }
      guard case .approvalRequired = required else {
        Issue.record("expected approvalRequired, got \(String(describing: required))")
        return
      }
      let notManager = await #expect(throws: TillClientError.self) {
        _ = try await ben.cancelOrder(id: order.id, approval: Approval(code: "1001", pin: "1234"))
      }
      let wrongPIN = await #expect(throws: TillClientError.self) {
        _ = try await ben.cancelOrder(id: order.id, approval: Approval(code: "2001", pin: "0000"))
      }
      for refused in [notManager, wrongPIN] {
        guard case .approvalRefused = refused else {
          Issue.record("expected approvalRefused, got \(String(describing: refused))")
          continue
        }
      }
      #expect(try await ana.product(sku: "CL-2").stock == 1, "nothing changed")

      let approval = Approval(code: ServerHarness.manager.code, pin: ServerHarness.manager.pin)
      let canceled = try await ben.cancelOrder(id: order.id, approval: approval)
      #expect(canceled.status == .canceled)
      #expect(try await ana.product(sku: "CL-2").stock == 3)
    }
  }
}
