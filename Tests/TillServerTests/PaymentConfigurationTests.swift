import Testing
import TillCore
import TillStore
import TillTestSupport

@testable import TillServer

@Suite("Payment configuration and problem mapping")
struct PaymentConfigurationTests {
  @Test("the provider configuration never prints its secret key")
  func secretRedacted() {
    let provider = PaymentProviderConfiguration(
      baseURL: "http://127.0.0.1:8090", shopId: "shop-1", secretKey: "super-secret-value")
    let configuration = ServerConfiguration(
      port: 0, staffTokens: [ServerHarness.staffToken], paymentProvider: provider)
    for text in [
      "\(provider)", String(reflecting: provider), "\(String(describing: configuration.paymentProvider))",
    ] {
      #expect(!text.contains("super-secret-value"))
      #expect(text.contains("<redacted>"))
    }
  }

  @Test("a provider URL, shop id and key are checked at start; a trailing slash is dropped")
  func providerValidated() throws {
    func validated(_ url: String, shop: String = "s", key: String = "k") throws -> ServerConfiguration {
      try ServerConfiguration(
        port: 0, staffTokens: [ServerHarness.staffToken],
        paymentProvider: PaymentProviderConfiguration(baseURL: url, shopId: shop, secretKey: key)
      ).validated()
    }
    #expect(try validated("http://127.0.0.1:8090/").paymentProvider?.baseURL == "http://127.0.0.1:8090")
    for (url, shop, key) in [
      ("ftp://x", "s", "k"), ("http://", "s", "k"), ("http://x", "", "k"), ("http://x", "s", ""),
    ] {
      #expect(throws: ServerConfigurationError.self) { try validated(url, shop: shop, key: key) }
    }
    #expect(throws: ServerConfigurationError.invalidRecoveryInterval) {
      try ServerConfiguration(
        port: 0, staffTokens: [ServerHarness.staffToken], paymentRecoveryInterval: .zero
      ).validated()
    }
  }

  static let payment = Payment(
    id: "p", orderId: "o", method: .card, status: .pending, amount: Money(amount: 1, currency: "EUR"),
    tendered: nil, change: nil, attempt: 1, idempotenceKey: "order-o-payment-1", declineReason: nil)

  @Test(
    "payment store errors map to their problems",
    arguments: [
      (StoreError.paymentPending(payment), 409, ProblemKind.paymentPending),
      (.insufficientTender(total: Money(amount: 440, currency: "EUR")), 422, .insufficientTender),
      (.currencyMismatch(expected: "EUR"), 422, .currencyMismatch),
      (.orderNotPayable(status: .canceled), 409, .orderNotPayable),
      (.orderNotCancelable(status: .paid), 409, .orderNotCancelable),
    ])
  func mapping(_ error: StoreError, _ status: Int, _ kind: ProblemKind) {
    let problem = Problem(error)
    #expect(problem.status == status && problem.kind == kind)
    if case .paymentPending(let payment) = error { #expect(problem.payment == payment) }
  }
}
