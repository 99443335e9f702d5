import TillClient
import TillCore

/// `--demo`: other tills selling from the same stock in the background, so stock moves and checkout
/// conflicts happen on the cashier's screen.
///
/// Each simulated till has its own client (its own token when the back end is embedded), signs in as
/// the demo cashier like a person would, and buys on its own clock: random products, a third of the time the ones nearly sold out (all that is left of
/// them), paid in cash. With an admin token, sold-out products are now and then restocked so a long
/// demo does not run dry.
final class DemoTerminals: Sendable {
  private let tasks: [Task<Void, Never>]

  /// - Parameters:
  ///   - tokens: one per simulated till.
  ///   - ratePerMinute: purchases per minute of all simulated tills together.
  ///   - cashier: the staff code and PIN the simulated tills sign in with.
  init(baseURL: String, tokens: [String], cashier: SignInRequest, adminToken: String?, ratePerMinute: Int) {
    let pause = Duration.seconds(60) * tokens.count / max(1, ratePerMinute)
    let admin = adminToken.map { TillClient(baseURL: baseURL, token: $0) }
    tasks = tokens.map { token in
      let shopper = DemoShopper(
        client: TillClient(baseURL: baseURL, token: token), cashier: cashier, admin: admin)
      return Task { await shopper.run(averagePause: pause) }
    }
  }

  func stop() async {
    for task in tasks { task.cancel() }
    for task in tasks { await task.value }
  }
}

/// One simulated till: a loop of purchases with random pauses around the average.
private struct DemoShopper: Sendable {
  let client: TillClient
  let cashier: SignInRequest
  let admin: TillClient?

  func run(averagePause: Duration) async {
    var catalogue: [Product] = []
    var purchases = 0
    while !Task.isCancelled {
      try? await Task.sleep(for: averagePause * Double.random(in: 0.5...1.5))
      if Task.isCancelled { return }
      // A fresh look at stock every few purchases is enough to find what runs low.
      if catalogue.isEmpty || purchases.isMultiple(of: 5) {
        catalogue = (try? await client.products(ProductQuery(limit: Limits.maxPageSize)).items) ?? catalogue
      }
      purchases += 1
      guard !catalogue.isEmpty else { continue }
      // A back end without the demo cashier refuses the sign-in: this till stops rather than guess on,
      // which would lock out whoever has that code there.
      guard await buy(from: catalogue) else { return }
      await restock(from: catalogue)
    }
  }

  /// One purchase; every failure (a conflict with the cashier, the back end going away) just ends it.
  /// Answers false when the sign-in was refused.
  private func buy(from catalogue: [Product]) async -> Bool {
    let inStock = catalogue.filter { $0.stock > 0 }
    let low = inStock.filter { $0.stock <= 5 }
    var lines: [(sku: String, quantity: Int)] = []
    if let scarce = low.randomElement(), Int.random(in: 0..<3) == 0 {
      lines.append((scarce.sku, scarce.stock))
    } else {
      for product in inStock.shuffled().prefix(Int.random(in: 1...3)) {
        lines.append((product.sku, min(product.stock, Int.random(in: 1...3))))
      }
    }
    guard !lines.isEmpty else { return true }
    do {
      // Signed in once; again only after the session ended (the client then forgets it).
      if !client.isSignedIn {
        let signedIn = try await client.signIn(code: cashier.code, pin: cashier.pin)
        // Its drawer is opened like a person's: once, with a float, when the shop sells only so.
        if signedIn.registerRequired, signedIn.register == nil {
          let currency = catalogue.first?.price.currency ?? "EUR"
          _ = try await client.openSession(openingFloat: Money(amount: 100_00, currency: currency))
        }
      }
    } catch {
      switch error {
      case .signInFailed, .tooManyAttempts: return false
      default: return true
      }
    }
    do {
      let cart = try await client.createCart()
      for line in lines {
        _ = try await client.increment(cartId: cart.id, sku: line.sku, delta: line.quantity)
      }
      let order = try await client.placeOrder(cartId: cart.id)
      _ = try await client.pay(orderId: order.id, request: .cash(tendered: order.total))
    } catch {
      return true
    }
    return true
  }

  /// Now and then, a sold-out product comes back (admin token only).
  private func restock(from catalogue: [Product]) async {
    guard let admin, Int.random(in: 0..<4) == 0,
      let soldOut = catalogue.filter({ $0.stock == 0 }).randomElement()
    else { return }
    _ = try? await admin.adjustStock(sku: soldOut.sku, delta: Int.random(in: 5...20), reason: "demo restock")
  }
}
