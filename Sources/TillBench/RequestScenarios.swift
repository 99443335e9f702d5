/// The scenarios without preparation: every request is timed.
extension BenchRun {
  /// `GET /v1/health`.
  func health(clients: Int, duration: Duration) async -> Measurement {
    let connections = connections(clients)
    return await LoadDriver.closedLoop(clients: clients, duration: duration) { worker, _ in
      BenchConnection.succeeded(await connections[worker].send("GET", "/v1/health")) ? .succeeded : .failed
    }
  }

  /// Searches by name word, accented word, SKU prefix, barcode prefix and category, 20 a page.
  func browse(clients: Int, duration: Duration) async -> Measurement {
    let connections = connections(clients)
    let queries =
      ["latte", "caf", "crème", "smoked", "jalapeño", "würzig", "bagel 1", "SYN-0001", "2000000012", "tea"]
      .map { "/v1/products?limit=20&q=" + BenchConnection.queryValue($0) }
      + ["/v1/products?limit=20&category=Coffee", "/v1/products?limit=20&category=Bakery&after=SYN-000500"]
    return await LoadDriver.closedLoop(clients: clients, duration: duration) { worker, iteration in
      let path = queries[(worker * 7 + iteration) % queries.count]
      return BenchConnection.succeeded(await connections[worker].send("GET", path)) ? .succeeded : .failed
    }
  }

  /// Every client +1 on the same line of one shared cart. A line holds at most 9 999, so the hot cart
  /// is replaced after every 9 000 tickets by the next of a set created beforehand (untimed).
  /// The cart is one till's, so every client is that till (a cart is never another till's).
  func incrementHot(clients: Int, duration: Duration) async -> Measurement {
    let connections = connections(clients, oneTill: true)
    let perCart = 9_000
    let expected = LoadDriver.seconds(duration) * 40_000
    var carts: [String] = []
    for _ in 0..<(Int(expected) / perCart + 2) {
      guard let cart = await connections[0].fetch(Identified.self, "POST", "/v1/carts") else { break }
      ledger.register(cart: cart.id)
      carts.append(cart.id)
    }
    let tickets = Counter()
    let sku = hotSKUs[0]
    let runTag = "\(tag)-ih\(clients)"
    let hotCarts = carts
    return await LoadDriver.closedLoop(clients: clients, duration: duration) { [ledger] worker, _ in
      let ticket = tickets.next()
      guard ticket / perCart < hotCarts.count else { return .exhausted }
      let cart = hotCarts[ticket / perCart]
      let body = BenchConnection.incrementBody(sku: sku, delta: 1, opId: "\(runTag)-\(ticket)")
      let response = await connections[worker].send("POST", "/v1/carts/\(cart)/increments", body: body)
      guard BenchConnection.succeeded(response) else { return .failed }
      ledger.acknowledge(cart: cart, delta: 1)
      return .succeeded
    }
  }

  /// +1 on many lines: each client its own cart, cycling over 10 products of its own (10 lines: a
  /// till's cart; every answer carries the whole cart, so 150-line carts measured JSON size instead).
  func incrementSpread(clients: Int, duration: Duration) async -> Measurement {
    let connections = connections(clients)
    var carts: [String] = []
    for worker in 0..<clients {
      guard let cart = await connections[worker].fetch(Identified.self, "POST", "/v1/carts") else { continue }
      ledger.register(cart: cart.id, till: worker)
      carts.append(cart.id)
    }
    let workerCarts = carts
    let skus = spreadSKUs
    let runTag = "\(tag)-is\(clients)"
    return await LoadDriver.closedLoop(clients: clients, duration: duration) { [ledger] worker, iteration in
      // Each line stays below 9 000 units (the limit is 9 999).
      guard worker < workerCarts.count, iteration < 10 * 9_000 else { return .exhausted }
      let cart = workerCarts[worker]
      let sku = skus[(worker * 10 + iteration % 10) % skus.count]
      let body = BenchConnection.incrementBody(sku: sku, delta: 1, opId: "\(runTag)-\(worker)-\(iteration)")
      let response = await connections[worker].send("POST", "/v1/carts/\(cart)/increments", body: body)
      guard BenchConnection.succeeded(response) else { return .failed }
      ledger.acknowledge(cart: cart, delta: 1)
      return .succeeded
    }
  }
}
