import Foundation
import Hummingbird
import TillCore
import TillStore

/// Products, categories and (admin only) stock adjustments.
struct CatalogueRoutes {
  let store: any Store

  func register(on routes: RouteRegistrar) {
    routes.get("/v1/products") { request, context in
      _ = try context.requirePrincipal()
      let parameters = QueryParameters(request)
      let query = ProductQuery(
        text: try parameters.text("q"), category: try parameters.text("category"),
        limit: try parameters.limit(), after: try parameters.text("after", maxLength: 255))
      return try JSONResponse.make(ListBody(try await store.products(matching: query)))
    }

    routes.get("/v1/products/:sku") { _, context in
      _ = try context.requirePrincipal()
      let sku = try Self.sku(from: context)
      return try JSONResponse.make(try await store.product(sku: sku))
    }

    routes.get("/v1/categories") { _, context in
      _ = try context.requirePrincipal()
      return try JSONResponse.make(ListBody(items: try await store.categories(), next: nil))
    }

    routes.post("/v1/products/:sku/stock-adjustments") { request, context in
      _ = try context.requireAdmin()
      let sku = try Self.sku(from: context)
      let adjustment = try await RequestBodyReader.decode(StockAdjustmentRequest.self, from: request)
      try Self.validate(adjustment)
      let product = try await store.adjustStock(sku: sku, delta: adjustment.delta, reason: adjustment.reason)
      return try JSONResponse.make(product)
    }
  }

  /// The SKU in the path, decoded (`PathParameter`); one longer than any real SKU answers 404 early.
  static func sku(from context: TillRequestContext) throws -> String {
    try PathParameter.identifier("sku", of: context, notFound: "No such product.")
  }

  static func validate(_ adjustment: StockAdjustmentRequest) throws(Problem) {
    // A range check, not abs(): abs(Int.min) would trap.
    let range = -Limits.maxStockAdjustment...Limits.maxStockAdjustment
    guard adjustment.delta != 0, range.contains(adjustment.delta) else {
      throw Problem.invalidField(
        "delta",
        "delta must be a non-zero integer from -\(Limits.maxStockAdjustment) to \(Limits.maxStockAdjustment)."
      )
    }
    let reason = adjustment.reason.trimmingCharacters(in: .whitespacesAndNewlines)
    // Code points, as the OpenAPI description's maxLength counts them (see QueryParameters.text).
    guard !reason.isEmpty, adjustment.reason.unicodeScalars.count <= Limits.maxReasonLength else {
      throw Problem.invalidField("reason", "reason must be 1 to \(Limits.maxReasonLength) characters.")
    }
  }
}
