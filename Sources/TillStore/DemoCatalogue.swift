import Foundation
import TillCore
import TillResources

/// The products an empty database starts with: the shipped demo file, a file given with
/// `--seed FILE`, or a generated catalogue of any size for benchmarks.
public enum DemoCatalogue {
  /// The products of the demo catalogue shipped in `Resources/catalogue.json`, with their effective
  /// tax rates.
  public static func load() throws(StoreError) -> [Product] {
    try loadCatalogue().products
  }

  /// The demo catalogue shipped in `Resources/catalogue.json`, with its categories' tax rates.
  public static func loadCatalogue() throws(StoreError) -> SeedCatalogue {
    guard let url = TillResources.catalogueURL else {
      throw StoreError.engine("the demo catalogue is missing from the resources")
    }
    return try loadCatalogue(from: url.path)
  }

  /// The products of the catalogue file at `path` (see `loadCatalogue(from:)`).
  public static func load(from path: String) throws(StoreError) -> [Product] {
    try loadCatalogue(from: path).products
  }

  /// A catalogue file: `{"categories": [{"name", "taxRate"}], "products": [...]}`, each product as
  /// `Product` encodes (`sku, name, category, price, stock, barcode`) with an optional `taxRate` of its
  /// own; or, as older files are, a plain array of products (rates 0 unless a product names one).
  public static func loadCatalogue(from path: String) throws(StoreError) -> SeedCatalogue {
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      let decoder = JSONDecoder()
      if let products = try? decoder.decode([SeedFile.Product].self, from: data) {
        return SeedCatalogue(products: products.map(\.product))
      }
      return try decoder.decode(SeedFile.self, from: data).catalogue
    } catch {
      throw StoreError.engine("cannot read the catalogue at \(path): \(error)")
    }
  }

  /// `count` generated products, the same on every call: SKUs `SYN-000001`..., unique in-store
  /// EAN-13 barcodes (prefix 2), names from a small word list (some non-ASCII), prices 0.50–30.00.
  public static func synthetic(count: Int, currency: String = "EUR") -> [Product] {
    (0..<max(0, count)).map { index in
      let number = index + 1
      let adjective = adjectives[index % adjectives.count]
      let noun = nouns[(index / adjectives.count) % nouns.count]
      // A cheap deterministic scramble so prices and stock vary without a random generator.
      let mix = (number &* 2_654_435_761) % 1_000_003
      return Product(
        sku: "SYN-" + zeroPadded(number, width: 6),
        name: "\(adjective) \(noun) \(number)",
        category: categories[index % categories.count],
        price: Money(amount: 50 + (mix % 2_951), currency: currency),
        stock: 20 + (mix % 181),
        barcode: EAN13.make(body: "2" + zeroPadded(number, width: 11)),
        taxRate: syntheticRates[categories[index % categories.count]] ?? 0)
    }
  }

  private static let categories = [
    "Coffee", "Tea", "Bakery", "Sandwiches", "Drinks", "Snacks", "Dairy", "Produce",
  ]
  /// German rates: drinks 19 %, food 7 %.
  private static let syntheticRates = [
    "Coffee": 1_900, "Tea": 1_900, "Drinks": 1_900, "Bakery": 700, "Sandwiches": 700, "Snacks": 700,
    "Dairy": 700, "Produce": 700,
  ]
  private static let adjectives = [
    "Classic", "Smoked", "Roasted", "Crème", "Fresh", "Organic", "Spicy", "Sweet", "Golden", "Jalapeño",
    "Dark", "Wild", "Zesty", "Crispy", "Würzig", "Creamy",
  ]
  private static let nouns = [
    "Brötchen", "Latte", "Tart", "Cheese", "Juice", "Cookie", "Salad", "Wrap", "Soup", "Müsli", "Tea",
    "Bagel", "Crêpe", "Olive", "Cake", "Smørrebrød",
  ]

  private static func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

/// The catalogue file's shape.
private struct SeedFile: Decodable {
  struct CategoryRate: Decodable {
    var name: String
    var taxRate: Int
  }

  /// A product as the file holds it: `taxRate` only when the product has a rate of its own.
  struct Product: Decodable {
    var sku: String
    var name: String
    var category: String
    var price: Money
    var stock: Int
    var barcode: String
    var taxRate: Int?

    var product: TillCore.Product {
      TillCore.Product(
        sku: sku, name: name, category: category, price: price, stock: stock, barcode: barcode,
        taxRate: taxRate ?? 0)
    }
  }

  var categories: [CategoryRate]
  var products: [Product]

  var catalogue: SeedCatalogue {
    SeedCatalogue(
      categoryRates: Dictionary(
        categories.map { ($0.name, $0.taxRate) }, uniquingKeysWith: { _, last in last }),
      products: products.map(\.product), ownRates: Set(products.filter { $0.taxRate != nil }.map(\.sku)))
  }
}

/// EAN-13 barcodes: twelve digits and a check digit.
public enum EAN13 {
  /// The check digit of twelve digits: weights 1 and 3 alternating from the left.
  public static func checkDigit(of body: String) -> Int? {
    let digits = body.compactMap(\.wholeNumberValue)
    guard digits.count == 12, body.count == 12 else { return nil }
    let sum = digits.enumerated().reduce(0) { $0 + $1.element * ($1.offset.isMultiple(of: 2) ? 1 : 3) }
    return (10 - sum % 10) % 10
  }

  /// `body` (twelve digits) with its check digit appended.
  public static func make(body: String) -> String {
    body + String(checkDigit(of: body) ?? 0)
  }

  /// Whether `code` is thirteen ASCII digits with a correct check digit.
  public static func isValid(_ code: String) -> Bool {
    guard code.utf8.count == 13, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
      let last = code.last?.wholeNumberValue
    else { return false }
    return checkDigit(of: String(code.prefix(12))) == last
  }
}
