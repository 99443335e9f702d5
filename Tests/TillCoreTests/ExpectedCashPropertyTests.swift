import Foundation
import Testing
import TillCore
import TillFuzzing

/// Seeded random days: sales paid in cash (with change) or by card, cancels, refunds and cash moves, replayed
/// against a model drawer that counts notes in and out one event at a time. The report made from the
/// same facts must hold exactly what the drawer holds, and its other figures must be the plain sums.
/// Reproducible: `TILL_FUZZ_SEED=n` replays a run.
@Suite struct ExpectedCashPropertyTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0016
  static let days = 2_000

  static func euros(_ cents: Int) -> Money { Money(amount: cents, currency: "EUR") }

  @Test func randomDaysMatchAModelDrawer() throws {
    var random = SplitMix64(seed: Self.seed)
    var failures: [String] = []
    for day in 0..<Self.days {
      let float = random.below(3) == 0 ? 0 : random.below(Limits.maxTenderAmount / 1_000)
      var drawer = float
      var orders: [SessionFacts.OrderFact] = []
      var payments: [SessionFacts.PaymentFact] = []
      var moves: [CashMove] = []
      var refunds: [SessionFacts.RefundFact] = []
      var cashBack = 0
      var sales = 0
      var card = 0
      for event in 0..<random.below(40) {
        let total = random.below(4) == 0 ? 0 : random.below(500_00)
        let staff = ["1001", "1002", "2001"][random.below(3)]
        switch random.below(7) {
        case 0, 1:
          // Cash: the customer hands over at least the total; the change goes back out of the drawer.
          let tendered = total + (random.below(2) == 0 ? 0 : random.below(100_00))
          drawer += tendered
          drawer -= tendered - total
          orders.append(
            .init(status: .paid, total: Self.euros(total), discountTotal: Self.euros(0), staff: staff))
          payments.append(
            .init(
              method: .cash, amount: Self.euros(total), tendered: Self.euros(tendered),
              change: Self.euros(tendered - total)))
          sales += total
        case 2:
          orders.append(
            .init(status: .paid, total: Self.euros(total), discountTotal: Self.euros(0), staff: staff))
          payments.append(.init(method: .card, amount: Self.euros(total), tendered: nil, change: nil))
          sales += total
          card += total
        case 3:
          orders.append(
            .init(status: .canceled, total: Self.euros(total), discountTotal: Self.euros(0), staff: staff))
        case 4:
          // A refund: cash leaves the drawer, card goes back through the provider.
          let method: Payment.Method = random.below(2) == 0 ? .cash : .card
          if method == .cash {
            drawer -= total
            cashBack += total
          }
          refunds.append(.init(method: method, amount: Self.euros(total)))
        default:
          let kind = [CashMove.Kind.payIn, .payOut, .noSale][random.below(3)]
          let amount = kind == .noSale ? 0 : 1 + random.below(200_00)
          drawer += kind == .payIn ? amount : kind == .payOut ? -amount : 0
          moves.append(
            CashMove(
              id: "m\(event)", sessionId: "s", kind: kind, amount: Self.euros(amount), reason: "r",
              staff: staff,
              approvedBy: nil, createdAt: "2026-12-02T10:00:00Z"))
        }
      }
      let session = RegisterSession(
        id: "s", terminal: "till-1", status: .open, openingFloat: Self.euros(float),
        openedAt: "2026-12-02T08:00:00Z",
        openedBy: "1001")
      let report = try SessionReport.make(
        from: SessionFacts(
          session: session, orders: orders, payments: payments, taxes: [], moves: moves, refunds: refunds))
      var problems: [String] = []
      if report.cash?.expected != Self.euros(drawer) {
        problems.append("expected \(String(describing: report.cash?.expected)), drawer \(drawer)")
      }
      if report.salesTotal != Self.euros(sales) { problems.append("sales \(report.salesTotal) ≠ \(sales)") }
      if report.payments.reduce(0, { $0 + $1.amount.amount }) != sales { problems.append("methods ≠ sales") }
      if report.payments.first(where: { $0.method == .card })?.amount.amount ?? 0 != card {
        problems.append("card")
      }
      if report.people.reduce(0, { $0 + $1.salesTotal.amount }) != sales { problems.append("people ≠ sales") }
      if report.salesCount + report.cancels.count != orders.count { problems.append("counts") }
      let refundedCash = report.refunds?.first { $0.method == .cash }?.amount.amount ?? 0
      if refundedCash != cashBack || report.cash?.refunds?.amount != cashBack {
        problems.append("cash refunds")
      }
      if (report.refunds ?? []).reduce(0, { $0 + $1.count }) != refunds.count {
        problems.append("refund count")
      }
      if !problems.isEmpty {
        failures.append("day \(day) (TILL_FUZZ_SEED=\(Self.seed)): \(problems.joined(separator: "; "))")
      }
    }
    print(
      "ExpectedCashPropertyTests TILL_FUZZ_SEED=\(Self.seed) days=\(Self.days) failures=\(failures.count)")
    #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
  }

  /// Per-rate rows of several orders add up per rate, in ascending rate order.
  @Test func taxRowsAddUpPerRate() throws {
    let session = RegisterSession(
      id: "s", terminal: "t", status: .open, openingFloat: Self.euros(0), openedAt: "x", openedBy: "1001")
    let rows = [
      TaxTotal(rate: 1900, net: Self.euros(84), tax: Self.euros(16), gross: Self.euros(100)),
      TaxTotal(rate: 700, net: Self.euros(93), tax: Self.euros(7), gross: Self.euros(100)),
      TaxTotal(rate: 1900, net: Self.euros(168), tax: Self.euros(32), gross: Self.euros(200)),
    ]
    let report = try SessionReport.make(
      from: SessionFacts(session: session, orders: [], payments: [], taxes: rows, moves: [], refunds: []))
    #expect(
      report.taxes == [
        TaxTotal(rate: 700, net: Self.euros(93), tax: Self.euros(7), gross: Self.euros(100)),
        TaxTotal(rate: 1900, net: Self.euros(252), tax: Self.euros(48), gross: Self.euros(300)),
      ])
  }

  /// Stored figures beyond any bound refuse rather than trap.
  @Test func overflowingFiguresAreRefused() {
    let session = RegisterSession(
      id: "s", terminal: "t", status: .open, openingFloat: Self.euros(Int.max), openedAt: "x",
      openedBy: "1001")
    let facts = SessionFacts(
      session: session, orders: [], payments: [], taxes: [],
      moves: [
        CashMove(
          id: "m", sessionId: "s", kind: .payIn, amount: Self.euros(1), reason: "r", staff: "1001",
          approvedBy: nil,
          createdAt: "x")
      ], refunds: [])
    #expect(throws: MoneyError.overflow) { try SessionReport.make(from: facts) }
  }
}
