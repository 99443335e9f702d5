import Testing
import TillCore

@testable import TillTUI

@Suite("speed: update and render stay fast on a large catalogue")
struct SpeedTests {
  @Test func keyToScreenOnTenThousandProducts() {
    let products = (0..<10_000).map { index in
      Product(
        sku: "SKU-\(String(100_000 + index).dropFirst())",
        name: index % 7 == 0 ? "抹茶ラテ \(index)" : "Café crème \(index)",
        category: "C\(index % 9)", price: euro(100 + index), stock: index % 50, barcode: "40\(index)")
    }
    var state = Fixtures.state(withCart: [Fixtures.line(Fixtures.croissant, 2)])
    _ = state.update(
      .productsLoaded(.list(generation: state.productGeneration), .success(Page(items: products, next: nil))))
    let size = Size(columns: 100, rows: 30)
    let keys: [Key] = [.down, .pageDown, .character("+"), .down, .character("-"), .tab, .up, .tab, .pageDown]
    var samples: [Duration] = []
    let clock = ContinuousClock()
    for round in 0..<600 {
      let key = keys[round % keys.count]
      let start = clock.now
      _ = state.update(.key(key))
      let screen = render(state, size: size)
      samples.append(clock.now - start)
      #expect(screen.size == size)
    }
    samples.sort()
    let median = samples[samples.count / 2]
    print(
      "key → rendered screen on 10 000 products: median \(median), p99 \(samples[samples.count * 99 / 100])")
    // A generous bound (debug build, shared machine): a frame must never approach human-visible delay.
    #expect(median < .milliseconds(20))
  }
}
