import Hummingbird
import TillCore
import TillStore

/// Placing and reading orders, on the `/v1` group, for a person signed in on a terminal: the terminal's
/// orders, each recording who placed it. Placing is idempotent by the `Idempotency-Key` header.
///
/// A replay answers exactly what the first request answered — 201 and the same order — plus
/// `Idempotent-Replayed: true`, so a client that lost the first answer cannot tell the difference
/// except by that header.
struct OrderRoutes {
  let store: any Store
  /// `ServerConfiguration.requireRegisterSession`.
  let requireSession: Bool
  let metrics: ServerMetrics

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.post("orders") { request, context -> EditedResponse<Order> in
      let actor = try context.requireActor()
      let key = try IdentifierValidation.idempotencyKey(of: request)
      let body = try await request.decode(as: PlaceOrderRequest.self, context: context)
      let placement = try await store.placeOrder(
        cartId: try IdentifierValidation.cartID(body.cartId), owner: actor.owner, staff: actor.staff,
        idempotencyKey: key, requireSession: requireSession)
      var headers: HTTPFields = [:]
      headers[.location] = "/v1/orders/\(placement.order.id)"
      if placement.replayed { headers[.idempotentReplayed] = "true" } else { metrics.orderPlaced() }
      return EditedResponse(status: .created, headers: headers, response: placement.order)
    }

    v1.get("orders/:id") { _, context -> Order in
      let session = try context.requireStaff()
      return try await store.order(id: try IdentifierValidation.orderID(in: context), owner: session.owner)
    }

    v1.get("orders") { request, context -> ListBody<Order> in
      let session = try context.requireStaff()
      let parameters = QueryParameters(request)
      let page = try await store.orders(
        owner: session.owner, status: try parameters.choice("status", as: Order.Status.self),
        limit: try parameters.limit(), after: try parameters.text("after", maxLength: 255))
      return ListBody(page)
    }
  }
}
