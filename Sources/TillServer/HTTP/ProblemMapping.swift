import TillCore
import TillStore

extension Problem {
  /// The answer for a refused store operation. `engine` is our fault: its message is for the log only,
  /// the client gets a generic detail.
  init(_ error: StoreError) {
    switch error {
    case .notFound(let what):
      self.init(.notFound, status: 404, detail: "No such \(what).")
    case .cartClosed:
      self.init(.cartClosed, status: 409, detail: "The cart is checked out; start a new cart.")
    case .emptyCart:
      self.init(.emptyCart, status: 422, detail: "Add at least one line before ordering.")
    case .insufficientStock(let shortages):
      let skus = shortages.map(\.sku).joined(separator: ", ")
      self.init(
        .insufficientStock, status: 409, detail: "Not enough stock for: \(skus).", shortages: shortages)
    case .quantityLimit(let sku, let limit):
      self.init(
        .quantityLimit, status: 422, detail: "The line \(sku) may hold at most \(limit) units.",
        field: "delta")
    case .cartLineLimit(let limit):
      self.init(.cartLineLimit, status: 422, detail: "A cart may hold at most \(limit) lines.", field: "sku")
    case .stockBelowZero(let sku, let available):
      self.init(
        .stockBelowZero, status: 422, detail: "Stock of \(sku) is \(available); it cannot go below zero.",
        field: "delta")
    case .stockAboveLimit(let sku, let available, let limit):
      self.init(
        .invalidField, status: 422,
        detail: "Stock of \(sku) is \(available); a restock may take it to \(limit) at most.",
        field: "delta")
    case .operationReused(let opId):
      self.init(
        .operationReused, status: 422, detail: "The opId \(opId) was already used for another change.",
        field: "opId")
    case .idempotencyKeyReused:
      self.init(
        .idempotencyKeyReused, status: 422,
        detail: "This Idempotency-Key was already used with another body; use a new key.")
    case .requestInFlight:
      self.init(
        .requestInFlight, status: 409,
        detail: "A request with this Idempotency-Key is still running; retry shortly.")
    case .orderNotCancelable(let status):
      self.init(.orderNotCancelable, status: 409, detail: "The order is \(status.rawValue).")
    case .orderNotPayable(let status):
      self.init(.orderNotPayable, status: 409, detail: "The order is \(status.rawValue).")
    case .paymentPending(let payment):
      self.init(
        .paymentPending, status: 409,
        detail: "A card payment for this order is still pending; it settles shortly.",
        payment: payment)
    case .insufficientTender(let total):
      let largest = Money(amount: Limits.maxTenderAmount, currency: total.currency)
      let detail =
        total.amount > largest.amount
        ? "The total of \(total) is more than the largest cash tender, \(largest); pay by card."
        : "The cash tendered is less than the total of \(total)."
      self.init(.insufficientTender, status: 422, detail: detail, field: "tendered")
    case .currencyMismatch(let expected):
      self.init(
        .currencyMismatch, status: 422, detail: "The order is in \(expected).", field: "tendered.currency")
    case .engine, .invalidCatalogue:
      // A catalogue is checked when it is loaded at start, never by a request.
      self = .internalError
    }
  }

  /// The generic answer for our own faults; the cause goes to the log, never to the client.
  static let internalError = Problem(
    .internalError, status: 500, detail: "The server failed to handle the request; it has been logged.")

  static func invalidField(_ field: String, _ detail: String) -> Problem {
    Problem(.invalidField, status: 422, detail: detail, field: field)
  }
}
