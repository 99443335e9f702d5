import Foundation
import TillCore
import TillHTTP

/// Refunds through the YooKassa v3 API subset: `POST /v3/refunds` `{"payment_id", "amount"}` under an
/// `Idempotence-Key`.
extension YooKassaProvider {
  public func refund(_ refund: CardRefund) async -> CardRefundAnswer {
    let body = RefundBody(
      paymentId: refund.providerPaymentId,
      amount: ProviderAmount(value: refund.amount.decimalString, currency: refund.amount.currency),
      description: refund.description)
    return Self.refundAnswer(
      await post(path: "/v3/refunds", key: refund.idempotenceKey, body: body, object: "refund"))
  }

  /// A refund's verdict as a refund's answer.
  static func refundAnswer(_ verdict: ProviderVerdict) -> CardRefundAnswer {
    switch verdict {
    case .succeeded(let id): return .succeeded(providerRefundId: id)
    case .canceled(let reason): return .failed(reason: reason ?? "refused by the card provider")
    case .unknown(let detail, let retryAfter):
      return .unknown(detail: detail, retryAfterMilliseconds: retryAfter)
    // Refused credentials are the shop's settings, not the refund's: it stays pending until they are
    // fixed, and recovery asks again under the same key.
    case .credentialsRefused(let detail): return .unknown(detail: detail, retryAfterMilliseconds: nil)
    case .refused(let detail): return .failed(reason: "card provider refused the refund (\(detail))")
    }
  }
}

private struct RefundBody: Encodable {
  var paymentId: String
  var amount: ProviderAmount
  var description: String

  enum CodingKeys: String, CodingKey {
    case amount, description
    case paymentId = "payment_id"
  }
}
