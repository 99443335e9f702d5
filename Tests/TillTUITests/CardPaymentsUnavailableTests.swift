import Testing
import TillClient
import TillCore

@testable import TillTUI

/// A card provider refusing the shop's settings reads as what it is, not as a declined card, and the
/// cashier can still take cash.
@Suite("update: card payments unavailable")
struct CardPaymentsUnavailableTests {
  static let lines = [Fixtures.line(Fixtures.croissant, 3), Fixtures.line(Fixtures.broetchen, 5)]
  static let problem = Problem(
    .cardPaymentsUnavailable, status: 503,
    detail: "Card payments are unavailable — check the provider settings.")

  @Test func theStatusLineNamesTheSettingsAndCashStillWorks() {
    var state = Fixtures.state(withCart: Self.lines)
    _ = state.press(.character("c"))
    _ = state.update(.orderPlaced(key: "S-order-1", .success(Fixtures.order(Self.lines))))
    _ = state.answerList()
    _ = state.press(.character("2"))
    #expect(state.press(.enter) == [.pay(orderId: "order-1", request: .card)])

    let failure = TillClientBackend.failure(for: .cardPaymentsUnavailable(Self.problem))
    #expect(
      failure
        == .rejected(
          kind: .cardPaymentsUnavailable,
          message: TillClientError.cardPaymentsUnavailable(Self.problem).message))
    _ = state.update(.paymentFinished(orderId: "order-1", .failure(failure)))
    #expect(state.status?.text == "card payments unavailable — check the provider settings")
    #expect(state.status?.text.contains("declined") == false)
    #expect(state.mode == .payment(.choose))

    _ = state.press(.character("1"))
    _ = state.type("10")
    let effects = state.press(.enter)
    #expect(effects == [.pay(orderId: "order-1", request: .cash(tendered: euro(1000)))])
  }
}
