import HTTPTypes
import TillCore

extension ProblemKind {
  /// The HTTP status of every answer of this kind. The one place a status is chosen: routes, the
  /// middleware and the store error mapping name a kind and get its status from here.
  var status: HTTPResponse.Status {
    switch self {
    case .malformedRequest, .missingHeader: .badRequest
    case .unauthorized, .signInFailed: .unauthorized
    case .signInRequired, .approvalRequired, .approvalRefused: .forbidden
    case .staffExists: .conflict
    case .tooManyAttempts: .tooManyRequests
    case .paymentDeclined: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
    case .forbidden: .forbidden
    case .notFound: .notFound
    case .methodNotAllowed: .methodNotAllowed
    case .insufficientStock, .cartClosed, .requestInFlight, .orderNotPayable, .orderNotCancelable,
      .paymentPending, .receiptNotIssued, .sessionAlreadyOpen, .noOpenSession, .sessionClosed,
      .sessionHasOpenOrders, .amountExceedsDue, .orderPartlyPaid, .orderNotRefundable, .refundExceedsSold,
      .cardRefundUnavailable, .nothingTendered, .refundPending:
      .conflict
    case .payloadTooLarge: .contentTooLarge
    case .invalidField, .emptyCart, .quantityLimit, .cartLineLimit, .stockBelowZero, .operationReused,
      .idempotencyKeyReused, .insufficientTender, .currencyMismatch:
      .unprocessableContent
    case .requestHeaderTooLarge: .requestHeaderFieldsTooLarge
    case .tooManyFailedAuthentications: .tooManyRequests
    case .internalError: .internalServerError
    case .paymentProviderUnavailable, .refundFailed: .badGateway
    case .cardPaymentsNotConfigured, .cardPaymentsUnavailable, .tooManyConnections, .notReady:
      .serviceUnavailable
    }
  }
}

extension Problem {
  /// A problem of `kind`, with the status the table above gives that kind.
  init(
    _ kind: ProblemKind, detail: String, field: String? = nil, shortages: [Shortage]? = nil,
    payment: Payment? = nil, session: RegisterSession? = nil, openOrders: [OpenOrder]? = nil,
    due: Money? = nil, refundShortfalls: [RefundShortfall]? = nil, refundable: Money? = nil
  ) {
    self.init(
      kind, status: kind.status.code, detail: detail, field: field, shortages: shortages, payment: payment,
      session: session, openOrders: openOrders, due: due, refundShortfalls: refundShortfalls,
      refundable: refundable)
  }

  /// The generic answer for our own faults; the cause goes to the log, never to the client.
  static let internalError = Problem(
    .internalError, detail: "The server failed to handle the request; it has been logged.")

  static func invalidField(_ field: String, _ detail: String) -> Problem {
    Problem(.invalidField, detail: detail, field: field)
  }
}
