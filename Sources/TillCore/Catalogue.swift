/// A product on sale, with its live stock.
public struct Product: Codable, Hashable, Sendable {
  public var sku: String
  public var name: String
  public var category: String
  public var price: Money
  public var stock: Int
  public var barcode: String
  /// The tax rate in basis points (700 = 7 %): the product's own when it has one, else its category's.
  public var taxRate: Int

  public init(
    sku: String, name: String, category: String, price: Money, stock: Int, barcode: String, taxRate: Int = 0
  ) {
    self.sku = sku
    self.name = name
    self.category = category
    self.price = price
    self.stock = stock
    self.barcode = barcode
    self.taxRate = taxRate
  }
}

/// A category name and how many products it holds.
public struct Category: Codable, Hashable, Sendable {
  public var name: String
  public var count: Int
  /// The category's tax rate in basis points, which its products without their own rate use.
  public var taxRate: Int

  public init(name: String, count: Int, taxRate: Int = 0) {
    self.name = name
    self.count = count
    self.taxRate = taxRate
  }
}

/// One page of a list, with the cursor of the next page (nil on the last page).
public struct Page<Item: Codable & Sendable & Hashable>: Codable, Hashable, Sendable {
  public var items: [Item]
  public var next: String?

  public init(items: [Item], next: String?) {
    self.items = items
    self.next = next
  }
}

/// `GET /v1/categories` answers a list in the same envelope as every other list.
public typealias CategoryList = Page<Category>

/// What a product search asks for. `after` is the keyset cursor: the last SKU of the previous page.
public struct ProductQuery: Hashable, Sendable {
  public var text: String?
  public var category: String?
  public var limit: Int
  public var after: String?

  public init(
    text: String? = nil, category: String? = nil, limit: Int = Limits.defaultPageSize, after: String? = nil
  ) {
    self.text = text
    self.category = category
    self.limit = limit
    self.after = after
  }
}

/// `POST /v1/products/{sku}/stock-adjustments`: a restock (positive) or write-off (negative).
public struct StockAdjustmentRequest: Codable, Hashable, Sendable {
  public var delta: Int
  public var reason: String

  public init(delta: Int, reason: String) {
    self.delta = delta
    self.reason = reason
  }
}
