import TillCore
import TillStore

extension Problem {
  /// The answer for a refused store operation. `engine` is our fault: its message is for the log only,
  /// the client gets a generic detail.
  init(_ error: StoreError) {
    switch error {
    case .notFound(let what):
      self.init(.notFound, detail: "No such \(what).")
    case .cartClosed:
      self.init(.cartClosed, detail: "The cart is checked out; start a new cart.")
    case .emptyCart:
      self.init(.emptyCart, detail: "Add at least one line before ordering.")
    case .insufficientStock(let shortages):
      let skus = shortages.map(\.sku).joined(separator: ", ")
      self.init(
        .insufficientStock, detail: "Not enough stock for: \(skus).", shortages: shortages)
    case .quantityLimit(let sku, let limit):
      self.init(
        .quantityLimit, detail: "The line \(sku) may hold at most \(limit) units.",
        field: "delta")
    case .cartLineLimit(let limit):
      self.init(.cartLineLimit, detail: "A cart may hold at most \(limit) lines.", field: "sku")
    case .stockBelowZero(let sku, let available):
      self.init(
        .stockBelowZero, detail: "Stock of \(sku) is \(available); it cannot go below zero.",
        field: "delta")
    case .stockAboveLimit(let sku, let available, let limit):
      self.init(
        .invalidField,
        detail: "Stock of \(sku) is \(available); a restock may take it to \(limit) at most.",
        field: "delta")
    case .operationReused(let opId):
      self.init(
        .operationReused, detail: "The opId \(opId) was already used for another change.",
        field: "opId")
    case .idempotencyKeyReused:
      self.init(
        .idempotencyKeyReused,
        detail: "This Idempotency-Key was already used with another body; use a new key.")
    case .requestInFlight:
      self.init(
        .requestInFlight,
        detail: "A request with this Idempotency-Key is still running; retry shortly.")
    case .invalidField(let field, let reason):
      self.init(.invalidField, detail: reason, field: field)
    case .staffExists(let code):
      self.init(.staffExists, detail: "Staff code \(code) is taken.", field: "code")
    case .approvalRequired:
      self.init(.approvalRequired, detail: "Another person's order: a manager must approve (code and PIN).")
    case .approvalRefused:
      self.init(.approvalRefused, detail: "The approval needs an enabled manager's code and PIN.")
    case .signInRefused:
      self.init(.signInFailed, detail: "The staff code or PIN is not right.")
    case .receiptNotIssued(let status):
      self.init(
        .receiptNotIssued, detail: "The order is \(status.rawValue); a receipt is issued once it is paid.")
    case .orderNotCancelable(let status):
      self.init(.orderNotCancelable, detail: "The order is \(status.rawValue).")
    case .orderNotPayable(let status):
      self.init(.orderNotPayable, detail: "The order is \(status.rawValue).")
    case .paymentPending(let payment):
      self.init(
        .paymentPending,
        detail: "A card payment for this order is still pending; it settles shortly.",
        payment: payment)
    case .insufficientTender(let total):
      let largest = Money(amount: Limits.maxTenderAmount, currency: total.currency)
      let detail =
        total.amount > largest.amount
        ? "The total of \(total) is more than the largest cash tender, \(largest); pay by card or in parts."
        : "The cash tendered is less than the \(total) to pay."
      self.init(.insufficientTender, detail: detail, field: "tendered")
    case .amountExceedsDue(let due):
      self.init(
        .amountExceedsDue, detail: "The order still owes \(due); a part is never more than that.",
        field: "amount", due: due)
    case .orderNotRefundable(let status):
      self.init(
        .orderNotRefundable,
        detail:
          "The order is \(status.rawValue) with nothing paid; only a paid order, or the paid parts of one, go back."
      )
    case .nothingTendered(let method):
      self.init(
        .nothingTendered, detail: "Nothing paid in \(method.rawValue) is left to give back on this order.",
        field: "method")
    case .refundPending:
      self.init(
        .refundPending, detail: "A card refund for this order is still pending; it settles shortly.")
    case .refundExceedsSold(let shortfalls):
      let names = shortfalls.map { "\($0.sku): \($0.requested) asked, \($0.refundable) left" }
      self.init(
        .refundExceedsSold, detail: "More than was sold would go back — \(names.joined(separator: "; ")).",
        refundShortfalls: shortfalls)
    case .cardRefundUnavailable(let refundable):
      self.init(
        .cardRefundUnavailable,
        detail:
          "At most \(refundable) can go back to one card payment of this order; refund cash or fewer lines.",
        field: "method", refundable: refundable)
    case .orderPartlyPaid(let paid):
      self.init(
        .orderPartlyPaid, detail: "\(paid) of the order is paid; refund its parts before canceling it.")
    case .currencyMismatch(let expected):
      self.init(
        .currencyMismatch, detail: "The order is in \(expected).", field: "tendered.currency")
    case .sessionAlreadyOpen(let session):
      self.init(
        .sessionAlreadyOpen, detail: "A register session is open on this terminal since \(session.openedAt).",
        session: session)
    case .noOpenSession:
      self.init(.noOpenSession, detail: "Open the register with the cash in the drawer first.")
    case .sessionClosed:
      self.init(.sessionClosed, detail: "The register session is closed; open a new one.")
    case .sessionHasOpenOrders(let orders):
      let numbers = orders.map { "#\($0.number)" }.joined(separator: ", ")
      self.init(
        .sessionHasOpenOrders, detail: "Pay or cancel these orders before closing: \(numbers).",
        openOrders: orders)
    case .engine, .invalidCatalogue:
      // A catalogue is checked when it is loaded at start, never by a request.
      self = .internalError
    }
  }
}
