import Testing
import TillHTTP

/// Proxies: the usual variables read as curl reads them, a call through a configured proxy in the
/// absolute form, and loopback always reached directly, even with a proxy configured.
@Suite("HTTP proxies")
struct HTTPProxyTests {
  @Test("the environment's variables, as curl reads them")
  func fromEnvironment() {
    let shop = [
      "https_proxy": "http://proxy.shop:3128", "no_proxy": "intranet.shop, .corp", "http_proxy": "http://p:1",
    ]
    #expect(
      HTTPProxy.fromEnvironment(shop, for: "https://api.yookassa.ru")
        == HTTPProxy(url: "http://proxy.shop:3128", bypass: ["intranet.shop", ".corp"]))
    #expect(HTTPProxy.fromEnvironment(shop, for: "http://sandbox:8090")?.url == "http://p:1")
    #expect(
      HTTPProxy.fromEnvironment(["HTTP_PROXY": "http://p:1"], for: "http://x") == nil,
      "curl ignores HTTP_PROXY")
    #expect(HTTPProxy.fromEnvironment(["ALL_PROXY": "http://all:1"], for: "https://x")?.url == "http://all:1")
    #expect(
      HTTPProxy.fromEnvironment(["https_proxy": "http://p:1", "NO_PROXY": "*"], for: "https://x") == nil)
    #expect(HTTPProxy.fromEnvironment([:], for: "https://x") == nil)
  }

  @Test("a call goes through the proxy; one to loopback goes around it")
  func throughTheProxy() async throws {
    let proxy = try LoopbackHTTPServer(handler: HTTPTransportTests.echo)
    defer { proxy.stop() }
    let direct = try LoopbackHTTPServer(handler: HTTPTransportTests.echo)
    defer { direct.stop() }
    let configuration = HTTPConfiguration(proxy: HTTPProxy(url: proxy.baseURL))
    let provider = HTTPConnection(baseURL: "http://provider.invalid", configuration: configuration)
    let viaProxy = try await provider.send(HTTPRequest(method: "POST", path: "/v3/payments", body: [0x41]))
    #expect(String(decoding: viaProxy.body, as: UTF8.self) == "POST http://provider.invalid/v3/payments||A")
    #expect(proxy.acceptedConnections == 1)

    let local = HTTPConnection(baseURL: direct.baseURL, configuration: configuration)
    let answered = try await local.send(HTTPRequest(method: "GET", path: "/v1/health"))
    #expect(String(decoding: answered.body, as: UTF8.self) == "GET /v1/health||")
    #expect(proxy.acceptedConnections == 1, "loopback never goes through the proxy")
    #expect(direct.acceptedConnections == 1)
  }
}
