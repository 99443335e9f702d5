import Foundation
import Hummingbird
import TillCore
import TillStore

/// Paying and canceling orders.
///
/// Answers of `POST /v1/orders/{id}/payments`:
/// - 201 the new payment (cash, or a card charge that succeeded);
/// - 200 the existing successful payment when the order was paid before (nothing new is charged);
/// - 202 the pending card payment when the provider's outcome is still unknown after the retries
///   (recovery settles it later with the same key);
/// - 402 `payment-declined` with the declined payment, `detail` being the provider's reason;
/// - 409 `order-not-payable` (canceled), `payment-pending` (a card attempt is still open);
/// - 422 `invalid-field` (unknown method, cash without or with an out-of-range `tendered`, card with
///   `tendered`), `insufficient-tender`, `currency-mismatch`;
/// - 503 `card-payments-not-configured` for card when no provider is configured (cash still works).
struct PaymentRoutes {
  let store: any Store & PaymentStore
  let payments: PaymentCoordinator

  func register(on routes: RouteRegistrar) {
    routes.post("/v1/orders/:id/payments") { request, context in
      let principal = try context.requirePrincipal()
      let orderId = try OrderRoutes.orderID(from: context)
      let body = try await RequestBodyReader.decode(PaymentBody.self, from: request).validated()
      switch body {
      case .cash(let tendered):
        let record = try await store.payCash(orderId: orderId, owner: principal.owner, tendered: tendered)
        return try JSONResponse.make(record.payment, status: record.created ? .created : .ok)
      case .card:
        return try await payByCard(orderId: orderId, owner: principal.owner)
      }
    }

    routes.post("/v1/orders/:id/cancel") { _, context in
      let principal = try context.requirePrincipal()
      let orderId = try OrderRoutes.orderID(from: context)
      return try JSONResponse.make(try await store.cancelOrder(id: orderId, owner: principal.owner))
    }
  }

  private func payByCard(orderId: String, owner: String) async throws -> Response {
    guard payments.cardPaymentsConfigured else {
      // Still answer what can be answered without a provider: unknown order, paid or canceled.
      let order = try await store.order(id: orderId, owner: owner)
      switch order.status {
      case .paid:
        if let payment = order.payment { return try JSONResponse.make(payment, status: .ok) }
      case .canceled:
        throw StoreError.orderNotPayable(status: .canceled)
      case .placed:
        break
      }
      throw Problem(
        .cardPaymentsNotConfigured, status: 503,
        detail: "Card payments are not configured on this server; take cash instead.")
    }
    switch try await payments.payByCard(orderId: orderId, owner: owner) {
    case .alreadyPaid(let payment):
      return try JSONResponse.make(payment, status: .ok)
    case .settled(let payment):
      switch payment.status {
      case .succeeded:
        return try JSONResponse.make(payment, status: .created)
      case .pending:
        return try JSONResponse.make(payment, status: .accepted)
      case .declined:
        throw Problem(
          .paymentDeclined, status: 402,
          detail: payment.declineReason ?? "The card provider declined the charge.",
          payment: payment)
      }
    }
  }
}

/// The payment body as sent: `method` is read as text so an unknown method is a 422 naming the field
/// (well-formed JSON with a bad value), not a 400 decoding error.
private struct PaymentBody: Decodable {
  var method: String
  var tendered: Money?

  enum Validated {
    case cash(Money)
    case card
  }

  func validated() throws(Problem) -> Validated {
    guard let method = Payment.Method(rawValue: method) else {
      throw Problem.invalidField("method", "method must be \"cash\" or \"card\".")
    }
    switch method {
    case .card:
      guard tendered == nil else {
        throw Problem.invalidField("tendered", "A card payment takes no tendered amount.")
      }
      return .card
    case .cash:
      guard let tendered else {
        throw Problem.invalidField("tendered", "A cash payment needs the tendered amount.")
      }
      guard (0...Limits.maxTenderAmount).contains(tendered.amount) else {
        throw Problem.invalidField(
          "tendered.amount", "tendered.amount must be 0 to \(Limits.maxTenderAmount) minor units.")
      }
      return .cash(tendered)
    }
  }
}
