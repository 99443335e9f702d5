import Foundation
import Hummingbird
import TillCore
import TillStore

/// `POST /v1/orders/{id}/cancel`: unpaid orders only; stock returns in the same transaction.
///
/// A cashier cancels their own orders; a manager anyone's; anyone else's order needs a manager's
/// `approval` (code and PIN) in the optional `CancelRequest` body. The PIN is counted and checked here
/// like a sign-in PIN (a wrong one writes `approval-refused`); the store then re-checks, in the cancel's
/// own transaction, that the approver is still an enabled manager with the hash the PIN was checked
/// against, so a manager disabled while the request travelled approves nothing.
struct CancelRoute {
  let store: any Store & PaymentStore & StaffStore
  let pins: PINCheck

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("orders/:id/cancel") { request, context -> Order in
      let actor = try context.requireActor()
      let id = try IdentifierValidation.orderID(in: context)
      let body = try await Self.body(of: request, context: context)
      let order = try await store.order(id: id, owner: actor.owner)
      var verified: VerifiedApproval?
      if let approval = body.approval, order.staff != actor.staff, actor.role != .manager {
        verified = try await pins.verifiedApproval(approval, subject: id, terminal: actor.terminal)
      }
      do {
        return try await store.cancelOrder(id: id, by: actor, approval: verified)
      } catch StoreError.approvalRefused {
        // The approver changed between the PIN check and the cancel's transaction.
        if let verified {
          try await store.recordFailedAttempt(
            .approvalRefused, code: verified.code, terminal: actor.terminal, subject: id, now: Date())
        }
        throw StoreError.approvalRefused
      }
    }
  }

  /// The optional body: none at all is a cancel without approval.
  private static func body(of request: Request, context: TillRequestContext) async throws -> CancelRequest {
    let bytes = try await BodyLimit.collect(request, upTo: context.maxUploadSize)
    guard !bytes.isEmpty else { return CancelRequest() }
    var replayed = request
    replayed.body = RequestBody(buffer: ByteBuffer(bytes: bytes))
    return try await replayed.decode(as: CancelRequest.self, context: context)
  }
}
