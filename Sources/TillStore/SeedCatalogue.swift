import TillCore

/// What an empty database is seeded with: each category's tax rate, and products carrying their
/// effective rate (`Product.taxRate`), some of them with a rate of their own rather than their category's.
public struct SeedCatalogue: Hashable, Sendable {
  /// Category name → tax rate in basis points; a category not named here has rate 0.
  public var categoryRates: [String: Int]
  public var products: [Product]
  /// The SKUs whose rate is their own; every other product follows its category's rate.
  public var ownRates: Set<String>

  /// `products` as given: those in `ownRates` keep their `taxRate`, every other one takes its
  /// category's rate.
  public init(categoryRates: [String: Int], products: [Product], ownRates: Set<String> = []) {
    self.categoryRates = categoryRates
    self.ownRates = ownRates
    self.products = products.map { product in
      guard !ownRates.contains(product.sku) else { return product }
      var following = product
      following.taxRate = categoryRates[product.category] ?? 0
      return following
    }
  }

  /// `products` with their effective rates, each category's rate taken from them: the rate most of its
  /// products have (the lowest of equally common ones); a product with another rate has it as its own.
  /// A catalogue without rates has every rate 0.
  public init(products: [Product]) {
    var counts: [String: [Int: Int]] = [:]
    for product in products { counts[product.category, default: [:]][product.taxRate, default: 0] += 1 }
    let rates = counts.mapValues { ratesOfCategory in
      ratesOfCategory.max { lhs, rhs in lhs.value < rhs.value || (lhs.value == rhs.value && lhs.key > rhs.key)
      }?
      .key ?? 0
    }
    let own = products.filter { $0.taxRate != rates[$0.category] }.map(\.sku)
    self.init(categoryRates: rates, products: products, ownRates: Set(own))
  }

  /// Whether `product` has a rate of its own.
  func hasOwnRate(_ product: Product) -> Bool { ownRates.contains(product.sku) }
}
