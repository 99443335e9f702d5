import Foundation
import Synchronization

/// One engine's run: the back end, the products the scenarios use, and what the correctness check needs
/// to know afterwards (every cart that received increments, with the +1s acknowledged on it).
final class BenchRun: Sendable {
  let backEnd: BackEnd
  /// The 3 hot products, in SKU order.
  let hotSKUs: [String]
  /// Every product of the catalogue, for spread scenarios.
  let spreadSKUs: [String]
  /// Unique per process run, so op ids and idempotency keys never collide with an earlier run's.
  let tag = String(UUID().uuidString.lowercased().prefix(8))
  let ledger = IncrementLedger()
  /// The owner client `index` of the store-direct scenario orders as: a till of its own, as over HTTP
  /// (not a token: the Store takes owners as they are).
  static func storeOwner(_ index: Int) -> String { "bench-store-owner-\(index)" }

  init(backEnd: BackEnd, hotSKUs: [String], spreadSKUs: [String]) {
    self.backEnd = backEnd
    self.hotSKUs = hotSKUs
    self.spreadSKUs = spreadSKUs
  }

  /// One kept-alive connection per worker, each with the staff session on its own till; with `oneTill`, every
  /// worker as the first till's (for a cart all of them change).
  func connections(_ count: Int, oneTill: Bool = false) -> [BenchConnection] {
    (0..<count).map { worker in
      BenchConnection(baseURL: backEnd.baseURL, token: backEnd.sessionToken(forClient: oneTill ? 0 : worker))
    }
  }
}

/// The increments acknowledged (2xx) per cart, for the lost-increment check, and the till (client
/// index) whose token owns each registered cart, for reading it back.
final class IncrementLedger: Sendable {
  private let acknowledged = Mutex<[String: Int]>([:])
  private let tills = Mutex<[String: Int]>([:])

  func acknowledge(cart: String, delta: Int) {
    acknowledged.withLock { $0[cart, default: 0] += delta }
  }

  /// Registers a cart of client `till`'s till with nothing acknowledged yet, so a cart whose every +1
  /// failed is still checked.
  func register(cart: String, till: Int = 0) {
    acknowledged.withLock { if $0[cart] == nil { $0[cart] = 0 } }
    tills.withLock { $0[cart] = till }
  }

  var snapshot: [String: Int] { acknowledged.withLock { $0 } }

  /// The client index whose till owns `cart` (the first till's for a cart never registered).
  func till(of cart: String) -> Int { tills.withLock { $0[cart] ?? 0 } }
}

/// A shared ticket counter (an `Atomic` cannot be captured by the workers' escaping closures itself).
final class Counter: Sendable {
  private let value = Atomic<Int>(0)

  /// The next ticket: 0, 1, 2, …
  func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
