import Foundation
import Hummingbird
import TillCore
import TillStore

/// `POST /v1/carts/{id}/discounts`: a discount on one line of an open cart (`sku`) or on the whole
/// order, for a person signed in on the cart's terminal. Answers the cart, priced with the discount.
///
/// Past the shop's cashier limit a cashier needs a manager's `approval` (code and PIN); the PIN is
/// counted and checked here like a sign-in PIN whenever a cashier sends one, and the store decides, in
/// the discount's own transaction, whether the discount needed it and whether the approver is still an
/// enabled manager with the hash the PIN was checked against. A signed-in manager needs none.
struct DiscountRoute {
  let store: any Store & StaffStore
  let pins: PINCheck
  /// `ServerConfiguration.cashierDiscountLimit`, in whole percent.
  let cashierLimit: Int

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("carts/:id/discounts") { request, context -> Cart in
      let actor = try context.requireActor()
      let id = try IdentifierValidation.cartID(in: context)
      let discount = try Self.validated(try await request.decode(as: DiscountRequest.self, context: context))
      var verified: VerifiedApproval?
      if let approval = discount.approval, actor.role != .manager {
        verified = try await pins.verifiedApproval(approval, subject: id, terminal: actor.terminal)
      }
      do {
        return try await store.applyDiscount(
          discount, cartId: id, actor: actor, cashierLimit: cashierLimit, approval: verified)
      } catch StoreError.approvalRequired {
        throw Problem(
          .approvalRequired,
          detail: "A discount over \(cashierLimit) % needs a manager's approval (code and PIN).")
      } catch StoreError.approvalRefused {
        // The approver changed between the PIN check and the discount's transaction.
        if let verified {
          try await store.recordFailedAttempt(
            .approvalRefused, code: verified.code, terminal: actor.terminal, subject: id, now: Date())
        }
        throw StoreError.approvalRefused
      }
    }
  }

  /// The request's shape, checked before anything is read or counted: every refusal is 422 naming the
  /// field. Whether `sku` is a line of the cart and whether an amount fits its target are the store's
  /// to decide, in the discount's transaction.
  static func validated(_ discount: DiscountRequest) throws(Problem) -> DiscountRequest {
    _ = try IdentifierValidation.operationID(discount.opId)
    if let sku = discount.sku { _ = try IdentifierValidation.sku(sku) }
    switch (discount.percent, discount.amount) {
    case (let percent?, nil):
      guard (0...100).contains(percent) else {
        throw Problem.invalidField("percent", "percent must be a whole number from 0 to 100.")
      }
    case (nil, let amount?):
      guard (0...Limits.maxOrderTotal).contains(amount.amount) else {
        throw Problem.invalidField(
          "amount.amount", "amount.amount must be 0 to \(Limits.maxOrderTotal) minor units.")
      }
    case (nil, nil), (_?, _?):
      throw Problem.invalidField("percent", "Send exactly one of percent and amount.")
    }
    if let approval = discount.approval {
      try PINCheck.validate(code: approval.code, pin: approval.pin, field: "approval.")
    }
    return discount
  }
}
