import TillCore
import TillStore

/// A small catalogue with the awkward cases search must handle: accents, `%` and `_` in names.
enum Fixture {
  static let owner = "staff-alpha"
  static let otherOwner = "staff-bravo"
  /// The person who opens carts, places orders and pays in tests that are not about people.
  static let staff = "1001"
  static let terminal = "till-1"

  /// `staff` (a cashier unless `role` says otherwise) acting on `owner`'s terminal.
  static func actor(owner: String = owner, staff: String = staff, role: StaffRole = .cashier) -> StaffActor {
    StaffActor(owner: owner, terminal: terminal, staff: staff, role: role)
  }

  static func product(
    _ sku: String, _ name: String, category: String = "Bakery", price: Int = 250, stock: Int = 100,
    barcodeBody: String
  ) -> Product {
    Product(
      sku: sku, name: name, category: category, price: Money(amount: price, currency: "EUR"), stock: stock,
      barcode: EAN13.make(body: barcodeBody))
  }

  static let catalogue: [Product] = [
    product("BAK-001", "Brötchen", price: 60, barcodeBody: "400000000001"),
    product("BAK-002", "Croissant", price: 190, barcodeBody: "400000000002"),
    product("BAK-003", "Crème brûlée", price: 450, stock: 2, barcodeBody: "400000000003"),
    product("COF-001", "Café crème", category: "Coffee", price: 320, barcodeBody: "400000000004"),
    product("COF-002", "Espresso", category: "Coffee", price: 220, barcodeBody: "400000000005"),
    product("DRK-001", "Juice 100% orange", category: "Drinks", price: 350, barcodeBody: "400000000006"),
    product("DRK-002", "Club_Mate", category: "Drinks", price: 290, barcodeBody: "400000000007"),
    product(
      "SAN-001", "Smørrebrød", category: "Sandwiches", price: 790, stock: 1, barcodeBody: "400000000008"),
    product("SNK-001", "Jalapeño chips", category: "Snacks", price: 240, barcodeBody: "400000000009"),
  ]

  /// `count` products with `stock` each, for concurrency tests.
  static func stocked(_ count: Int, stock: Int) -> [Product] {
    DemoCatalogue.synthetic(count: count).map {
      var product = $0
      product.stock = stock
      return product
    }
  }
}

/// Runs `body`, capturing its typed outcome, so concurrent results can be counted.
func outcome<T>(_ body: () async throws(StoreError) -> T) async -> Result<T, StoreError> {
  do {
    return .success(try await body())
  } catch {
    return .failure(error)
  }
}

/// A pure rule's typed outcome, so a table row can name the decision or the refusal it expects.
func decision<T>(_ body: () throws(StoreError) -> T) -> Result<T, StoreError> {
  do {
    return .success(try body())
  } catch {
    return .failure(error)
  }
}

extension Store {
  /// A new cart of `owner` holding `lines` (sku, quantity), each added as one increment.
  func cart(owner: String = Fixture.owner, with lines: [(String, Int)]) async throws -> Cart {
    var cart = try await createCart(owner: owner, staff: Fixture.staff)
    for (index, line) in lines.enumerated() {
      cart = try await applyIncrement(
        IncrementRequest(sku: line.0, delta: line.1, opId: "setup-\(index)"), cartId: cart.id, owner: owner)
    }
    return cart
  }

  func stock(of sku: String) async throws -> Int {
    try await product(sku: sku).stock
  }

  /// Every order of `owner`, across pages.
  func allOrders(owner: String = Fixture.owner) async throws -> [Order] {
    var orders: [Order] = []
    var cursor: String?
    repeat {
      let page = try await self.orders(owner: owner, status: nil, limit: 100, after: cursor)
      orders += page.items
      cursor = page.next
    } while cursor != nil
    return orders
  }
}
