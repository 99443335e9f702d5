import Foundation
import TillCore

/// Everything a receipt shows, taken from an order's stored figures: nothing here is priced again. The
/// subtotal and the tax sum are sums of stored line figures, so they always agree with the order's total.
public struct ReceiptDocument: Hashable, Sendable {
  /// One sold line as printed: its gross (what it costs after every discount) and the discount in it.
  public struct Line: Hashable, Sendable {
    public var name: String
    public var quantity: Int
    public var unitPrice: Money
    public var gross: Money
    public var discount: Money
    public var taxRate: Int

    public init(name: String, quantity: Int, unitPrice: Money, gross: Money, discount: Money, taxRate: Int) {
      self.name = name
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.gross = gross
      self.discount = discount
      self.taxRate = taxRate
    }
  }

  /// How the order was paid, one per succeeded payment (several for a split tender).
  public enum Tender: Hashable, Sendable {
    case cash(tendered: Money, change: Money)
    case card(amount: Money)
    /// Money going back (a refund receipt), `amount` negative.
    case refund(method: Payment.Method, amount: Money)
  }

  public var shop: ShopDetails
  public var terminal: String
  /// The display name of the person who served.
  public var staff: String
  /// Whether this is a reprint, marked `COPY`.
  public var copy: Bool
  public var receiptNumber: Int?
  public var orderNumber: Int
  /// When the order was paid (or placed, for an order without a payment time), in UTC as
  /// `YYYY-MM-DD HH:MM`.
  public var dateTime: String
  public var lines: [Line]
  public var taxBasis: TaxBasis
  /// What the lines cost before any discount, in the basis the prices use (with tax when prices include
  /// it, without otherwise).
  public var subtotal: Money
  public var discountTotal: Money
  /// The tax of every line, summed (printed as its own row when prices exclude tax).
  public var taxTotal: Money
  public var total: Money
  public var taxes: [TaxTotal]
  /// Every succeeded payment, by attempt; empty for an unpaid order.
  public var tenders: [Tender]
  /// A bold line under the header naming what the receipt is, when it is not a sale (a refund).
  public var banner: String?

  /// Every field as given (the refund receipt builds one this way).
  init(
    shop: ShopDetails, terminal: String, staff: String, copy: Bool, receiptNumber: Int?, orderNumber: Int,
    dateTime: String, lines: [Line], taxBasis: TaxBasis, subtotal: Money, discountTotal: Money,
    taxTotal: Money, total: Money, taxes: [TaxTotal], tenders: [Tender], banner: String?
  ) {
    self.shop = shop
    self.terminal = terminal
    self.staff = staff
    self.copy = copy
    self.receiptNumber = receiptNumber
    self.orderNumber = orderNumber
    self.dateTime = dateTime
    self.lines = lines
    self.taxBasis = taxBasis
    self.subtotal = subtotal
    self.discountTotal = discountTotal
    self.taxTotal = taxTotal
    self.total = total
    self.taxes = taxes
    self.tenders = tenders
    self.banner = banner
  }

  /// The receipt of `order`. Sums of stored figures are checked, so data that would overflow is refused
  /// with `MoneyError.overflow` instead of printing a wrong figure.
  public init(order: Order, shop: ShopDetails, terminal: String, staff: String, copy: Bool)
    throws(MoneyError)
  {
    let currency = order.total.currency
    self.shop = shop
    self.terminal = terminal
    self.staff = staff
    self.copy = copy
    receiptNumber = order.receiptNumber
    orderNumber = order.number
    dateTime = Self.minuteUTC(order.paidAt ?? order.createdAt)
    lines = order.lines.map { line in
      Line(
        name: line.name, quantity: line.quantity, unitPrice: line.unitPrice, gross: line.lineTotal,
        discount: line.discount, taxRate: line.taxRate)
    }
    taxBasis = order.taxBasis
    discountTotal = order.discountTotal
    total = order.total
    taxes = order.taxes
    taxTotal = try Money.sum(order.lines.map(\.tax), currency: currency)
    switch order.taxBasis {
    case .inclusive:
      subtotal = try order.total.adding(order.discountTotal)
    case .exclusive:
      subtotal = try Money.sum(order.lines.map(\.net), currency: currency).adding(order.discountTotal)
    }
    let payments = order.payments.isEmpty ? [order.payment].compactMap { $0 } : order.payments
    tenders = payments.compactMap(Self.tender(of:))
  }

  /// The tender of a payment that succeeded; nil for none, a pending or a declined one.
  static func tender(of payment: Payment?) -> Tender? {
    guard let payment, payment.status == .succeeded else { return nil }
    switch payment.method {
    case .cash:
      let currency = payment.amount.currency
      return .cash(
        tendered: payment.tendered ?? payment.amount, change: payment.change ?? .zero(currency))
    case .card:
      return .card(amount: payment.amount)
    }
  }

  /// `2026-12-01T10:29:43.123Z` (or any RFC 3339 offset) as `2026-12-01 10:29` in UTC; text that is not
  /// RFC 3339 is shown as it is, so a receipt never fails over a timestamp.
  static func minuteUTC(_ timestamp: String) -> String {
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    var date = parser.date(from: timestamp)
    if date == nil {
      parser.formatOptions = [.withInternetDateTime]
      date = parser.date(from: timestamp)
    }
    guard let date else { return timestamp }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    func two(_ value: Int?) -> String {
      let text = String(value ?? 0)
      return text.count < 2 ? "0" + text : text
    }
    return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
  }
}
