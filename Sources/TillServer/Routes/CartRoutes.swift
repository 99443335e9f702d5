import Hummingbird
import TillCore
import TillStore

/// Carts and their atomic increments, on the `/v1` group, for a person signed in on a terminal. A cart
/// belongs to the terminal it was made on (and records who opened it); other terminals get 404.
struct CartRoutes {
  let store: any Store

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("carts") { _, context -> EditedResponse<Cart> in
      let actor = try context.requireActor()
      let cart = try await store.createCart(owner: actor.owner, staff: actor.staff)
      var headers: HTTPFields = [:]
      headers[.location] = "/v1/carts/\(cart.id)"
      return EditedResponse(status: .created, headers: headers, response: cart)
    }

    v1.get("carts/:id") { _, context -> Cart in
      let session = try context.requireStaff()
      return try await store.cart(id: try IdentifierValidation.cartID(in: context), owner: session.owner)
    }

    v1.post("carts/:id/increments") { request, context -> Cart in
      let session = try context.requireStaff()
      let id = try IdentifierValidation.cartID(in: context)
      let increment = try Self.validated(
        try await request.decode(as: IncrementRequest.self, context: context))
      return try await store.applyIncrement(increment, cartId: id, owner: session.owner)
    }
  }

  static func validated(_ increment: IncrementRequest) throws(Problem) -> IncrementRequest {
    _ = try IdentifierValidation.sku(increment.sku)
    // A range check, not abs(): abs(Int.min) would trap.
    guard increment.delta != 0, (-Limits.maxDelta...Limits.maxDelta).contains(increment.delta) else {
      throw Problem.invalidField(
        "delta", "delta must be a non-zero integer from -\(Limits.maxDelta) to \(Limits.maxDelta).")
    }
    _ = try IdentifierValidation.operationID(increment.opId)
    return increment
  }
}
