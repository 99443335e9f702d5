import Foundation
import TillCore

/// One line of a paid order as a refund is decided on: its stored figures and the units of it already
/// refunded (by refunds that did not fail).
struct RefundableLine: Hashable, Sendable {
  var sku: String
  var name: String
  var quantity: Int
  var gross: Int
  var tax: Int
  var taxRate: Int
  var refunded: Int
}

/// A succeeded card payment of the order, with what went back to it already (refunds that did not fail)
/// and the provider's id of the charge, which a card refund names.
struct RefundableCardPayment: Hashable, Sendable {
  var paymentId: String
  var amount: Int
  var refunded: Int
  var providerPaymentId: String

  var left: Int { amount - refunded }
}

extension RefundFacts {
  /// What `refund` answers: whether this request made it, and for a pending card refund the provider's
  /// id of the charge it goes back to (so the request can drive it).
  func record(_ refund: Refund, created: Bool) -> RefundRecord {
    let providerPaymentId =
      refund.status == .pending
      ? cardPayments.first { $0.paymentId == refund.paymentId }?.providerPaymentId : nil
    return RefundRecord(refund: refund, created: created, providerPaymentId: providerPaymentId)
  }
}

/// What a refund is decided on, read under the order's lock (so exact until commit).
struct RefundFacts: Hashable, Sendable {
  var order: PaymentOrder
  var lines: [RefundableLine]
  /// Succeeded card payments, by attempt.
  var cardPayments: [RefundableCardPayment]
  /// The order's succeeded cash payments less the cash refunds that did not fail: what a refund of its
  /// paid parts can give back in cash while it is placed (a placed order has no line refunds).
  var cashLeft: Int
  /// The refund recorded before under the request's key, with the fingerprint of its request.
  var keyed: KeyedRefund?
  /// One above the order's highest refund sequence so far.
  var nextSequence: Int
  /// The terminal's open register session, if any.
  var session: RegisterSession?
  /// The approver named by the approval, as the store reads them now (nil for none, or nobody).
  var approver: StaffFacts?
}

struct KeyedRefund: Hashable, Sendable {
  var refund: Refund
  var fingerprint: String
}

/// What the engine does with a refund request.
enum RefundDecision: Hashable, Sendable {
  /// The key was used for this very request before: answer its refund, change nothing.
  case replay(Refund)
  /// Write this refund (a cash one succeeded, a card one pending) and its lines, put `restock` units
  /// back on the shelf, take `paidBack` off the order's paid amount, write the audit row, all in one
  /// transaction. A succeeded refund takes the terminal's next receipt number in it too.
  case record(Refund, restock: [String: Int], paidBack: Int)
}

/// Refunds and returns: lines of a paid order, or the paid parts of a placed one (so that it can be
/// canceled); only a manager (or a manager's approval, valid in the refund's own transaction); never
/// more units of a line than were sold minus refunded, the amounts from the stored line figures
/// (`RefundPricing`); cash from the terminal's open drawer and card back to a card payment of the
/// order that can take it all; one refund per `Idempotency-Key`.
enum RefundRules {
  /// Provider reasons are short codes; a longer one is cut rather than stored whole.
  static let maxFailureReasonLength = 200

  /// What makes two requests with one key the same refund: the lines (in SKU order) and the method.
  static func fingerprint(_ request: RefundRequest) -> String {
    let lines = request.lines.sorted { $0.sku < $1.sku }
      .map { "\($0.sku)x\($0.quantity)\($0.restock ? "r" : "w")" }
    return request.method.rawValue + ":" + lines.joined(separator: ",")
  }

  /// The request's own shape, before any fact is read: each SKU once, each quantity from 1 to the
  /// largest line quantity. (Whether lines are needed depends on the order: `decide`.)
  static func check(_ request: RefundRequest) throws(StoreError) {
    guard Set(request.lines.map(\.sku)).count == request.lines.count else {
      throw .invalidField(field: "lines", reason: "Each SKU appears once in a refund.")
    }
    for line in request.lines where !(1...Limits.maxLineQuantity).contains(line.quantity) {
      throw .invalidField(
        field: "lines.quantity", reason: "A quantity is from 1 to \(Limits.maxLineQuantity).")
    }
  }

  static func decide(
    _ request: RefundRequest, facts: RefundFacts, actor: StaffActor, approval: VerifiedApproval?,
    requireSession: Bool, newId: String, now: String
  ) throws(StoreError) -> RefundDecision {
    if let keyed = facts.keyed {
      guard keyed.fingerprint == fingerprint(request) else { throw .idempotencyKeyReused }
      return .replay(keyed.refund)
    }
    let parts = try refundsPaidParts(request, order: facts.order)
    let approvedBy = try ManagerApproval.approver(
      needed: actor.role != .manager, approval: approval, approver: facts.approver)
    let currency = facts.order.total.currency
    let lines = parts ? [] : try refundLines(request, facts: facts, currency: currency)
    let sequence = facts.nextSequence
    var refund = Refund(
      id: newId, orderId: facts.order.id, sequence: sequence, method: request.method, status: .succeeded,
      amount: Money(amount: lines.map(\.amount.amount).reduce(0, +), currency: currency), lines: lines,
      staff: actor.staff, approvedBy: approvedBy, sessionId: facts.session?.id, createdAt: now)
    switch request.method {
    case .cash:
      // Cash leaves a drawer: the terminal's open one.
      if facts.session == nil && requireSession { throw .noOpenSession }
      if parts {
        guard facts.cashLeft > 0 else { throw .nothingTendered(method: .cash) }
        refund.amount.amount = facts.cashLeft
      }
    case .card:
      // A paid part goes back whole to the latest card part with something left; lines go back to
      // the latest card payment that can take them all.
      let payment =
        parts
        ? facts.cardPayments.last { $0.left > 0 }
        : facts.cardPayments.last { $0.left >= refund.amount.amount }
      guard let payment else {
        if parts { throw .nothingTendered(method: .card) }
        throw .cardRefundUnavailable(
          refundable: Money(amount: facts.cardPayments.map(\.left).max() ?? 0, currency: currency))
      }
      if parts { refund.amount.amount = payment.left }
      refund.status = .pending
      refund.paymentId = payment.paymentId
      refund.idempotenceKey = Refund.idempotenceKey(orderId: facts.order.id, sequence: sequence)
    }
    var restock: [String: Int] = [:]
    for line in lines where line.restock { restock[line.sku] = line.quantity }
    return .record(refund, restock: restock, paidBack: paidBack(refund))
  }

