import Foundation
import TillCore
import TillPaymentSandbox
import TillStore

/// Asks the back end (and, when started here, the store and the card provider) for the figures the
/// correctness check compares.
struct CorrectnessProbe: Sendable {
  let backEnd: BackEnd
  /// The owners `store-order-hot` orders as, whose orders only the store can list.
  let storeOwners: [String]
  /// As the first till: products are everyone's.
  private var connection: BenchConnection { connection(till: 0) }

  private func connection(till: Int) -> BenchConnection {
    BenchConnection(baseURL: backEnd.baseURL, token: backEnd.sessionToken(forClient: till))
  }

  /// Stock of every product, paging through the whole catalogue.
  func stock() async throws -> [String: Int] {
    var stock: [String: Int] = [:]
    var after: String?
    repeat {
      let path = "/v1/products?limit=500" + (after.map { "&after=" + BenchConnection.queryValue($0) } ?? "")
      guard let page = await connection.fetch(Page<Product>.self, "GET", path) else {
        throw BenchError("could not list the products for the correctness check")
      }
      for product in page.items { stock[product.sku] = product.stock }
      after = page.next
    } while after != nil
    return stock
  }

  /// The newest order number of each till now (numbers count per till): orders above it are this run's.
  func newestOrderNumbers() async throws -> [Int] {
    var newest: [Int] = []
    for till in backEnd.sessionTokens.indices {
      guard let page = await connection(till: till).fetch(Page<Order>.self, "GET", "/v1/orders?limit=1")
      else {
        throw BenchError("could not list the orders for the correctness check")
      }
      newest.append(page.items.first?.number ?? 0)
    }
    return newest
  }

  /// The run's orders: each till's above its number in `afterNumbers`, and the store-direct owners'.
  func ordersSince(_ afterNumbers: [Int]) async throws -> [Order] {
    var orders: [Order] = []
    for (till, afterNumber) in afterNumbers.enumerated() {
      var after: String?
      paging: repeat {
        let path = "/v1/orders?limit=500" + (after.map { "&after=" + $0 } ?? "")
        guard let page = await connection(till: till).fetch(Page<Order>.self, "GET", path) else {
          throw BenchError("could not list the orders for the correctness check")
        }
        for order in page.items {
          guard order.number > afterNumber else { break paging }
          orders.append(order)
        }
        after = page.next
      } while after != nil
    }
    guard let store = backEnd.store else { return orders }
    for owner in storeOwners {
      var cursor: String?
      repeat {
        let page = try await store.orders(owner: owner, status: nil, limit: 500, after: cursor)
        orders += page.items
        cursor = page.next
      } while cursor != nil
    }
    return orders
  }

  /// The quantity each ledger cart holds now, read as the till that owns it.
  func cartQuantities(_ carts: [String], ledger: IncrementLedger) async throws -> [String: Int] {
    var quantities: [String: Int] = [:]
    for cart in carts {
      let owner = connection(till: ledger.till(of: cart))
      guard let answer = await owner.fetch(Cart.self, "GET", "/v1/carts/\(cart)") else {
        throw BenchError("could not read cart \(cart) for the correctness check")
      }
      quantities[cart] = answer.lines.reduce(0) { $0 + $1.quantity }
    }
    return quantities
  }

  /// Succeeded charges per order at the sandbox; nil when the provider was not started here.
  func charges() async throws -> [String: Int]? {
    guard let url = backEnd.sandboxURL, let authorization = backEnd.sandboxAuthorization else {
      return nil
    }
    let sandbox = BenchConnection(baseURL: url, token: nil)
    guard
      let response = await sandbox.send("GET", "/v3/payments", headers: [("Authorization", authorization)]),
      response.status == 200,
      let list = try? JSONDecoder().decode(PaymentList.self, from: Data(response.body))
    else { throw BenchError("could not list the sandbox's charges for the correctness check") }
    var charges: [String: Int] = [:]
    for payment in list.items where payment.status == "succeeded" {
      charges[payment.metadata["orderId"] ?? "?", default: 0] += 1
    }
    return charges
  }

  /// Gathers the evidence after the scenarios and evaluates it. `otherSold`: units sold outside the
  /// API and the store-direct owner (pgbench's orders).
  func verdict(
    stockBefore: [String: Int], newestOrdersBefore: [Int], ledger: IncrementLedger, otherSold: [String: Int]
  ) async throws -> CorrectnessReport {
    var sold = otherSold
    var succeededCard: Set<String> = []
    for order in try await ordersSince(newestOrdersBefore) where order.status != .canceled {
      for line in order.lines { sold[line.sku, default: 0] += line.quantity }
      if let payment = order.payment, payment.method == .card, payment.status == .succeeded {
        succeededCard.insert(order.id)
      }
    }
    let acknowledged = ledger.snapshot
    let evidence = CorrectnessEvidence(
      stockBefore: stockBefore, stockAfter: try await stock(), sold: sold, acknowledged: acknowledged,
      applied: try await cartQuantities(Array(acknowledged.keys), ledger: ledger),
      chargesByOrder: try await charges(),
      succeededCardOrders: succeededCard)
    return CorrectnessReport(evaluating: evidence)
  }
}
