import TillCore
import TillStore

/// `store-order-hot`: the order transaction of `order-hot` called on the Store directly, in this process,
/// with the same hot products and client count — the engine's ceiling for our own SQL, without HTTP.
extension BenchRun {
  /// nil when the bench did not start the back end (no store to call).
  func storeOrderHot(clients: Int, duration: Duration, firstBatch: Int) async -> Measurement? {
    guard let store = backEnd.store else { return nil }
    let hot = hotSKUs
    let runTag = "\(tag)-so\(clients)"
    let sequence = Counter()
    // As the bench cashier, who sells on every till over HTTP too.
    let staff = backEnd.cashier.code
    return await LoadDriver.phased(
      clients: clients, duration: duration, firstBatch: firstBatch,
      prepare: { worker, count in
        let owner = Self.storeOwner(worker)
        var carts: [String] = []
        for _ in 0..<count {
          do {
            let cart = try await store.createCart(owner: owner, staff: staff)
            for sku in hot {
              let increment = IncrementRequest(sku: sku, delta: 1, opId: "\(runTag)-\(sequence.next())")
              _ = try await store.applyIncrement(increment, cartId: cart.id, owner: owner)
            }
            carts.append(cart.id)
          } catch {
            continue
          }
        }
        return carts
      },
      operation: { worker, cart in
        do {
          _ = try await store.placeOrder(
            cartId: cart, owner: Self.storeOwner(worker), staff: staff,
            idempotencyKey: "\(runTag)-\(cart)")
          return .succeeded
        } catch {
          return .failed
        }
      })
  }
}
