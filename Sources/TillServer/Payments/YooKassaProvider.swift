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

  public init(_ configuration: PaymentProviderConfiguration) {
    self.init(
      baseURL: configuration.baseURL, shopId: configuration.shopId, secretKey: configuration.secretKey,
      configuration: configuration.timeouts)
  }

  public func charge(_ charge: CardCharge) async -> CardProviderAnswer {
    let body = ChargeBody(
      amount: .init(value: charge.amount.decimalString, currency: charge.amount.currency),
      capture: true, description: charge.description, metadata: ["orderId": charge.orderId])
    let encoded: Data
    do { encoded = try JSONEncoder().encode(body) } catch {
      return .unknown(detail: "could not encode the charge", retryAfterMilliseconds: nil)
    }
    let response: HTTPResponse
    do { response = try await send(path: "/v3/payments", key: charge.idempotenceKey, body: encoded) } catch {
      // Refused, timed out or dropped: the charge may or may not have happened; the key makes asking again safe.
      return .unknown(detail: "card provider unreachable: \(error)", retryAfterMilliseconds: nil)
    }
    return Self.interpret(response)
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

  static func interpret(_ response: HTTPResponse) -> CardProviderAnswer {
    let decoder = JSONDecoder()
    switch response.status {
    case 200, 201:
      guard let payment = try? decoder.decode(ProviderPayment.self, from: Data(response.body)) else {
        return .unknown(detail: "unreadable provider answer", retryAfterMilliseconds: nil)
      }
      switch payment.status {
      case "succeeded": return .succeeded(providerPaymentId: payment.id)
      case "canceled":
        return .declined(reason: payment.cancellationDetails?.reason ?? "declined by the card provider")
      default: return .unknown(detail: "payment \(payment.status)", retryAfterMilliseconds: nil)
      }
    case 202:
      let processing = try? decoder.decode(Processing.self, from: Data(response.body))
      return .unknown(detail: "processing", retryAfterMilliseconds: processing?.retryAfter)
    case 429, 500...599:
      return .unknown(detail: "card provider answered HTTP \(response.status)", retryAfterMilliseconds: nil)
    case 401, 403:
      let error = try? decoder.decode(ProviderError.self, from: Data(response.body))
      return .credentialsRefused(
        detail: "card provider answered HTTP \(response.status)"
          + (error.map { ": \($0.description ?? $0.code ?? "")" } ?? ""))
    default:
      // Any other 4xx is a definite refusal of this request: nothing was charged under this key.
      let error = try? decoder.decode(ProviderError.self, from: Data(response.body))
      return .declined(
        reason: "card provider refused the request (HTTP \(response.status)"
          + (error.map { ": \($0.description ?? $0.code ?? "")" } ?? "") + ")")
    }
  }
}

private struct ChargeBody: Encodable {
  struct Amount: Encodable {
    var value: String
    var currency: String
  }
  var amount: Amount
  var capture: Bool
  var description: String
  var metadata: [String: String]
}

private struct ProviderPayment: Decodable {
  struct CancellationDetails: Decodable {
    var party: String?
    var reason: String?
  }
  var id: String
  var status: String
  var cancellationDetails: CancellationDetails?

  enum CodingKeys: String, CodingKey {
    case id, status
    case cancellationDetails = "cancellation_details"
  }
}

private struct Processing: Decodable {
  var retryAfter: Int?

  enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
}

private struct ProviderError: Decodable {
  var code: String?
  var description: String?
}
