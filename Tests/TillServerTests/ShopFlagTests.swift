import Foundation
import Testing
import TillCore
import TillHTTP
import TillTestSupport

/// `till-server`'s shop flags and their environment variables, through the real executable: the receipt
/// header, the cashier's discount limit and prices without tax reach the running back end; values it
/// cannot use are one line and a non-zero exit.
@Suite("till-server shop flags", .serialized)
struct ShopFlagTests {
  static let terminalToken = "shop-flags-terminal-6b1e0c9d2f7a"

  /// Starts `till-server` on a fresh SQLite file with the demo catalogue and staff, runs `body` with the
  /// cashier 1001 signed in (and her sign-in answer), and stops it. `opensRegister` opens the terminal's
  /// register first when the back end sells only so.
  static func withServer(
    flags: [String], environment: [String: String] = [:], opensRegister: Bool = true,
    _ body: (APITestClient, SignInResponse) async throws -> Void
  ) async throws {
    let directory = try TemporaryDirectory.make("till-shop-flags")
    defer { try? FileManager.default.removeItem(at: directory) }
    let server = try ServerProcess(
      arguments: [
        "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
        "--terminal", "front=\(terminalToken)", "--demo-staff", "--pin-cost", "4",
      ] + flags, environment: environment)
    defer { server.terminate() }
    let port = try #require(try await server.port(), "no listening line in: \(server.log)")
    let baseURL = "http://127.0.0.1:\(port)"
    let session = try await ServerHarness.signIn(
      ServerHarness.cashier, terminalToken: terminalToken, at: baseURL)
    if opensRegister, session.registerRequired {
      try await StaffSignIn.openRegister(baseURL: baseURL, session: session.token)
    }
    try await body(APITestClient(baseURL: baseURL, token: session.token), session)
  }

