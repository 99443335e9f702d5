import Foundation
import Hummingbird
import TillCore
import TillStore

/// Products and categories (any token: a terminal reads its catalogue before anyone signs in) and, for
/// the admin token only, stock adjustments, on the `/v1` group.
struct CatalogueRoutes {
  let store: any Store

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.get("products") { request, context -> ListBody<Product> in
      _ = try context.requirePrincipal()
      let parameters = QueryParameters(request)
      let query = ProductQuery(
        text: try parameters.text("q"), category: try parameters.text("category"),
        limit: try parameters.limit(), after: try parameters.text("after", maxLength: 255))
      return ListBody(try await store.products(matching: query))
    }

    v1.get("products/:sku") { _, context -> Product in
      _ = try context.requirePrincipal()
      return try await store.product(sku: try IdentifierValidation.sku(in: context))
    }

    v1.get("categories") { _, context -> ListBody<TillCore.Category> in
      _ = try context.requirePrincipal()
      return ListBody(items: try await store.categories(), next: nil)
    }

    v1.post("products/:sku/stock-adjustments") { request, context -> Product in
      try context.requireAdmin()
      let sku = try IdentifierValidation.sku(in: context)
      let adjustment = try await request.decode(as: StockAdjustmentRequest.self, context: context)
      try Self.validate(adjustment)
      return try await store.adjustStock(
        sku: sku, delta: adjustment.delta, reason: adjustment.reason, by: .admin)
    }
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
