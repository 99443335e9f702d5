import Foundation
import Testing
import TillCore
import TillFuzzing

/// Seeded random lines refunded in random partial steps (`RefundPricing`): every step gives back a
/// non-negative gross with a tax between zero and that gross, the steps never add up to more than the
/// line, and refunding every unit gives back exactly the line's gross and tax — whatever the order of
/// the steps. Reproducible: `TILL_FUZZ_SEED=n` replays a run.
@Suite struct RefundPricingPropertyTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0017
  static let lines = 5_000

  @Test func partialRefundsSumToAtMostTheLineAndExactlyToItWhenAllGoBack() {
    var random = SplitMix64(seed: Self.seed)
    var failures: [String] = []
    for index in 0..<Self.lines where failures.count < 5 {
      let quantity = 1 + random.below(random.below(4) == 0 ? Limits.maxLineQuantity : 12)
      let gross = random.below(3) == 0 ? random.below(10) : random.below(Limits.maxLineTotal / 1_000)
      let tax = gross == 0 ? 0 : random.below(gross + 1)
      var refunded = 0
      var grossBack = 0
      var taxBack = 0
      while refunded < quantity {
        let step = 1 + random.below(max(1, (quantity - refunded) / (1 + random.below(4))))
        let back = RefundPricing.refund(
          quantity: step, alreadyRefunded: refunded, soldQuantity: quantity, gross: gross, tax: tax)
        if back.gross < 0 || back.tax < 0 || back.tax > back.gross {
          failures.append(
            "line \(index) (\(quantity) × worth \(gross), tax \(tax)): step \(step) after \(refunded) gave \(back)"
          )
        }
        refunded += step
        grossBack += back.gross
        taxBack += back.tax
        if grossBack > gross || taxBack > tax {
          failures.append(
            "line \(index): \(grossBack)/\(taxBack) back of \(gross)/\(tax) after \(refunded) units")
        }
      }
      if grossBack != gross || taxBack != tax {
        failures.append(
          "line \(index): all \(quantity) units gave back \(grossBack)/\(taxBack), not \(gross)/\(tax)")
      }
    }
    #expect(failures.isEmpty, "seed \(Self.seed) (TILL_FUZZ_SEED=\(Self.seed)): \(failures)")
  }

  /// The cases behind the rule: a line of 10 worth 9.99 refunded one unit at a time, and the tax that an
  /// independent rounding would have pushed above a unit's gross.
  @Test func unitByUnitOfAnOddLine() {
    let units = (0..<10).map {
      RefundPricing.refund(quantity: 1, alreadyRefunded: $0, soldQuantity: 10, gross: 999, tax: 160)
    }
    #expect(units.map(\.gross).reduce(0, +) == 999 && units.map(\.tax).reduce(0, +) == 160)
    #expect(Set(units.map(\.gross)).isSubset(of: [99, 100]))
    let tight = (0..<4).map {
      RefundPricing.refund(quantity: 1, alreadyRefunded: $0, soldQuantity: 4, gross: 10, tax: 9)
    }
    #expect(tight.allSatisfy { $0.tax <= $0.gross }, "\(tight)")
  }
}
