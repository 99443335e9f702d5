import Foundation
import Testing
import TillClient
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

@testable import TillServer

/// HTTPS between the tills and the back end over loopback, with certificates made by
/// `ShopCertificates` (what `till-server certificate create` runs): a sale end to end through libcurl;
/// a certificate of another CA, an expired one, one for another host and a key other than the pinned
/// one all refused before the request, token and all, leaves the till.
@Suite("TLS between the tills and the back end")
struct TLSTests {
  static let hosts = ["localhost", "127.0.0.1", "::1"]

  /// A fresh folder of certificates for `hosts`, removed after `body`.
  static func withCertificates<T>(
    hosts: [String] = hosts, now: Date = Date(),
    serverLifetime: TimeInterval = ShopCertificates.serverLifetime,
    _ body: (ShopCertificates.Files) async throws -> T
  ) async throws -> T {
    let directory = try TemporaryDirectory.make("till-tls")
    defer { try? FileManager.default.removeItem(at: directory) }
    let made = try ShopCertificates.create(
      hosts: hosts, in: directory.appendingPathComponent("shop").path, now: now,
      serverLifetime: serverLifetime)
    return try await body(made.files)
  }

  /// Two shops' certificates: the server's, and another CA's (with its own server key).
  static func withTwoShops(_ body: (ShopCertificates.Files, ShopCertificates.Files) async throws -> Void)
    async throws
  {
    let directory = try TemporaryDirectory.make("till-tls-two")
    defer { try? FileManager.default.removeItem(at: directory) }
    let shop = try ShopCertificates.create(hosts: hosts, in: directory.appendingPathComponent("shop").path)
    let other = try ShopCertificates.create(hosts: hosts, in: directory.appendingPathComponent("other").path)
    try await body(shop.files, other.files)
  }

  static func withTLSServer<T>(_ files: ShopCertificates.Files, _ body: (ServerHarness) async throws -> T)
    async throws -> T
  {
    try await using(
      try await ServerHarness.start(.sqlite, products: PaymentFixtures.products, tls: files), body)
  }

  /// What a client trusting `caFile` (and pinning `pin`) gets from `harness`: the answer, or the TLS
  /// refusal.
  static func attempt(_ harness: ServerHarness, caFile: String?, pin: String? = nil) async
    -> Result<Int, HTTPError>
  {
    await attempt(harness.baseURL, caFile: caFile, pin: pin)
  }

  static func attempt(_ baseURL: String, caFile: String?, pin: String? = nil) async -> Result<Int, HTTPError>
  {
    let client = APITestClient(
      baseURL: baseURL, token: ServerHarness.staffToken,
      configuration: HTTPConfiguration(caCertificatePath: caFile, pinnedPublicKey: pin))
    do {
      return .success(try await client.get("/v1/products").status)
    } catch let error as HTTPError {
      return .failure(error)
    } catch {
      return .failure(.other(code: -1, message: "\(error)"))
    }
  }

  /// What signing the cashier in through `till` gave: "refused by TLS", or what happened instead.
  static func signIn(_ till: TillClient) async -> String {
    do {
      let answer = try await till.signIn(code: ServerHarness.cashier.code, pin: ServerHarness.cashier.pin)
      return "signed in: \(answer.staff.code)"
    } catch {
      if case .transport(.tls) = error { return "refused by TLS" }
      return "\(error)"
    }
  }

  static func isRefusedByTLS(_ result: Result<Int, HTTPError>) -> Bool {
    if case .failure(.tls) = result { return true }
    return false
  }

  @Test("a sale end to end over HTTPS, the till's typed client trusting the shop's CA")
  func aSaleOverTLS() async throws {
    try await Self.withCertificates { files in
      try await Self.withTLSServer(files) { harness in
        #expect(harness.baseURL.hasPrefix("https://127.0.0.1:"))
        let cashier = harness.client()
        let order = try await cashier.placedOrder()
        let payment = try await cashier.pay(order.id, .cash(tendered: Self.eur(500))).decoded(
          Payment.self, expecting: 201)
        #expect(payment.status == .succeeded)
        // The till's own client, as `till --server https://… --ca-certificate ca.pem` builds it.
        let till = TillClient(
          baseURL: harness.baseURL, token: ServerHarness.staffToken,
          configuration: TillClient.Configuration(caCertificatePath: files.caCertificate))
        let signedIn = try await till.signIn(code: ServerHarness.manager.code, pin: ServerHarness.manager.pin)
        #expect(signedIn.staff.code == ServerHarness.manager.code)
        let orders = try await till.orders().items
        #expect(orders.contains { $0.id == order.id && $0.status == .paid })
      }
    }
  }

