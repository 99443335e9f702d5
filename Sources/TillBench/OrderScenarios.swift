/// Checkout and payment scenarios: carts (and orders, for `pay`) are prepared untimed, then only the
/// order or payment POST is timed — the same part `store-order-hot` times on the Store.
extension BenchRun {
  /// Orders of 3-line carts on the 3 hot products.
  func orderHot(clients: Int, duration: Duration, firstBatch: Int) async -> Measurement {
    let hot = hotSKUs
    return await orders(clients: clients, duration: duration, firstBatch: firstBatch, label: "oh") { _ in hot
    }
  }

  /// Orders of 3-line carts on 3 different products drawn from the whole catalogue.
  func orderSpread(clients: Int, duration: Duration, firstBatch: Int) async -> Measurement {
    let skus = spreadSKUs
    return await orders(clients: clients, duration: duration, firstBatch: firstBatch, label: "os") { _ in
      var picked: Set<String> = []
      while picked.count < min(3, skus.count) { picked.insert(skus.randomElement() ?? skus[0]) }
      return picked.sorted()
    }
  }

  private func orders(
    clients: Int, duration: Duration, firstBatch: Int, label: String,
    lines: @escaping @Sendable (Int) -> [String]
  ) async -> Measurement {
    let connections = connections(clients)
    let runTag = "\(tag)-\(label)\(clients)"
    let sequence = Counter()
    return await LoadDriver.phased(
      clients: clients, duration: duration, firstBatch: firstBatch,
      prepare: { worker, count in
        var carts: [String] = []
        for _ in 0..<count {
          if let cart = await Self.filledCart(connections[worker], skus: lines(worker), tag: runTag, sequence)
          {
            carts.append(cart)
          }
        }
        return carts
      },
      operation: { worker, cart in
        let response = await connections[worker].send(
          "POST", "/v1/orders", body: #"{"cartId":"\#(cart)"}"#,
          headers: [("Idempotency-Key", "\(runTag)-\(cart)")])
        return BenchConnection.succeeded(response) ? .succeeded : .failed
      })
  }

  /// Card payments through the sandbox provider on orders of one line each.
  func pay(clients: Int, duration: Duration, firstBatch: Int) async -> Measurement {
    let connections = connections(clients)
    let runTag = "\(tag)-pay\(clients)"
    let skus = spreadSKUs
    let sequence = Counter()
    return await LoadDriver.phased(
      clients: clients, duration: duration, firstBatch: firstBatch,
      prepare: { worker, count in
        var orders: [String] = []
        for _ in 0..<count {
          let sku = skus.randomElement() ?? skus[0]
          guard let cart = await Self.filledCart(connections[worker], skus: [sku], tag: runTag, sequence),
            let order = await connections[worker].fetch(
              Identified.self, "POST", "/v1/orders", body: #"{"cartId":"\#(cart)"}"#,
              headers: [("Idempotency-Key", "\(runTag)-\(cart)")])
          else { continue }
          orders.append(order.id)
        }
        return orders
      },
      operation: { worker, order in
        let response = await connections[worker].send(
          "POST", "/v1/orders/\(order)/payments", body: #"{"method":"card"}"#)
        return response?.status == 201 ? .succeeded : .failed
      })
  }

  /// A new cart with one of each of `skus`; nil when any step failed.
  static func filledCart(_ connection: BenchConnection, skus: [String], tag: String, _ sequence: Counter)
    async
    -> String?
  {
    guard let cart = await connection.fetch(Identified.self, "POST", "/v1/carts") else { return nil }
    for sku in skus {
      let body = BenchConnection.incrementBody(sku: sku, delta: 1, opId: "\(tag)-\(sequence.next())")
      let response = await connection.send("POST", "/v1/carts/\(cart.id)/increments", body: body)
      guard BenchConnection.succeeded(response) else { return nil }
    }
    return cart.id
  }
}
