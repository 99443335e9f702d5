import Foundation
import Hummingbird
import TillCore
import TillStore

/// Refunds and returns of paid orders, and of the paid parts of orders not yet paid (no lines: all the
/// cash paid, or the latest card part, goes back, and the order owes it again), for a person signed in
/// on the order's terminal.
///
/// `POST /v1/orders/{id}/refunds` with an `Idempotency-Key` header: a manager refunds; anyone else needs
/// a manager's `approval` (code and PIN, counted and checked like a sign-in PIN, then re-checked in the
/// refund's own transaction). Answers:
/// - 201 the refund: cash (succeeded, with its receipt number) or card (the provider confirmed it);
/// - 200 the refund made before under this key (nothing new goes back);
/// - 202 a card refund whose outcome the provider has not given yet (recovery settles it, same key);
/// - 502 `refund-failed` when the provider refused the card refund for good (nothing went back);
/// - 409 `order-not-refundable`, `refund-exceeds-sold` (every line over what is left),
///   `card-refund-unavailable`, `nothing-tendered` (no paid part left by that method),
///   `payment-pending` / `refund-pending`, `no-open-session` (cash needs an open drawer);
/// - 403 `approval-required` / `approval-refused`; 422 for a malformed body or a key reused.
///
/// `GET /v1/orders/{id}/refunds`: the order's refunds, by sequence.
struct RefundRoutes {
  let store: any Store & RefundStore & StaffStore
  let refunds: RefundCoordinator
  let pins: PINCheck
  let requireSession: Bool
  /// Every refund answer is counted by method and outcome.
  let metrics: ServerMetrics

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("orders/:id/refunds") { request, context -> EditedResponse<Refund> in
      let actor = try context.requireActor()
      let orderId = try IdentifierValidation.orderID(in: context)
      let key = try IdentifierValidation.idempotencyKey(of: request)
      let body = try await request.decode(as: RefundBody.self, context: context).validated()
      var verified: VerifiedApproval?
      if let approval = body.approval, actor.role != .manager {
        verified = try await pins.verifiedApproval(approval, subject: orderId, terminal: actor.terminal)
      }
      let record: RefundRecord
      do {
        record = try await store.refund(
          orderId: orderId, request: body, idempotencyKey: key, by: actor, approval: verified,
          requireSession: requireSession)
      } catch StoreError.approvalRefused {
        // The approver changed between the PIN check and the refund's transaction.
        if let verified {
          try await store.recordFailedAttempt(
            .approvalRefused, code: verified.code, terminal: actor.terminal, subject: orderId, now: Date())
        }
        throw StoreError.approvalRefused
      }
      var refund = record.refund
      if refund.status == .pending, let providerPaymentId = record.providerPaymentId {
        refund = await refunds.drive(PendingCardRefund(refund: refund, providerPaymentId: providerPaymentId))
      }
      let outcome: String =
        switch refund.status {
        case .succeeded: record.created ? "succeeded" : "replayed"
        case .pending: "pending"
        case .failed: "failed"
        }
      metrics.refund(refund.method, outcome: outcome)
      switch refund.status {
      case .succeeded: return EditedResponse(status: record.created ? .created : .ok, response: refund)
      case .pending: return EditedResponse(status: .accepted, response: refund)
      case .failed:
        throw Problem(
          .refundFailed,
          detail:
            "The card provider refused the refund: \(refund.failureReason ?? "no reason given"). Nothing went back; refund cash instead."
        )
      }
    }

    v1.get("orders/:id/refunds") { _, context -> ListBody<Refund> in
      let actor = try context.requireActor()
      let orderId = try IdentifierValidation.orderID(in: context)
      // An order that is not the terminal's is 404, as every order route answers.
      _ = try await store.order(id: orderId, owner: actor.owner)
      return ListBody(items: try await store.refunds(orderId: orderId, owner: actor.owner), next: nil)
    }
  }
}

/// The refund body as sent: `method` read as text so an unknown method is a 422 naming the field.
private struct RefundBody: Decodable {
  /// Absent or empty: the paid parts of an order not yet paid.
  var lines: [RefundRequest.Line]?
  var method: String
  var approval: Approval?

  func validated() throws(Problem) -> RefundRequest {
    guard let method = Payment.Method(rawValue: method) else {
      throw Problem.invalidField("method", "method must be \"cash\" or \"card\".")
    }
    let lines = lines ?? []
    guard lines.count <= Limits.maxCartLines else {
      throw Problem.invalidField("lines", "A refund names at most \(Limits.maxCartLines) lines.")
    }
    for line in lines {
      _ = try IdentifierValidation.sku(line.sku, field: "lines.sku")
    }
    return RefundRequest(lines: lines, method: method, approval: approval)
  }
}
