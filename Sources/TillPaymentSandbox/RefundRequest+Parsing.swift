import Foundation

/// A validated refund request, ready to be recorded.
struct SandboxRefundRequest: Sendable {
  var paymentId: String
  var amount: Amount
  var description: String?
  /// Canonical form of the request; the same key with a different fingerprint is a conflict.
  var fingerprint: String

  /// Validates a `POST /v3/refunds` body; every refusal names the offending parameter.
  init(json: Data) throws(SandboxError) {
    let body: CreateRefundBody
    do {
      body = try JSONDecoder().decode(CreateRefundBody.self, from: json)
    } catch {
      throw .refusing(error)
    }
    guard let paymentId = body.paymentId, !paymentId.isEmpty, paymentId.count <= 64 else {
      throw .invalidRequest("payment_id is required (at most 64 characters)", parameter: "payment_id")
    }
    guard let amountObject = body.amount else {
      throw .invalidRequest("amount is required", parameter: "amount")
    }
    guard Amount.isCurrencyCode(amountObject.currency),
      let amount = Amount.parse(amountObject.value, currency: amountObject.currency)
    else {
      throw .invalidRequest(
        "amount must be a positive decimal string in an ISO 4217 currency", parameter: "amount.value")
    }
    if let description = body.description, description.count > ChargeRequest.maximumDescriptionLength {
      throw .invalidRequest(
        "description is longer than \(ChargeRequest.maximumDescriptionLength) characters",
        parameter: "description")
    }
    self.paymentId = paymentId
    self.amount = amount
    self.description = body.description
    fingerprint = "\(paymentId)|\(amount.minorUnits)|\(amount.currency)|\(body.description ?? "")"
  }
}
