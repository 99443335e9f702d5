import Foundation
import Hummingbird
import TillCore
import TillStore

/// Paying orders, for a person signed in on the order's terminal: all that is due, or a part of it
/// (`amount`, split tender), which needs an `Idempotency-Key` header so a repeat records it once.
///
/// Answers of `POST /v1/orders/{id}/payments`:
/// - 201 the new payment (cash, or a card charge that succeeded);
/// - 200 the existing successful payment when the order was paid before and the request named no part,
///   or the payment made before under the request's key (nothing new is charged);
/// - 202 the pending card payment when the provider's outcome is still unknown after the retries
///   (recovery settles it later with the same key);
/// - 402 `payment-declined` with the declined payment, `detail` being the provider's reason;
/// - 409 `order-not-payable` (canceled), `payment-pending` (a card attempt is still open),
///   `amount-exceeds-due` (a part above what the order still owes, with `due`; refused, never capped);
/// - 400 `missing-header` for a malformed `Idempotency-Key`, 422 `invalid-field` for a part without one;
/// - 422 `invalid-field` (unknown method, cash without or with an out-of-range `tendered`, card with
///   `tendered`), `insufficient-tender`, `currency-mismatch`;
/// - 503 `card-payments-not-configured` for card when no provider is configured, and
///   `card-payments-unavailable` when the provider refuses the shop's credentials (cash works in both).
struct PaymentRoutes {
  let store: any Store & PaymentStore & StaffStore
  let payments: PaymentCoordinator
  let pins: PINCheck
  /// Every payment answer is counted by method and outcome.
  let metrics: ServerMetrics

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("orders/:id/payments") { request, context -> EditedResponse<Payment> in
      let actor = try context.requireActor()
      let orderId = try IdentifierValidation.orderID(in: context)
      let key = try IdentifierValidation.optionalIdempotencyKey(of: request)
      let body = try await request.decode(as: PaymentBody.self, context: context).validated()
      let part = PaymentPart(amount: body.amount, key: key)
      if part.amount != nil, key == nil {
        // The body is well-formed and so is the request without the header; only together do they miss
        // the key a part needs: 422, as for a field whose value the request's other fields rule out.
        throw Problem.invalidField(
          "Idempotency-Key", "A part payment needs an Idempotency-Key header, so a repeat is paid once.")
      }
      switch body.method {
      case .cash(let tendered):
        let record = try await store.payCash(
          orderId: orderId, owner: actor.owner, staff: actor.staff, tendered: tendered, part: part)
        metrics.payment(.cash, outcome: record.created ? "succeeded" : "replayed")
        return EditedResponse(status: record.created ? .created : .ok, response: record.payment)
      case .card:
        do {
          let answer = try await payByCard(orderId: orderId, part: part, actor: actor)
          let outcome = [.created: "succeeded", .accepted: "pending"][answer.status] ?? "replayed"
          metrics.payment(.card, outcome: outcome)
          return answer
        } catch let problem as Problem where problem.kind == .paymentDeclined {
          metrics.payment(.card, outcome: "declined")
          throw problem
        }
      }
    }

    CancelRoute(store: store, pins: pins).register(on: v1)
  }

  private func payByCard(orderId: String, part: PaymentPart, actor: StaffActor) async throws
    -> EditedResponse<Payment>
  {
    let owner = actor.owner
    switch await payments.cardAvailability {
    case .available: break
    case .notConfigured:
      return try await answerWithoutProvider(orderId: orderId, owner: owner, or: Self.notConfigured)
    case .credentialsRefused:
      return try await answerWithoutProvider(orderId: orderId, owner: owner, or: Self.unavailable)
    }
    switch try await payments.payByCard(orderId: orderId, owner: owner, staff: actor.staff, part: part) {
    case .alreadyPaid(let payment):
      return EditedResponse(status: .ok, response: payment)
    case .unavailable:
      throw Self.unavailable
    case .settled(let payment):
      switch payment.status {
      case .succeeded:
        return EditedResponse(status: .created, response: payment)
      case .pending:
        return EditedResponse(status: .accepted, response: payment)
      case .declined:
        throw Problem(
          .paymentDeclined, detail: payment.declineReason ?? "The card provider declined the charge.",
          payment: payment)
      }
    }
  }

  /// Answers what can be answered without the provider (unknown order, paid, canceled); an order still
  /// to be paid gets `problem`.
  private func answerWithoutProvider(
    orderId: String, owner: String, or problem: Problem
  ) async throws -> EditedResponse<Payment> {
    let order = try await store.order(id: orderId, owner: owner)
    switch order.status {
    case .paid:
      if let payment = order.payment { return EditedResponse(status: .ok, response: payment) }
    case .canceled:
      throw StoreError.orderNotPayable(status: .canceled)
    case .placed:
      break
    }
    throw problem
  }

  static let notConfigured = Problem(
    .cardPaymentsNotConfigured, detail: "Card payments are not configured on this server; take cash instead.")

  static let unavailable = Problem(
    .cardPaymentsUnavailable, detail: "Card payments are unavailable — check the provider settings.")
}

/// The payment body as sent: `method` is read as text so an unknown method is a 422 naming the field
/// (well-formed JSON with a bad value), not a 400 decoding error.
private struct PaymentBody: Decodable {
  var method: String
  var tendered: Money?
  var amount: Money?

  enum Method {
    case cash(Money)
    case card
  }

  struct Validated {
    var method: Method
    var amount: Money?
  }

  func validated() throws(Problem) -> Validated {
    if let amount, !(1...Limits.maxTenderAmount).contains(amount.amount) {
      throw Problem.invalidField(
        "amount.amount", "amount.amount must be 1 to \(Limits.maxTenderAmount) minor units.")
    }
    return Validated(method: try validatedMethod(), amount: amount)
  }

  private func validatedMethod() throws(Problem) -> Method {
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
