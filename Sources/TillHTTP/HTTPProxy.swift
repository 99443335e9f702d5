/// A proxy for outgoing calls and the hosts that go around it. Loopback addresses always go around it:
/// what runs on this machine is reached directly.
public struct HTTPProxy: Sendable, Hashable {
  /// `http://host:port` of the proxy.
  public var url: String
  /// Host names, domains (`.example.com` or `example.com`) and addresses reached directly.
  public var bypass: [String]

  public static let loopback = ["localhost", "127.0.0.1", "::1"]

  public init(url: String, bypass: [String] = []) {
    self.url = url
    self.bypass = bypass
  }

  /// libcurl's no-proxy list: `bypass` and loopback.
  var noProxyList: String { (bypass + Self.loopback).joined(separator: ",") }

  /// The proxy the usual variables name for calls to `target`, as curl reads them: `https_proxy` (or
  /// `HTTPS_PROXY`) for an https URL, `http_proxy` for an http one (lowercase only, as curl), then
  /// `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY` (comma-separated) goes around it. nil when none
  /// applies, or when `no_proxy` is `*`.
  public static func fromEnvironment(_ environment: [String: String], for target: String) -> HTTPProxy? {
    func value(_ names: String...) -> String? {
      names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }
    let scheme = target.lowercased().hasPrefix("https://") ? "https" : "http"
    let named =
      scheme == "https" ? value("https_proxy", "HTTPS_PROXY") : value("http_proxy")
    guard let url = named ?? value("all_proxy", "ALL_PROXY") else { return nil }
    let bypass = (value("no_proxy", "NO_PROXY") ?? "").split(separator: ",")
      .map { String($0.filter { $0 != " " && $0 != "\t" }) }.filter { !$0.isEmpty }
    guard !bypass.contains("*") else { return nil }
    return HTTPProxy(url: url, bypass: bypass)
  }
}
