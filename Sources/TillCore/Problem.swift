/// An RFC 9457 problem document (`application/problem+json`): the body of every error answer.
public struct Problem: Codable, Hashable, Sendable, Error {
  /// A relative URI naming the kind of problem, e.g. `/problems/insufficient-stock`.
  public var type: String
  public var title: String
  public var status: Int
  public var detail: String?
  /// The request field at fault, when one is (decoding and validation errors).
  public var field: String?
  /// Every short line, for `insufficient-stock`.
  public var shortages: [Shortage]?
  /// The existing or pending payment, for payment conflicts.
  public var payment: Payment?
  /// The open session, for `session-already-open`.
  public var session: RegisterSession?
  /// Every order that keeps a session from closing, for `session-has-open-orders`.
  public var openOrders: [OpenOrder]?
  /// What the order still owes, for `amount-exceeds-due`.
  public var due: Money?
  /// Every line asked beyond what is left of it, for `refund-exceeds-sold`.
  public var refundShortfalls: [RefundShortfall]?
  /// The most a card payment of the order can take back, for `card-refund-unavailable`.
  public var refundable: Money?

  public init(
    _ kind: ProblemKind, status: Int, detail: String? = nil, field: String? = nil,
    shortages: [Shortage]? = nil, payment: Payment? = nil, session: RegisterSession? = nil,
    openOrders: [OpenOrder]? = nil, due: Money? = nil, refundShortfalls: [RefundShortfall]? = nil,
    refundable: Money? = nil
  ) {
    self.type = kind.uri
    self.title = kind.title
    self.status = status
    self.detail = detail
    self.field = field
    self.shortages = shortages
    self.payment = payment
    self.session = session
    self.openOrders = openOrders
    self.due = due
    self.refundShortfalls = refundShortfalls
    self.refundable = refundable
  }

  /// The kind named by `type`, or nil for a type this version does not know.
  public var kind: ProblemKind? {
    guard type.hasPrefix(ProblemKind.prefix) else { return nil }
    return ProblemKind(rawValue: String(type.dropFirst(ProblemKind.prefix.count)))
  }

  public static let mediaType = "application/problem+json"
}

/// One cart line that stock cannot cover.
public struct Shortage: Codable, Hashable, Sendable {
  public var sku: String
  public var requested: Int
  public var available: Int

  public init(sku: String, requested: Int, available: Int) {
    self.sku = sku
    self.requested = requested
    self.available = available
  }
}

/// Every problem type the API answers. The raw value is the last segment of the type URI.
public enum ProblemKind: String, CaseIterable, Sendable {
  case malformedRequest = "malformed-request"
  case invalidField = "invalid-field"
  case missingHeader = "missing-header"
  case unauthorized
  case forbidden
  case notFound = "not-found"
  case insufficientStock = "insufficient-stock"
  case cartClosed = "cart-closed"
  case emptyCart = "empty-cart"
  case quantityLimit = "quantity-limit"
  case cartLineLimit = "cart-line-limit"
  case stockBelowZero = "stock-below-zero"
  case operationReused = "operation-reused"
  case idempotencyKeyReused = "idempotency-key-reused"
  case requestInFlight = "request-in-flight"
  case orderNotPayable = "order-not-payable"
  case orderNotCancelable = "order-not-cancelable"
  case insufficientTender = "insufficient-tender"
  case currencyMismatch = "currency-mismatch"
  case paymentDeclined = "payment-declined"
  case paymentPending = "payment-pending"
  case amountExceedsDue = "amount-exceeds-due"
  case orderPartlyPaid = "order-partly-paid"
  case orderNotRefundable = "order-not-refundable"
  case refundExceedsSold = "refund-exceeds-sold"
  case cardRefundUnavailable = "card-refund-unavailable"
  case nothingTendered = "nothing-tendered"
  case refundPending = "refund-pending"
  case refundFailed = "refund-failed"
  case cardPaymentsNotConfigured = "card-payments-not-configured"
  case cardPaymentsUnavailable = "card-payments-unavailable"
  case paymentProviderUnavailable = "payment-provider-unavailable"
  case payloadTooLarge = "payload-too-large"
  case requestHeaderTooLarge = "request-header-too-large"
  case tooManyConnections = "too-many-connections"
  case tooManyFailedAuthentications = "too-many-failed-authentications"
  case methodNotAllowed = "method-not-allowed"
  case signInFailed = "sign-in-failed"
  case signInRequired = "sign-in-required"
  case tooManyAttempts = "too-many-attempts"
  case approvalRequired = "approval-required"
  case approvalRefused = "approval-refused"
  case staffExists = "staff-exists"
  case receiptNotIssued = "receipt-not-issued"
  case sessionAlreadyOpen = "session-already-open"
  case noOpenSession = "no-open-session"
  case sessionClosed = "session-closed"
  case sessionHasOpenOrders = "session-has-open-orders"
  case notReady = "not-ready"
  case internalError = "internal-error"

