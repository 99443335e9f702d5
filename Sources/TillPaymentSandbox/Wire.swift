import Foundation

/// `{"value": "12.50", "currency": "EUR"}`: YooKassa's amount object.
public struct AmountObject: Codable, Equatable, Sendable {
  public var value: String
  public var currency: String

  public init(value: String, currency: String) {
    self.value = value
    self.currency = currency
  }
}

/// Body of `POST /v3/payments`, as a shop sends it.
///
/// Every field is optional here so that a missing one is reported as a YooKassa-style error naming the
/// parameter, rather than as an opaque decoding failure.
struct CreatePaymentBody: Decodable {
  var amount: AmountObject?
  var capture: Bool?
  var description: String?
  var metadata: [String: String]?
}

/// `cancellation_details` of a declined payment.
public struct CancellationDetails: Codable, Equatable, Sendable {
  public var party: String
  public var reason: String

  public init(party: String, reason: String) {
    self.party = party
    self.reason = reason
  }
}

/// A payment as the sandbox answers it (the YooKassa v3 payment object subset a shop reads).
public struct PaymentObject: Codable, Equatable, Sendable {
  public var id: String
  /// "succeeded" or "canceled".
  public var status: String
  public var paid: Bool
  public var amount: AmountObject
  public var description: String?
  public var metadata: [String: String]
  /// ISO 8601 with milliseconds, UTC, e.g. "2026-11-25T12:00:00.123Z".
  public var createdAt: String
  public var cancellationDetails: CancellationDetails?
  /// Always true: this provider never moves real money.
  public var test: Bool

  enum CodingKeys: String, CodingKey {
    case id, status, paid, amount, description, metadata, test
    case createdAt = "created_at"
    case cancellationDetails = "cancellation_details"
  }
}

/// `{"items": [...]}` answer of `GET /v3/payments`.
public struct PaymentList: Codable, Sendable {
  public var items: [PaymentObject]
}

/// `202 {"type": "processing", "retry_after": ms}`: the provider has not decided yet; retry later.
struct ProcessingBody: Encodable {
  var type = "processing"
  var retryAfter: Int

  enum CodingKeys: String, CodingKey {
    case type
    case retryAfter = "retry_after"
  }
}

/// The shared JSON coders: one place decides key order (sorted, so stored fingerprints are stable).
enum WireCoding {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}

/// Body of `POST /v3/refunds`, as a shop sends it; every field optional so a missing one is named.
struct CreateRefundBody: Decodable {
  var paymentId: String?
  var amount: AmountObject?
  var description: String?

  enum CodingKeys: String, CodingKey {
    case amount, description
    case paymentId = "payment_id"
  }
}

/// A refund as the sandbox answers it (the YooKassa v3 refund object subset a shop reads).
public struct RefundObject: Codable, Equatable, Sendable {
  public var id: String
  /// "succeeded" or "canceled".
  public var status: String
  public var amount: AmountObject
  public var paymentId: String
  public var description: String?
  public var createdAt: String
  public var cancellationDetails: CancellationDetails?

  enum CodingKeys: String, CodingKey {
    case id, status, amount, description
    case paymentId = "payment_id"
    case createdAt = "created_at"
    case cancellationDetails = "cancellation_details"
  }
}

/// `{"items": [...]}` answer of `GET /v3/refunds`.
public struct RefundList: Codable, Sendable {
  public var items: [RefundObject]
}
