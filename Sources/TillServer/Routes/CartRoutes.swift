import Hummingbird
import TillCore
import TillStore

/// Carts and their atomic increments. A cart belongs to the token that made it; others get 404.
struct CartRoutes {
  let store: any Store

  func register(on routes: RouteRegistrar) {
    routes.post("/v1/carts") { _, context in
      let principal = try context.requirePrincipal()
      let cart = try await store.createCart(owner: principal.owner)
      var headers: HTTPFields = [:]
      headers[.location] = "/v1/carts/\(cart.id)"
      return try JSONResponse.make(cart, status: .created, headers: headers)
    }

    routes.get("/v1/carts/:id") { _, context in
      let principal = try context.requirePrincipal()
      let id = try Self.cartID(from: context)
      return try JSONResponse.make(try await store.cart(id: id, owner: principal.owner))
    }

    routes.post("/v1/carts/:id/increments") { request, context in
      let principal = try context.requirePrincipal()
      let id = try Self.cartID(from: context)
      let increment = try await RequestBodyReader.decode(IncrementRequest.self, from: request)
      try Self.validate(increment)
      let cart = try await store.applyIncrement(increment, cartId: id, owner: principal.owner)
      return try JSONResponse.make(cart)
    }
  }

  static func cartID(from context: TillRequestContext) throws -> String {
    try PathParameter.identifier("id", of: context, notFound: "No such cart.")
  }

  static func validate(_ increment: IncrementRequest) throws(Problem) {
    guard !increment.sku.isEmpty, increment.sku.utf8.count <= 64 else {
      throw Problem.invalidField("sku", "sku must be 1 to 64 characters.")
    }
    // A range check, not abs(): abs(Int.min) would trap.
    guard increment.delta != 0, (-Limits.maxDelta...Limits.maxDelta).contains(increment.delta) else {
      throw Problem.invalidField(
        "delta", "delta must be a non-zero integer from -\(Limits.maxDelta) to \(Limits.maxDelta).")
    }
    guard Identifiers.isValidOperationID(increment.opId) else {
      throw Problem.invalidField("opId", "opId must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -.")
    }
  }
}
