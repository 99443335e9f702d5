/// What a register session took, as the X report shows it mid-day and the Z report keeps it at the close.
/// Built by `SessionReport.make` from the session's stored figures and nothing else: the orders' totals,
/// payments and per-rate taxes as checkout and payment stored them, and the cash moves.
public struct SessionReport: Codable, Hashable, Sendable {
  public var session: RegisterSession
  /// Paid orders.
  public var salesCount: Int
  /// Their totals (gross), summed.
  public var salesTotal: Money
  /// Per payment method (cash, then card), the successful payments.
  public var payments: [MethodTotal]
  /// Per tax rate (ascending), the paid orders' stored figures summed.
  public var taxes: [TaxTotal]
  /// The paid orders' discounts, summed.
  public var discountTotal: Money
  /// Orders canceled in the session and what they would have taken.
  public var cancels: CountedTotal
  public var payIns: CountedTotal
  public var payOuts: CountedTotal
  /// How often the drawer was opened without a sale.
  public var noSales: Int
  /// Per method (cash, then card), the refunds that went back in this session; absent from reports
  /// made before refunds existed.
  public var refunds: [MethodTotal]?
  /// Per person (by staff code), what they sold.
  public var people: [PersonTotal]
  /// The drawer's cash as it should be. Left out of a cashier's X report under blind counting, so the
  /// count at the close is not led by it; always in a Z report.
  public var cash: CashSummary?

  public init(
    session: RegisterSession, salesCount: Int, salesTotal: Money, payments: [MethodTotal], taxes: [TaxTotal],
    discountTotal: Money, cancels: CountedTotal, payIns: CountedTotal, payOuts: CountedTotal, noSales: Int,
    people: [PersonTotal], cash: CashSummary?
  ) {
    self.session = session
    self.salesCount = salesCount
    self.salesTotal = salesTotal
    self.payments = payments
    self.taxes = taxes
    self.discountTotal = discountTotal
    self.cancels = cancels
    self.payIns = payIns
    self.payOuts = payOuts
    self.noSales = noSales
    self.people = people
    self.cash = cash
  }
}

/// A count and the money it adds up to.
public struct CountedTotal: Codable, Hashable, Sendable {
  public var count: Int
  public var amount: Money

  public init(count: Int, amount: Money) {
    self.count = count
    self.amount = amount
  }
}

public struct MethodTotal: Codable, Hashable, Sendable {
  public var method: Payment.Method
  public var count: Int
  public var amount: Money

  public init(method: Payment.Method, count: Int, amount: Money) {
    self.method = method
    self.count = count
    self.amount = amount
  }
}

public struct PersonTotal: Codable, Hashable, Sendable {
  public var staff: String
  public var salesCount: Int
  public var salesTotal: Money

  public init(staff: String, salesCount: Int, salesTotal: Money) {
    self.staff = staff
    self.salesCount = salesCount
    self.salesTotal = salesTotal
  }
}

/// The drawer: `expected = openingFloat + taken − change + payIns − payOuts − refunds`.
public struct CashSummary: Codable, Hashable, Sendable {
  public var openingFloat: Money
  /// Cash handed over by customers (the tenders of successful cash payments).
  public var taken: Money
  /// Change handed back.
  public var change: Money
  public var payIns: Money
  public var payOuts: Money
  /// Cash refunds paid out of the drawer; absent from reports made before refunds existed.
  public var refunds: Money?
  public var expected: Money

  public init(
    openingFloat: Money, taken: Money, change: Money, payIns: Money, payOuts: Money, refunds: Money? = nil,
    expected: Money
  ) {
    self.openingFloat = openingFloat
    self.taken = taken
    self.change = change
    self.payIns = payIns
    self.payOuts = payOuts
    self.refunds = refunds
    self.expected = expected
  }

  /// The one definition of expected cash, for the X report, the Z report and every test's model.
  public static func expected(
    openingFloat: Money, taken: Money, change: Money, payIns: Money, payOuts: Money, refunds: Money? = nil
  ) throws(MoneyError) -> Money {
    try openingFloat.adding(taken).subtracting(change).adding(payIns).subtracting(payOuts)
      .subtracting(refunds ?? .zero(openingFloat.currency))
  }
}

/// The stored facts a report is made of, as an engine reads them for one session.
public struct SessionFacts: Hashable, Sendable {
  /// One of the session's orders: its status, stored total and discount, and who placed it.
  public struct OrderFact: Hashable, Sendable {
    public var status: Order.Status
    public var total: Money
    public var discountTotal: Money
    public var staff: String

    public init(status: Order.Status, total: Money, discountTotal: Money, staff: String) {
      self.status = status
      self.total = total
      self.discountTotal = discountTotal
      self.staff = staff
    }
  }

  /// A successful payment of one of the session's orders.
  public struct PaymentFact: Hashable, Sendable {
    public var method: Payment.Method
    public var amount: Money
    /// Cash only: what was handed over and what went back.
    public var tendered: Money?
    public var change: Money?