  static let prefix = "/problems/"

  public var uri: String { ProblemKind.prefix + rawValue }

  public var title: String {
    switch self {
    case .malformedRequest: "The request body could not be read"
    case .invalidField: "A field has an invalid value"
    case .missingHeader: "A required header is missing or malformed"
    case .unauthorized: "Authentication is required"
    case .forbidden: "This token may not do that"
    case .notFound: "Not found"
    case .insufficientStock: "Not enough stock"
    case .cartClosed: "The cart is already checked out"
    case .emptyCart: "The cart is empty"
    case .quantityLimit: "The line quantity would exceed the limit"
    case .cartLineLimit: "The cart has the most lines it may hold"
    case .stockBelowZero: "Stock cannot go below zero"
    case .operationReused: "The operation id was already used for another change"
    case .idempotencyKeyReused: "The idempotency key was already used for another request"
    case .requestInFlight: "A request with this idempotency key is still being processed"
    case .orderNotPayable: "The order cannot be paid"
    case .orderNotCancelable: "The order cannot be canceled"
    case .insufficientTender: "The cash tendered does not cover the total"
    case .currencyMismatch: "The currency does not match the order"
    case .paymentDeclined: "The card was declined"
    case .paymentPending: "A card payment for this order is still pending"
    case .amountExceedsDue: "The amount is more than the order still owes"
    case .orderPartlyPaid: "The order is partly paid"
    case .orderNotRefundable: "Only a paid order can be refunded"
    case .refundExceedsSold: "More would be refunded than was sold"
    case .cardRefundUnavailable: "No card payment of the order can take this back"
    case .nothingTendered: "Nothing paid by this method is left to give back"
    case .refundPending: "A card refund for this order is still pending"
    case .refundFailed: "The card provider refused the refund"
    case .cardPaymentsNotConfigured: "Card payments are not configured"
    case .cardPaymentsUnavailable: "Card payments are unavailable"
    case .paymentProviderUnavailable: "The card provider could not be reached"
    case .payloadTooLarge: "The request body is too large"
    case .requestHeaderTooLarge: "The request header is too large"
    case .tooManyConnections: "Too many connections"
    case .tooManyFailedAuthentications: "Too many failed authentications"
    case .methodNotAllowed: "Method not allowed"
    case .signInFailed: "The staff code or PIN is not right"
    case .signInRequired: "A person must sign in on this terminal first"
    case .tooManyAttempts: "Too many wrong PINs; sign-in is locked for a while"
    case .approvalRequired: "This needs a manager's approval"
    case .approvalRefused: "The approval was refused"
    case .staffExists: "A person with this staff code exists already"
    case .receiptNotIssued: "The order has no receipt: it is not paid"
    case .sessionAlreadyOpen: "The terminal has an open register session already"
    case .noOpenSession: "The terminal has no open register session"
    case .sessionClosed: "The register session is closed"
    case .sessionHasOpenOrders: "The register session has orders that are not paid or canceled"
    case .notReady: "The back end is not ready to serve"
    case .internalError: "Internal error"
    }
  }
}
