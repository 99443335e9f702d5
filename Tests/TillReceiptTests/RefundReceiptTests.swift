import Foundation
import Testing
import TillCore

@testable import TillReceipt

/// A refund's receipt: its banner and number, the lines that went back negative, the tax per rate that
/// went back negative, and how the money went back; all from the refund's stored figures.
@Suite struct RefundReceiptTests {
  @Test(arguments: [42, 48])
  func aPartialRefundPrintsNegativeFiguresUnderItsBanner(width: Int) throws {
    let order = try ReceiptFixtures.order(tender: .card)
    let sold = try #require(order.lines.first)
    let back = RefundPricing.refund(
      quantity: 1, alreadyRefunded: 0, soldQuantity: sold.quantity, gross: sold.lineTotal.amount,
      tax: sold.tax.amount)
    let euro = { (amount: Int) in Money(amount: amount, currency: "EUR") }
    let refund = Refund(
      id: "r1", orderId: order.id, sequence: 2, method: .card, status: .succeeded, amount: euro(back.gross),
      lines: [
        Refund.Line(
          sku: sold.sku, name: sold.name, quantity: 1, restock: true, amount: euro(back.gross),
          net: euro(back.gross - back.tax), tax: euro(back.tax), taxRate: sold.taxRate)
      ], receiptNumber: 31, staff: "2001", createdAt: "2026-12-02T15:00:00Z")
    let document = try ReceiptDocument(
      refund: refund, of: order, shop: ReceiptFixtures.shop, terminal: "till-1", staff: "Mia", copy: false)
    let rows = ReceiptLayout.rows(document, width: width)
    let texts = rows.map(\.text)
    #expect(rows.contains { $0.bold && $0.text.contains("REFUND 2 OF ORDER \(order.number)") })
    #expect(texts.contains { $0.hasPrefix("Terminal till-1") && $0.hasSuffix("Receipt 31") })
    let minus = "-" + euro(back.gross).decimalString
    #expect(texts.contains { $0.hasPrefix("TOTAL EUR") && $0.hasSuffix(minus) })
    #expect(texts.contains { $0.hasPrefix("Card refund") && $0.hasSuffix(minus) })
    #expect(document.taxes.map(\.tax.amount) == [-back.tax] && document.total.amount == -back.gross)
    #expect(texts.allSatisfy { $0.count <= width })
  }
}