  /// What a refund takes off its order's paid amount when it succeeds: a paid part's whole amount
  /// (the order owes it again); nothing for lines of a paid order, which stays paid.
  static func paidBack(_ refund: Refund) -> Int {
    refund.isPaidPart && refund.status == .succeeded ? refund.amount.amount : 0
  }

  /// Whether the request gives back paid parts (a placed order with something paid, no lines) rather
  /// than lines (a paid order); anything else is refused.
  private static func refundsPaidParts(_ request: RefundRequest, order: PaymentOrder) throws(StoreError)
    -> Bool
  {
    switch order.status {
    case .paid:
      guard !request.lines.isEmpty else {
        throw .invalidField(field: "lines", reason: "A refund of a paid order names at least one line.")
      }
      return false
    case .placed where order.paid.amount > 0:
      guard request.lines.isEmpty else {
        throw .invalidField(
          field: "lines", reason: "An order not yet paid gives back its paid parts, not lines: send no lines."
        )
      }
      return true
    case .placed, .canceled:
      throw .orderNotRefundable(status: order.status)
    }
  }

  /// The provider's definite answer for a pending card refund: settle it (the first answer wins).
  static func settle(_ refund: Refund, outcome: RefundOutcome) -> RefundSettlement {
    guard refund.status == .pending else { return .answerAsIs }
    switch outcome {
    case .succeeded:
      var settled = refund
      settled.status = .succeeded
      return .succeed(paidBack: paidBack(settled))
    case .failed(let reason):
      return .fail(reason: String(StoreIdentifiers.storable(reason).prefix(maxFailureReasonLength)))
    }
  }

  /// Every requested line priced from the order's stored figures; every line over what is left of it
  /// is named in one refusal.
  private static func refundLines(_ request: RefundRequest, facts: RefundFacts, currency: String)
    throws(StoreError) -> [Refund.Line]
  {
    try check(request)
    var shortfalls: [RefundShortfall] = []
    var lines: [Refund.Line] = []
    for wanted in request.lines.sorted(by: { $0.sku < $1.sku }) {
      guard let sold = facts.lines.first(where: { $0.sku == wanted.sku }) else {
        throw .invalidField(field: "lines.sku", reason: "\(wanted.sku) is not a line of the order.")
      }
      let left = sold.quantity - sold.refunded
      guard wanted.quantity <= left else {
        shortfalls.append(RefundShortfall(sku: wanted.sku, requested: wanted.quantity, refundable: left))
        continue
      }
      let back = RefundPricing.refund(
        quantity: wanted.quantity, alreadyRefunded: sold.refunded, soldQuantity: sold.quantity,
        gross: sold.gross, tax: sold.tax)
      lines.append(
        Refund.Line(
          sku: sold.sku, name: sold.name, quantity: wanted.quantity, restock: wanted.restock,
          amount: Money(amount: back.gross, currency: currency),
          net: Money(amount: back.gross - back.tax, currency: currency),
          tax: Money(amount: back.tax, currency: currency), taxRate: sold.taxRate))
    }
    guard shortfalls.isEmpty else { throw .refundExceedsSold(shortfalls) }
    return lines
  }
}

/// What the engine does with the provider's answer for a card refund.
enum RefundSettlement: Hashable, Sendable {
  /// Settled before: change nothing.
  case answerAsIs
  /// Mark it succeeded, give it the terminal's next receipt number and take `paidBack` off its order's
  /// paid amount.
  case succeed(paidBack: Int)
  /// Mark it failed with the reason: its units count as not refunded, and its restock is taken back.
  case fail(reason: String)
}

/// A manager's approval where one is needed: the approver must still be an enabled manager with the PIN
/// hash the server checked the PIN against, in the action's own transaction.
enum ManagerApproval {
  /// The approver to record (nil when none was needed), or why the action is refused. `approver` is
  /// nil when the approval's code names nobody.
  static func approver(needed: Bool, approval: VerifiedApproval?, approver: StaffFacts?) throws(StoreError)
    -> String?
  {
    guard needed else { return nil }
    guard let approval else { throw .approvalRequired }
    guard let approver, approver.enabled, approver.role == .manager, approver.pinHash == approval.pinHash
    else { throw .approvalRefused }
    return approval.code
  }
}
