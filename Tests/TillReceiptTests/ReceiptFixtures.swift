import Foundation
import Testing
import TillCore
import TillReceipt

/// Orders as a store captures them: every figure from `OrderPricing`, the one pricing rule.
enum ReceiptFixtures {
  struct Item {
    var name: String
    var quantity: Int
    var unitPrice: Int
    var taxRate: Int
    var discount: DiscountValue? = nil
  }

  static let shop = ShopDetails(
    name: "Bäckerei Sonnenschein", addressLines: ["Hauptstraße 1", "10115 Berlin"], vatId: "DE123456789")

  /// Two tax rates, a line discount (10 % on the bread) and an order discount of 1.00.
  static let bakeryItems = [
    Item(name: "Brötchen", quantity: 3, unitPrice: 45, taxRate: 700),
    Item(
      name: "Bio-Vollkornbrot mit Sonnenblumenkernen und Leinsamen, 750 g", quantity: 1, unitPrice: 429,
      taxRate: 700, discount: .percent(10)),
    Item(name: "Café Crème", quantity: 2, unitPrice: 280, taxRate: 1900),
    Item(name: "Mineralwasser still 0,5 l", quantity: 1, unitPrice: 120, taxRate: 1900),
  ]

  enum Tender { case cash(tendered: Int), card }

  static func order(
    _ items: [Item] = bakeryItems, orderDiscount: DiscountValue? = .amount(100), basis: TaxBasis = .inclusive,
    tender: Tender?, currency: String = "EUR"
  ) throws -> Order {
    let lines = items.enumerated().map { index, item in
      PricingLine(
        sku: "SKU-\(index)", quantity: item.quantity, unitPrice: item.unitPrice, taxRate: item.taxRate,
        discount: item.discount)
    }
    let priced = try OrderPricing.price(lines, orderDiscount: orderDiscount, basis: basis, currency: currency)
    let money = { (amount: Int) in Money(amount: amount, currency: currency) }
    let orderLines = zip(items, priced.lines).map { item, line in
      Order.Line(
        sku: line.sku, name: item.name, quantity: item.quantity, unitPrice: money(item.unitPrice),
        lineTotal: money(line.gross), taxRate: line.taxRate, discount: money(line.discount),
        net: money(line.net),
        tax: money(line.tax))
    }
    let payment = tender.map { tender in
      switch tender {
      case .cash(let tendered):
        Payment(
          id: "pay-1", orderId: "ord-42", method: .cash, status: .succeeded, amount: money(priced.total),
          tendered: money(tendered), change: money(tendered - priced.total), attempt: 1, idempotenceKey: nil,
          declineReason: nil)
      case .card:
        Payment(
          id: "pay-1", orderId: "ord-42", method: .card, status: .succeeded, amount: money(priced.total),
          tendered: nil, change: nil, attempt: 1, idempotenceKey: "order-ord-42-payment-1", declineReason: nil
        )
      }
    }
    return Order(
      id: "ord-42", number: 42, status: .paid, lines: orderLines, total: money(priced.total),
      createdAt: "2026-12-01T10:28:02Z", payment: payment, staff: "anna",
      discountTotal: money(priced.discountTotal),
      taxes: priced.taxes, taxBasis: basis, receiptNumber: 17, paidAt: "2026-12-01T10:29:43.123Z")
  }

  static func receipt(_ order: Order, copy: Bool = false, shop: ShopDetails = shop) throws -> ReceiptDocument
  {
    try ReceiptDocument(order: order, shop: shop, terminal: "till-1", staff: "Anna Müller", copy: copy)
  }

  static var directory: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent() }

  /// Bytes as rows of 16 hex pairs, so a golden file diffs readably.
  static func hex(_ bytes: [UInt8]) -> String {
    stride(from: 0, to: bytes.count, by: 16).map { start in
      bytes[start..<min(start + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
    }.joined(separator: "\n") + "\n"
  }
}

/// Compares `actual` with `Golden/<name>` exactly; `UPDATE_SNAPSHOTS=1` rewrites the file instead. A
/// missing golden fails, so a new receipt is only accepted on purpose.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let url = ReceiptFixtures.directory.appendingPathComponent("Golden").appendingPathComponent(name)
  if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
    do {
      try Data(actual.utf8).write(to: url)
    } catch {
      Issue.record("could not write golden \(url.path): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard let data = FileManager.default.contents(atPath: url.path) else {
    Issue.record(
      "missing golden \(url.path); run with UPDATE_SNAPSHOTS=1 to create it:\n\(actual)",
      sourceLocation: sourceLocation)
    return
  }
  let expected = String(decoding: data, as: UTF8.self)
  #expect(
    expected == actual, "\(name) differs:\nexpected:\n\(expected)\nactual:\n\(actual)",
    sourceLocation: sourceLocation)
}