  /// A paid order of one unit of the catalogue's first product, after `discount` percent off it (403 past
  /// the limit is answered as it came), and its text receipt.
  static func sale(_ cashier: APITestClient, discount: Int) async throws -> (HTTPResponse, Order, String) {
    let product = try #require(
      try await cashier.get("/v1/products?limit=1").decoded(Page<Product>.self).items.first)
    let cart = try await cashier.cart(with: [(product.sku, 1)])
    let answer = try await cashier.discount(
      cart.id, DiscountRequest(opId: "flags-\(discount)", sku: product.sku, percent: discount, amount: nil))
    let order = try await cashier.paidInCash(cartId: cart.id, tendered: 100_000)
    return (answer, order, try await cashier.receipt(order.id).text)
  }

  @Test("flags: receipt header, a 5 % limit, prices without tax")
  func flags() async throws {
    try await Self.withServer(
      flags: [
        "--shop-name", "Flag Shop", "--shop-address", "Line One", "--shop-address", "Line Two", "--vat-id",
        "DE999", "--cashier-discount-limit", "5", "--prices-exclude-tax",
      ], environment: ["TILL_SHOP_NAME": "Not This One"]
    ) { cashier, _ in
      let (refused, _, _) = try await Self.sale(cashier, discount: 6)
      #expect(refused.status == 403 && refused.problem?.kind == .approvalRequired)
      let (given, order, receipt) = try await Self.sale(cashier, discount: 4)
      #expect(given.status == 200)
      #expect(order.taxBasis == .exclusive)
      #expect(order.discountTotal.amount > 0)
      for part in [
        "Flag Shop", "Line One", "Line Two", "VAT ID DE999", "Prices exclude VAT", "Terminal front",
      ] {
        #expect(receipt.contains(part), "missing \(part) in:\n\(receipt)")
      }
      #expect(!receipt.contains("Not This One"))
    }
  }

  @Test("environment: receipt header, a limit of 0, prices without tax")
  func environment() async throws {
    try await Self.withServer(
      flags: [],
      environment: [
        "TILL_SHOP_NAME": "Env Shop", "TILL_SHOP_ADDRESS": "Env Street 2|99999 Town", "TILL_VAT_ID": "DE777",
        "TILL_CASHIER_DISCOUNT_LIMIT": "0", "TILL_PRICES_EXCLUDE_TAX": "1",
      ]
    ) { cashier, _ in
      let (refused, order, receipt) = try await Self.sale(cashier, discount: 1)
      #expect(refused.status == 403 && refused.problem?.kind == .approvalRequired)
      #expect(order.taxBasis == .exclusive)
      for part in ["Env Shop", "Env Street 2", "99999 Town", "VAT ID DE777", "Prices exclude VAT"] {
        #expect(receipt.contains(part), "missing \(part) in:\n\(receipt)")
      }
    }
  }

  @Test("defaults: the shop is Till, 10 % needs no approval, prices include tax")
  func defaults() async throws {
    try await Self.withServer(flags: []) { cashier, _ in
      let (given, order, receipt) = try await Self.sale(cashier, discount: 10)
      #expect(given.status == 200)
      #expect(order.taxBasis == .inclusive)
      let header = receipt.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(header == "Till", "\(receipt)")
      #expect(receipt.contains("Prices include VAT"))
    }
  }

  @Test(
    "the register: required unless --no-require-register-session or TILL_REQUIRE_REGISTER_SESSION=0 says not",
    arguments: [
      ([], [:], true), (["--no-require-register-session"], [:], false),
      ([], ["TILL_REQUIRE_REGISTER_SESSION": "0"], false), ([], ["TILL_REQUIRE_REGISTER_SESSION": "1"], true),
      (["--require-register-session"], ["TILL_REQUIRE_REGISTER_SESSION": "0"], true),
    ] as [([String], [String: String], Bool)])
  func register(flags: [String], environment: [String: String], required: Bool) async throws {
    try await Self.withServer(flags: flags, environment: environment, opensRegister: false) {
      cashier, signIn in
      #expect(signIn.registerRequired == required, "the sign-in tells the till")
      #expect(signIn.register == nil)
      let product = try #require(
        try await cashier.get("/v1/products?limit=1").decoded(Page<Product>.self).items.first)
      let cart = try await cashier.cart(with: [(product.sku, 1)])
      let answer = try await cashier.placeOrder(cart: cart.id)
      if required {
        #expect(answer.status == 409 && answer.problem?.kind == .noOpenSession, "\(answer.status)")
        let stock = try await cashier.get("/v1/products/\(product.sku)").decoded(Product.self).stock
        #expect(stock == product.stock, "the refused order took no stock")
      } else {
        let order = try answer.decoded(Order.self, expecting: 201)
        #expect(order.sessionId == nil, "an order with no register open is in no session")
      }
    }
  }

  @Test(
    "unusable shop settings are one line and a non-zero exit",
    arguments: [
      (
        ["--cashier-discount-limit", "101"], [:],
        "the cashier discount limit must be 0 to 100 percent, not 101"
      ),
      ([], ["TILL_CASHIER_DISCOUNT_LIMIT": "ten"], "TILL_CASHIER_DISCOUNT_LIMIT must be a whole percent"),
      ([], ["TILL_PRICES_EXCLUDE_TAX": "maybe"], "TILL_PRICES_EXCLUDE_TAX must be 1 or 0, not maybe"),
      ([], ["TILL_REQUIRE_REGISTER_SESSION": "on"], "TILL_REQUIRE_REGISTER_SESSION must be 1 or 0, not on"),
      (["--shop-name", " "], [:], "the shop name must be 1 to 60 characters"),
      (["--vat-id", "DE\u{1B}1"], [:], "the VAT id must be 1 to 60 characters"),
    ] as [([String], [String: String], String)])
  func refusals(flags: [String], environment: [String: String], message: String) async throws {
    let server = try ServerProcess(
      arguments: ["--listen", "127.0.0.1:0", "--staff-token", ExecutableTests.staffToken] + flags,
      environment: environment)
    let status = try await server.exitStatus()
    #expect(status != nil && status != 0)
    let lines = server.log.split(separator: "\n").map(String.init)
    #expect(lines.count == 1 && lines.first?.hasPrefix("till-server: ") == true, "\(server.log)")
    #expect(server.log.contains(message), "\(server.log)")
  }
}
