import Foundation
import Testing
import TillCore
import TillTestSupport

/// Order numbers count per till across servers: two `till-server` processes on one PostgreSQL database,
/// two tills each ordering many carts at once through both, every third cart refused for stock.
@Suite("Order numbers per till on two till-server processes")
struct MultiInstanceOrderNumberTests {
  static let tills = [ServerHarness.staffToken, ServerHarness.otherStaffToken]
  static let cartsPerTill = 30

  @Test("each till's numbers are exactly 1…N, whichever instance placed the order")
  func numbersPerTillAcrossInstances() async throws {
    let database = try await freshPostgresDatabase()
    let products = [Fixtures.product("PLENTY", stock: 1_000), Fixtures.product("NONE", stock: 0)]
    try await withInstances(database: database, products: products) { instances in
      let placed = try await withThrowingTaskGroup(of: (String, Int?).self) { group in
        for till in Self.tills {
          for index in 0..<Self.cartsPerTill {
            // The cart is filled through one instance and ordered through the other.
            let filler = instances.client(index, token: till)
            let orderer = instances.client(index + 1, token: till)
            group.addTask {
              let cart = try await filler.createCart()
              let sku = index % 3 == 2 ? "NONE" : "PLENTY"
              _ = try await filler.increment(cart: cart.id, sku: sku, delta: 1).decoded(Cart.self)
              let response = try await orderer.placeOrder(cart: cart.id)
              guard response.status == 201 else {
                #expect(response.status == 409, "\(response.text)")
                return (till, nil)
              }
              return (till, try response.decoded(Order.self, expecting: 201).number)
            }
          }
        }
        return try await group.reduce(into: [String: [Int]]()) { numbers, answer in
          if let number = answer.1 { numbers[answer.0, default: []].append(number) }
        }
      }
      let expected = Array(1...(Self.cartsPerTill - Self.cartsPerTill / 3))
      for (index, till) in Self.tills.enumerated() {
        #expect(placed[till, default: []].sorted() == expected, "numbers answered to till \(index)")
        let listed = try await Fixtures.orders(instances.client(index, token: till)).map(\.number)
        #expect(listed == expected.reversed(), "numbers listed for till \(index)")
      }
    }
  }
}
