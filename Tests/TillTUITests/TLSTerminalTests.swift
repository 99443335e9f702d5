import Foundation
import Testing
import TillCore
import TillServer
import TillTestSupport

/// The real `till` in a real terminal (tmux) against a back end speaking HTTPS with the shop's
/// certificates: it signs in and sells when given the shop's CA, and says the server is not trusted,
/// selling nothing, when given another CA.
@Suite("TLS in the real terminal", .serialized)
struct TLSTerminalTests {
  static let products = [
    Product(
      sku: "TLS-1", name: "Pretzel", category: "Bakery", price: Money(amount: 120, currency: "EUR"),
      stock: 50,
      barcode: "BC-TLS-1")
  ]

  @Test("till --server https://… --ca-certificate sells; another CA is refused on screen")
  func sellsOverHTTPS() async throws {
    _ = try #require(TillBinary.url, "till is not built next to the tests")
    let directory = try TemporaryDirectory.make("till-tls-terminal")
    defer { try? FileManager.default.removeItem(at: directory) }
    let shop = try ShopCertificates.create(
      hosts: ["127.0.0.1"], in: directory.appendingPathComponent("shop").path)
    let other = try ShopCertificates.create(
      hosts: ["127.0.0.1"], in: directory.appendingPathComponent("other").path)
    let harness = try await ServerHarness.start(.sqlite, products: Self.products, tls: shop.files)
    let tmux = Tmux()
    defer { tmux.killServer() }
    do {
      try Self.startTill(tmux, server: harness.baseURL, ca: other.files.caCertificate)
      try await tmux.waitFor("Staff code:", within: .seconds(20))
      try tmux.typeCredentials(code: ServerHarness.cashier.code, pin: ServerHarness.cashier.pin)
      try await tmux.waitFor("••••")
      try tmux.send("Enter")
      try await tmux.waitFor("certificate is not trusted", within: .seconds(20))
      try tmux.run("kill-session", "-t", "till")

      try Self.startTill(tmux, server: harness.baseURL, ca: shop.files.caCertificate)
      try await tmux.signIn(
        code: ServerHarness.cashier.code, pin: ServerHarness.cashier.pin, name: "Test Cashier", float: nil)
      try await tmux.waitFor("Pretzel")
      try tmux.send("Enter")
      try await tmux.waitFor("1 Pretzel")
      try tmux.send("c")
      try await tmux.waitFor("Pay order #")
      try tmux.send("1")
      try tmux.type("2")
      try tmux.send("Enter")
      try await tmux.waitFor("Receipt", within: .seconds(20))
      let orders = try await harness.client().get("/v1/orders").decoded(Page<Order>.self).items
      #expect(orders.map(\.status) == [.paid], "the sale reached the server over HTTPS")
      #expect(orders.first?.total == Money(amount: 120, currency: "EUR"))
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  /// The built `till` in tmux's pane "till", a terminal of the back end at `server` trusting `ca`.
  static func startTill(_ tmux: Tmux, server: String, ca: String) throws {
    let till = try #require(TillBinary.url)
    try tmux.run(
      "new-session", "-d", "-s", "till", "-x", "100", "-y", "30", "-e", "LANG=C.UTF-8", "-e",
      "TILL_TOKEN=\(ServerHarness.staffToken)",
      "'\(till.path)' --server '\(server)' --ca-certificate '\(ca)'; echo till-exit-status=$?; sleep 60")
  }
}
