import Foundation
import Hummingbird
import TillCore
import TillStore

/// Tax rates, for the admin token only, on the `/v1` group: a category's rate, which its products
/// follow, and a product's own rate, which overrides its category's until it is deleted. Every change is
/// audited (`tax-rate`) in the store's transaction.
struct TaxRateRoutes {
  let store: any Store

  func register(on v1: RouterGroup<TillRequestContext>) {
    v1.put("categories/:name/tax-rate") { request, context -> TillCore.Category in
      try context.requireAdmin()
      let name = try Self.categoryName(in: context)
      let rate = try Self.rate(try await request.decode(as: TaxRateRequest.self, context: context))
      return try await store.setCategoryTaxRate(category: name, rate: rate, by: .admin)
    }

    v1.put("products/:sku/tax-rate") { request, context -> Product in
      try context.requireAdmin()
      let sku = try IdentifierValidation.sku(in: context)
      let rate = try Self.rate(try await request.decode(as: TaxRateRequest.self, context: context))
      return try await store.setProductTaxRate(sku: sku, rate: rate, by: .admin)
    }

    v1.delete("products/:sku/tax-rate") { _, context -> Product in
      try context.requireAdmin()
      return try await store.setProductTaxRate(
        sku: try IdentifierValidation.sku(in: context), rate: nil, by: .admin)
    }
  }

  /// The rate in basis points, 0 to `Limits.maxTaxRate`; 422 naming `taxRate` otherwise.
  static func rate(_ request: TaxRateRequest) throws(Problem) -> Int {
    guard (0...Limits.maxTaxRate).contains(request.taxRate) else {
      throw Problem.invalidField(
        "taxRate", "taxRate must be 0 to \(Limits.maxTaxRate) basis points (700 is 7 %).")
    }
    return request.taxRate
  }

  /// The category named by the path, percent-decoded once; a name no catalogue could hold (empty, over
  /// 200 characters, a control character) names nothing: 404, like an unknown one.
  static func categoryName(in context: TillRequestContext) throws -> String {
    let raw = try context.parameters.require("name")
    guard let name = raw.removingPercentEncoding, !name.isEmpty, name.unicodeScalars.count <= 200,
      !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { throw Problem(.notFound, detail: "No such category.") }
    return name
  }
}

extension TillCore.Category: ResponseEncodable {}