  @Test("a certificate from another CA: refused before anything is sent; the server sees no request")
  func anotherCAIsRefusedBeforeTheToken() async throws {
    try await Self.withTwoShops { files, other in
      try await Self.withTLSServer(files) { harness -> Void in
        let before = try await MetricsTests.scrape(harness)
        let refused = await Self.attempt(harness, caFile: other.caCertificate)
        #expect(Self.isRefusedByTLS(refused), "\(refused)")
        let systemTrust = await Self.attempt(harness, caFile: nil)
        #expect(Self.isRefusedByTLS(systemTrust), "the system's trust store does not know the shop's CA")
        let till = TillClient(
          baseURL: harness.baseURL, token: ServerHarness.staffToken,
          configuration: TillClient.Configuration(caCertificatePath: other.caCertificate))
        let signIn = await Self.signIn(till)
        #expect(signIn == "refused by TLS", "the till's typed client: \(signIn)")
        let after = try await MetricsTests.scrape(harness)
        var answered = 0.0
        for sample in after.samples where sample.name == "till_http_requests_total" {
          guard sample.labels["route"] != "/metrics" else { continue }
          answered += sample.value - before.value(sample.name, sample.labels)
        }
        #expect(answered == 0, "the server received no request from the refusing clients")
        #expect(await Self.attempt(harness, caFile: files.caCertificate) == .success(200))
      }
    }
  }

  @Test("an expired certificate and one for another host are refused")
  func expiredAndWrongHost() async throws {
    let longAgo = Date().addingTimeInterval(-30 * 86_400)
    try await Self.withCertificates(now: longAgo, serverLifetime: 86_400) { expired in
      let refused = try await Self.bareTLSServer(expired) { baseURL in
        await Self.attempt(baseURL, caFile: expired.caCertificate)
      }
      #expect(Self.isRefusedByTLS(refused), "expired: \(refused)")
    }
    try await Self.withCertificates(hosts: ["till.local", "192.168.1.10"]) { elsewhere in
      let refused = try await Self.bareTLSServer(elsewhere) { baseURL in
        await Self.attempt(baseURL, caFile: elsewhere.caCertificate)
      }
      #expect(Self.isRefusedByTLS(refused), "another host: \(refused)")
    }
  }

  /// A back end serving HTTPS with `files` and nobody signed in (the harness signs in, which a
  /// certificate no client trusts would stop), for `body` with its base URL.
  static func bareTLSServer<T>(_ files: ShopCertificates.Files, _ body: (String) async throws -> T)
    async throws -> T
  {
    let store = try await makeTestStore(.sqlite, products: PaymentFixtures.products)
    guard let paying = store as? any Store & PaymentStore else { throw StoreError.engine("no payments") }
    var configuration = ServerConfiguration(port: 0, staffTokens: [ServerHarness.staffToken])
    configuration.tls = ServerTLS(certificatePath: files.serverCertificate, keyPath: files.serverKey)
    let server = try await RunningServer.start(store: paying, configuration: configuration)
    do {
      let result = try await body(server.baseURL)
      await server.stop()
      await disposeTestStore(store)
      return result
    } catch {
      await server.stop()
      await disposeTestStore(store)
      throw error
    }
  }

  @Test("a pinned key: the server's own passes, any other is refused")
  func pinnedKey() async throws {
    try await Self.withTwoShops { files, other in
      try await Self.withTLSServer(files) { harness -> Void in
        let right = try ShopCertificates.show(files).serverPin
        let wrong = try ShopCertificates.show(other).serverPin
        #expect(right != wrong)
        #expect(await Self.attempt(harness, caFile: files.caCertificate, pin: right) == .success(200))
        let refused = await Self.attempt(harness, caFile: files.caCertificate, pin: wrong)
        #expect(Self.isRefusedByTLS(refused), "\(refused)")
      }
    }
  }

