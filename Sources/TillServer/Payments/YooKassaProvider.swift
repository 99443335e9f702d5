import Foundation
import TillCore
import TillHTTP

/// A card provider speaking the YooKassa v3 payments API subset (the sandbox speaks it too).
public struct YooKassaProvider: CardProvider {
  private let http: HTTPClient
  private let authorization: String

  /// `baseURL` such as `http://127.0.0.1:8090`; the shop id and secret key are sent as HTTP basic auth.
  public init(baseURL: String, shopId: String, secretKey: String, configuration: HTTPConfiguration) {
    http = HTTPClient(baseURL: baseURL, configuration: configuration, maxConnections: 8)
    authorization = "Basic " + Data("\(shopId):\(secretKey)".utf8).base64EncodedString()
  }

  /// The provider `configuration` names, reached through the proxy the environment names for its URL
  /// (a shop's network may route the internet through one).
  public init(_ configuration: PaymentProviderConfiguration) {
    self.init(
      baseURL: configuration.baseURL, shopId: configuration.shopId, secretKey: configuration.secretKey,
      configuration: Self.http(configuration, environment: ProcessInfo.processInfo.environment))
  }

  /// The provider's HTTP settings: its timeouts, and the proxy `environment` names for its URL.
  static func http(_ configuration: PaymentProviderConfiguration, environment: [String: String])
    -> HTTPConfiguration
  {
    var http = configuration.timeouts
    http.proxy = HTTPProxy.fromEnvironment(environment, for: configuration.baseURL)
    return http
  }

  public func charge(_ charge: CardCharge) async -> CardProviderAnswer {
    let body = ChargeBody(
      amount: ProviderAmount(value: charge.amount.decimalString, currency: charge.amount.currency),
      capture: true, description: charge.description, metadata: ["orderId": charge.orderId])
    return Self.chargeAnswer(
      await post(path: "/v3/payments", key: charge.idempotenceKey, body: body, object: "payment"))
  }

  /// `POST path` with the shop's credentials, the key as `Idempotence-Key` and `body` as JSON.
  func send(path: String, key: String, body: Data) async throws -> HTTPResponse {
    try await http.send(
      HTTPRequest(
        method: "POST", path: path,
        headers: [
          ("Authorization", authorization), ("Idempotence-Key", key), ("Content-Type", "application/json"),
        ],
        body: Array(body)))
  }

  /// A charge's verdict as a payment's answer.
  static func chargeAnswer(_ verdict: ProviderVerdict) -> CardProviderAnswer {
    switch verdict {
    case .succeeded(let id): return .succeeded(providerPaymentId: id)
    case .canceled(let reason): return .declined(reason: reason ?? "declined by the card provider")
    case .unknown(let detail, let retryAfter):
      return .unknown(detail: detail, retryAfterMilliseconds: retryAfter)
    case .credentialsRefused(let detail): return .credentialsRefused(detail: detail)
    // Any other 4xx is a definite refusal of this request: nothing was charged under this key.
    case .refused(let detail): return .declined(reason: "card provider refused the request (\(detail))")
    }
  }
}

private struct ChargeBody: Encodable {
  var amount: ProviderAmount
  var capture: Bool
  var description: String
  var metadata: [String: String]
}