    public init(method: Payment.Method, amount: Money, tendered: Money?, change: Money?) {
      self.method = method
      self.amount = amount
      self.tendered = tendered
      self.change = change
    }

    public init(_ payment: Payment) {
      self.init(
        method: payment.method, amount: payment.amount, tendered: payment.tendered, change: payment.change)
    }
  }

  /// A refund that went back in the session: its method and stored amount.
  public struct RefundFact: Hashable, Sendable {
    public var method: Payment.Method
    public var amount: Money

    public init(method: Payment.Method, amount: Money) {
      self.method = method
      self.amount = amount
    }
  }

  public var session: RegisterSession
  public var orders: [OrderFact]
  public var payments: [PaymentFact]
  /// The per-rate rows stored with each paid order (several rows per rate across orders).
  public var taxes: [TaxTotal]
  public var moves: [CashMove]
  /// The succeeded refunds that belong to the session.
  public var refunds: [RefundFact]

  public init(
    session: RegisterSession, orders: [OrderFact], payments: [PaymentFact], taxes: [TaxTotal],
    moves: [CashMove], refunds: [RefundFact]
  ) {
    self.session = session
    self.orders = orders
    self.payments = payments
    self.taxes = taxes
    self.moves = moves
    self.refunds = refunds
  }
}

extension SessionReport {
  /// The report of `facts`, every figure a sum of stored figures in the float's currency. Refuses
  /// (rather than traps) when the stored data would overflow or mixes currencies.
  public static func make(from facts: SessionFacts) throws(MoneyError) -> SessionReport {
    let currency = facts.session.openingFloat.currency
    let zero = Money.zero(currency)
    let paid = facts.orders.filter { $0.status == .paid }
    let canceled = facts.orders.filter { $0.status == .canceled }
    var people: [String: PersonTotal] = [:]
    for order in paid {
      let person = people[order.staff] ?? PersonTotal(staff: order.staff, salesCount: 0, salesTotal: zero)
      people[order.staff] = PersonTotal(
        staff: order.staff, salesCount: person.salesCount + 1,
        salesTotal: try person.salesTotal.adding(order.total))
    }
    var payments: [MethodTotal] = []
    for method in [Payment.Method.cash, .card] {
      let ofMethod = facts.payments.filter { $0.method == method }
      guard !ofMethod.isEmpty else { continue }
      payments.append(
        MethodTotal(
          method: method, count: ofMethod.count,
          amount: try Money.sum(ofMethod.map(\.amount), currency: currency)))
    }
    var taxes: [Int: TaxTotal] = [:]
    for row in facts.taxes {
      let total = taxes[row.rate] ?? TaxTotal(rate: row.rate, net: zero, tax: zero, gross: zero)
      taxes[row.rate] = TaxTotal(
        rate: row.rate, net: try total.net.adding(row.net), tax: try total.tax.adding(row.tax),
        gross: try total.gross.adding(row.gross))
    }
    let cashPayments = facts.payments.filter { $0.method == .cash }
    let payIns = facts.moves.filter { $0.kind == .payIn }
    let payOuts = facts.moves.filter { $0.kind == .payOut }
    let taken = try Money.sum(cashPayments.map { $0.tendered ?? $0.amount }, currency: currency)
    let change = try Money.sum(cashPayments.compactMap(\.change), currency: currency)
    var refunds: [MethodTotal] = []
    for method in [Payment.Method.cash, .card] {
      let ofMethod = facts.refunds.filter { $0.method == method }
      guard !ofMethod.isEmpty else { continue }
      refunds.append(
        MethodTotal(
          method: method, count: ofMethod.count,
          amount: try Money.sum(ofMethod.map(\.amount), currency: currency)))
    }
    let cashRefunds = refunds.first { $0.method == .cash }?.amount ?? zero
    let payInTotal = try Money.sum(payIns.map(\.amount), currency: currency)
    let payOutTotal = try Money.sum(payOuts.map(\.amount), currency: currency)
    let float = facts.session.openingFloat
    var report = SessionReport(
      session: facts.session, salesCount: paid.count,
      salesTotal: try Money.sum(paid.map(\.total), currency: currency), payments: payments,
      taxes: taxes.keys.sorted().compactMap { taxes[$0] },
      discountTotal: try Money.sum(paid.map(\.discountTotal), currency: currency),
      cancels: CountedTotal(
        count: canceled.count, amount: try Money.sum(canceled.map(\.total), currency: currency)),
      payIns: CountedTotal(count: payIns.count, amount: payInTotal),
      payOuts: CountedTotal(count: payOuts.count, amount: payOutTotal),
      noSales: facts.moves.filter { $0.kind == .noSale }.count,
      people: people.keys.sorted().compactMap { people[$0] },
      cash: CashSummary(
        openingFloat: float, taken: taken, change: change, payIns: payInTotal, payOuts: payOutTotal,
        refunds: cashRefunds,
        expected: try CashSummary.expected(
          openingFloat: float, taken: taken, change: change, payIns: payInTotal, payOuts: payOutTotal,
          refunds: cashRefunds)))
    report.refunds = refunds
    return report
  }
}
