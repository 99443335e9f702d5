import Foundation
import TillCore
import TillHTTP

/// Refunds through the YooKassa v3 API subset: `POST /v3/refunds` `{"payment_id", "amount"}` under an
/// `Idempotence-Key`.
extension YooKassaProvider {
  public func refund(_ refund: CardRefund) async -> CardRefundAnswer {
    let body = RefundBody(
      paymentId: refund.providerPaymentId,
      amount: .init(value: refund.amount.decimalString, currency: refund.amount.currency),
      description: refund.description)
    let encoded: Data
    do { encoded = try JSONEncoder().encode(body) } catch {
      return .unknown(detail: "could not encode the refund", retryAfterMilliseconds: nil)
    }
    let response: HTTPResponse
    do {
      response = try await send(path: "/v3/refunds", key: refund.idempotenceKey, body: encoded)
    } catch {
      // Refused, timed out or dropped: the refund may or may not have happened; the key makes asking
      // again safe.
      return .unknown(detail: "card provider unreachable: \(error)", retryAfterMilliseconds: nil)
    }
    return Self.interpretRefund(response)
  }

  static func interpretRefund(_ response: HTTPResponse) -> CardRefundAnswer {
    let decoder = JSONDecoder()
    switch response.status {
    case 200, 201:
      guard let refund = try? decoder.decode(ProviderRefund.self, from: Data(response.body)) else {
        return .unknown(detail: "unreadable provider answer", retryAfterMilliseconds: nil)
      }
      switch refund.status {
      case "succeeded": return .succeeded(providerRefundId: refund.id)
      case "canceled":
        return .failed(reason: refund.cancellationDetails?.reason ?? "refused by the card provider")
      default: return .unknown(detail: "refund \(refund.status)", retryAfterMilliseconds: nil)
      }
    case 202:
      let processing = try? decoder.decode(RefundProcessing.self, from: Data(response.body))
      return .unknown(detail: "processing", retryAfterMilliseconds: processing?.retryAfter)
    case 401, 403, 429, 500...599:
      // Refused credentials are the shop's settings, not the refund's: it stays pending until they
      // are fixed, and recovery asks again under the same key.
      return .unknown(detail: "card provider answered HTTP \(response.status)", retryAfterMilliseconds: nil)
    default:
      let error = try? decoder.decode(RefundError.self, from: Data(response.body))
      return .failed(
        reason: "card provider refused the refund (HTTP \(response.status)"
          + (error.map { ": \($0.description ?? $0.code ?? "")" } ?? "") + ")")
    }
  }
}

private struct RefundBody: Encodable {
  struct Amount: Encodable {
    var value: String
    var currency: String
  }
  var paymentId: String
  var amount: Amount
  var description: String

  enum CodingKeys: String, CodingKey {
    case amount, description
    case paymentId = "payment_id"
  }
}

private struct ProviderRefund: Decodable {
  struct CancellationDetails: Decodable {
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

private struct RefundProcessing: Decodable {
  var retryAfter: Int?

  enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
}

private struct RefundError: Decodable {
  var code: String?
  var description: String?
}
