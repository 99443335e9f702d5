import Hummingbird
import TillCore
import TillStore

/// Placing and reading orders. Placing is idempotent by the `Idempotency-Key` header.
///
/// A replay answers exactly what the first request answered — 201 and the same order — plus
/// `Idempotent-Replayed: true`, so a client that lost the first answer cannot tell the difference
/// except by that header.
struct OrderRoutes {
  let store: any Store

  func register(on routes: RouteRegistrar) {
    routes.post("/v1/orders") { request, context in
      let principal = try context.requirePrincipal()
      let key = try Self.idempotencyKey(of: request)
      let body = try await RequestBodyReader.decode(PlaceOrderRequest.self, from: request)
      guard !body.cartId.isEmpty, body.cartId.utf8.count <= 64 else {
        throw Problem.invalidField("cartId", "cartId must be 1 to 64 characters.")
      }
      let placement = try await store.placeOrder(
        cartId: body.cartId, owner: principal.owner, idempotencyKey: key)
      var headers: HTTPFields = [:]
      headers[.location] = "/v1/orders/\(placement.order.id)"
      if placement.replayed { headers[.idempotentReplayed] = "true" }
      return try JSONResponse.make(placement.order, status: .created, headers: headers)
    }

    routes.get("/v1/orders/:id") { _, context in
      let principal = try context.requirePrincipal()
      let id = try Self.orderID(from: context)
      return try JSONResponse.make(try await store.order(id: id, owner: principal.owner))
    }

    routes.get("/v1/orders") { request, context in
      let principal = try context.requirePrincipal()
      let parameters = QueryParameters(request)
      let page = try await store.orders(
        owner: principal.owner, status: try parameters.choice("status", as: Order.Status.self),
        limit: try parameters.limit(), after: try parameters.text("after", maxLength: 255))
      return try JSONResponse.make(ListBody(page))
    }
  }

  static func orderID(from context: TillRequestContext) throws -> String {
    try PathParameter.identifier("id", of: context, notFound: "No such order.")
  }

  /// Exactly one `Idempotency-Key` of 1–255 visible ASCII characters; otherwise 400.
  static func idempotencyKey(of request: Request) throws(Problem) -> String {
    let values = request.headers[values: .idempotencyKey]
    guard values.count == 1, Identifiers.isValidIdempotencyKey(values[0]) else {
      throw Problem(
        .missingHeader, status: 400,
        detail: "Send one Idempotency-Key header of 1 to 255 visible ASCII characters.",
        field: "Idempotency-Key")
    }
    return values[0]
  }
}
