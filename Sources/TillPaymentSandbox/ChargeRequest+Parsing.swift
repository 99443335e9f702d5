import Foundation

extension ChargeRequest {
  /// YooKassa's limits for the free-text fields.
  static let maximumDescriptionLength = 128
  static let maximumMetadataKeys = 16
  static let maximumMetadataKeyLength = 32
  static let maximumMetadataValueLength = 512

  /// Validates a `POST /v3/payments` body; every refusal names the offending parameter.
  init(json: Data) throws(SandboxError) {
    let body: CreatePaymentBody
    do {
      body = try JSONDecoder().decode(CreatePaymentBody.self, from: json)
    } catch {
      throw .refusing(error)
    }
    guard let amountObject = body.amount else {
      throw .invalidRequest("amount is required", parameter: "amount")
    }
    guard Amount.isCurrencyCode(amountObject.currency) else {
      throw .invalidRequest("currency must be an ISO 4217 code", parameter: "amount.currency")
    }
    guard let amount = Amount.parse(amountObject.value, currency: amountObject.currency) else {
      throw .invalidRequest(
        "amount.value must be a positive decimal string with at most "
          + "\(Amount.minorDigits(of: amountObject.currency)) fraction digits, e.g. \"12.50\"",
        parameter: "amount.value")
    }
    // The sandbox only does one-stage payments: a two-stage hold would need capture and cancel routes.
    guard body.capture ?? true else {
      throw .invalidRequest("only capture: true is supported", parameter: "capture")
    }
    if let description = body.description, description.count > Self.maximumDescriptionLength {
      throw .invalidRequest(
        "description is longer than \(Self.maximumDescriptionLength) characters", parameter: "description")
    }
    let metadata = body.metadata ?? [:]
    guard metadata.count <= Self.maximumMetadataKeys,
      metadata.allSatisfy({
        !$0.key.isEmpty && $0.key.count <= Self.maximumMetadataKeyLength
          && $0.value.count <= Self.maximumMetadataValueLength
      })
    else {
      throw .invalidRequest(
        "metadata allows \(Self.maximumMetadataKeys) keys of at most \(Self.maximumMetadataKeyLength) "
          + "characters with values of at most \(Self.maximumMetadataValueLength)",
        parameter: "metadata")
    }
    let canonical = Canonical(
      amount: amount.minorUnits, currency: amount.currency, description: body.description, metadata: metadata)
    let fingerprint: String
    do {
      fingerprint = String(decoding: try WireCoding.encoder().encode(canonical), as: UTF8.self)
    } catch {
      throw .internalError
    }
    self.init(amount: amount, description: body.description, metadata: metadata, fingerprint: fingerprint)
  }

  /// What makes two requests "the same body": "12.5" and "12.50" are the same, key order is not part of it.
  private struct Canonical: Encodable {
    var amount: Int
    var currency: String
    var description: String?
    var metadata: [String: String]
  }
}
