import TillCore

/// The receipt of a refund: the lines that went back with their amounts negative, the tax that went back
/// per rate (negative), the total and how the money went back, under a `REFUND` banner with the refund's
/// own number in the terminal's receipt sequence. Every figure is a stored figure of the refund.
extension ReceiptDocument {
  public init(refund: Refund, of order: Order, shop: ShopDetails, terminal: String, staff: String, copy: Bool)
    throws(MoneyError)
  {
    let currency = refund.amount.currency
    let unitPrices = Dictionary(order.lines.map { ($0.sku, $0.unitPrice) }, uniquingKeysWith: { a, _ in a })
    let negative = { (money: Money) in Money(amount: -money.amount, currency: money.currency) }
    var byRate: [Int: TaxTotal] = [:]
    for line in refund.lines {
      let zero = Money.zero(currency)
      let sum = byRate[line.taxRate] ?? TaxTotal(rate: line.taxRate, net: zero, tax: zero, gross: zero)
      byRate[line.taxRate] = TaxTotal(
        rate: line.taxRate, net: try sum.net.subtracting(line.net), tax: try sum.tax.subtracting(line.tax),
        gross: try sum.gross.subtracting(line.amount))
    }
    let total = negative(refund.amount)
    self.init(
      shop: shop, terminal: terminal, staff: staff, copy: copy, receiptNumber: refund.receiptNumber,
      orderNumber: order.number, dateTime: Self.minuteUTC(refund.createdAt),
      lines: refund.lines.map { line in
        Line(
          name: line.name, quantity: line.quantity, unitPrice: unitPrices[line.sku] ?? line.amount,
          gross: negative(line.amount), discount: .zero(currency), taxRate: line.taxRate)
      },
      taxBasis: order.taxBasis, subtotal: total, discountTotal: .zero(currency),
      taxTotal: negative(try Money.sum(refund.lines.map(\.tax), currency: currency)), total: total,
      taxes: byRate.keys.sorted().compactMap { byRate[$0] },
      tenders: [.refund(method: refund.method, amount: total)],
      banner: "REFUND \(refund.sequence) OF ORDER \(order.number)")
  }
}
