import Foundation
import Testing
import TillTestSupport

@Suite("till-server payment flags")
struct PaymentExecutableTests {
  @Test("a provider without its shop id or secret key is refused in one line, naming the setting only")
  func incompleteProviderIsRefused() async throws {
    let cases: [(arguments: [String], environment: [String: String], message: String)] = [
      (
        ["--payment-provider", "http://127.0.0.1:9"], ["TILL_PAYMENT_SECRET_KEY": "hidden-secret-1"],
        "till-server: --payment-provider needs --payment-shop-id or TILL_PAYMENT_SHOP_ID"
      ),
      (
        ["--payment-provider", "http://127.0.0.1:9", "--payment-shop-id", "shop"], [:],
        "till-server: --payment-provider needs --payment-secret-key or TILL_PAYMENT_SECRET_KEY"
      ),
      (
        ["--payment-shop-id", "shop"],
        ["TILL_PAYMENT_PROVIDER": "ftp://nowhere", "TILL_PAYMENT_SECRET_KEY": "hidden-secret-2"],
        "till-server: the payment provider must be an http:// or https:// URL, not ftp://nowhere"
      ),
    ]
    for testCase in cases {
      let server = try ServerProcess(
        arguments: ["--listen", "127.0.0.1:0", "--staff-token", ExecutableTests.staffToken]
          + testCase.arguments,
        environment: testCase.environment)
      let status = try await server.exitStatus()
      #expect(status != nil && status != 0)
      #expect(server.log.split(separator: "\n").map(String.init) == [testCase.message])
      #expect(!server.log.contains("hidden-secret"))
    }
  }
}