  @Test("certificate files are the owner's alone; a second create keeps the CA and renews the server's")
  func certificateFiles() async throws {
    try await Self.withCertificates { files in
      let first = try ShopCertificates.show(files)
      for path in [files.caCertificate, files.caKey, files.serverCertificate, files.serverKey] {
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "\(path): \(String(mode ?? 0, radix: 8))")
      }
      #expect(first.serverNames == ["localhost", "127.0.0.1", "::1"])
      let again = try ShopCertificates.create(hosts: ["localhost"], in: files.directory)
      let second = try ShopCertificates.show(files)
      #expect(!again.newCA && second.caFingerprint == first.caFingerprint, "the tills' CA file stays valid")
      #expect(second.serverPin != first.serverPin, "a new server key")
      #expect(throws: CertificateError.self) {
        try ShopCertificates.create(hosts: ["not a host"], in: files.directory)
      }
    }
  }

  @Test("plain HTTP on a network address is refused unless allowed; loopback and TLS are not")
  func plainHTTPOnTheNetwork() throws {
    var configuration = ServerConfiguration(host: "0.0.0.0", port: 0, staffTokens: [ServerHarness.staffToken])
    #expect(throws: ServerConfigurationError.plainHTTPOnNetwork(host: "0.0.0.0")) {
      try configuration.validated()
    }
    configuration.allowPlainHTTP = true
    #expect(throws: Never.self) { try configuration.validated() }
    configuration.allowPlainHTTP = false
    configuration.tls = ServerTLS(certificatePath: "server.pem", keyPath: "server-key.pem")
    #expect(throws: Never.self) { try configuration.validated() }
    for loopback in ["127.0.0.1", "::1", "localhost"] {
      #expect(throws: Never.self) {
        try ServerConfiguration(host: loopback, port: 0, staffTokens: [ServerHarness.staffToken]).validated()
      }
    }
  }

  @Test("till-server on 0.0.0.0: refused in one line without TLS; served with --allow-plain-http, warned")
  func plainHTTPExecutable() async throws {
    let directory = try TemporaryDirectory.make("till-plain-http")
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments = [
      "--listen", "0.0.0.0:0", "--database", directory.appendingPathComponent("till.sqlite").path,
      "--staff-token", ServerHarness.staffToken,
    ]
    let refused = try ServerProcess(arguments: arguments)
    let status = try await refused.exitStatus(within: .seconds(30))
    #expect(status != nil && status != 0)
    #expect(refused.log.contains("refusing plain HTTP on 0.0.0.0"), "\(refused.log)")
    let allowed = try ServerProcess(arguments: arguments + ["--allow-plain-http"])
    defer { allowed.terminate() }
    try await eventually(within: .seconds(30), "it never listened: \(allowed.log)") {
      allowed.log.contains("listening on 0.0.0.0:")
    }
    #expect(allowed.log.contains("serving plain HTTP on the network"), "\(allowed.log)")
  }

  @Test("till-server certificate create and show, then till-server serving HTTPS with the files")
  func certificateCommandsAndAnHTTPSExecutable() async throws {
    let directory = try TemporaryDirectory.make("till-cert-command")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("tls").path
    let create = try ServerProcess(arguments: ["certificate", "create", "--host", "127.0.0.1", "--out", out])
    #expect(try await create.exitStatus(within: .seconds(30)) == 0, "\(create.log)")
    let files = ShopCertificates.Files(directory: out)
    let summary = try ShopCertificates.show(files)
    #expect(create.log.contains(summary.caFingerprint) && create.log.contains(summary.serverPin))
    let show = try ServerProcess(arguments: ["certificate", "show", "--out", out])
    #expect(try await show.exitStatus(within: .seconds(30)) == 0)
    #expect(show.log.contains("CA SHA-256 fingerprint: \(summary.caFingerprint)"), "\(show.log)")
    let server = try ServerProcess(arguments: [
      "--listen", "127.0.0.1:0", "--database", directory.appendingPathComponent("till.sqlite").path,
      "--staff-token", ServerHarness.staffToken, "--tls-certificate", files.serverCertificate,
      "--tls-key", files.serverKey,
    ])
    defer { server.terminate() }
    let port = try #require(try await server.port(within: .seconds(30)), "\(server.log)")
    let client = APITestClient(
      baseURL: "https://127.0.0.1:\(port)", token: ServerHarness.staffToken,
      configuration: HTTPConfiguration(caCertificatePath: files.caCertificate))
    #expect(try await client.get("/v1/products").status == 200)
    let plain = APITestClient(baseURL: "http://127.0.0.1:\(port)", token: nil)
    await #expect(throws: (any Error).self, "plain HTTP to the HTTPS port gets no answer") {
      _ = try await plain.get("/v1/health")
    }
  }

  @Test("the card provider goes through the environment's proxy; a loopback provider never does")
  func providerProxy() {
    let provider = PaymentProviderConfiguration(
      baseURL: "https://api.yookassa.ru", shopId: "1", secretKey: "k")
    let environment = ["https_proxy": "http://proxy.shop:3128", "no_proxy": "intranet.shop"]
    let http = YooKassaProvider.http(provider, environment: environment)
    #expect(http.proxy == HTTPProxy(url: "http://proxy.shop:3128", bypass: ["intranet.shop"]))
    #expect(YooKassaProvider.http(provider, environment: [:]).proxy == nil)
  }

  static func eur(_ amount: Int) -> Money { Money(amount: amount, currency: "EUR") }
}
