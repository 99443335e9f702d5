import Testing
import TillCore
import TillReceipt

/// Whole receipts compared with files under Golden/: any change of layout or bytes fails until the
/// golden is re-recorded on purpose with `UPDATE_SNAPSHOTS=1`.
@Suite struct ReceiptGoldenTests {
  @Test(arguments: [42, 48])
  func textOriginalPaidInCash(width: Int) throws {
    let receipt = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .cash(tendered: 2_000)))
    expectGolden(TextReceipt.render(receipt, width: width), "text-\(width)-cash.txt")
  }

  @Test(arguments: [42, 48])
  func textCopyPaidByCard(width: Int) throws {
    let receipt = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .card), copy: true)
    expectGolden(TextReceipt.render(receipt, width: width), "text-\(width)-copy-card.txt")
  }

  /// Prices without tax: the subtotal is net, the VAT is its own row before the total.
  @Test func textPricesExcludingTax() throws {
    let order = try ReceiptFixtures.order(orderDiscount: .percent(5), basis: .exclusive, tender: .card)
    expectGolden(TextReceipt.render(try ReceiptFixtures.receipt(order), width: 42), "text-42-exclusive.txt")
  }

  @Test func escPosOriginalPaidInCashKicksTheDrawer() throws {
    let receipt = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .cash(tendered: 2_000)))
    let bytes = EscPosReceipt.render(receipt, width: 42, drawerPulse: true)
    expectGolden(ReceiptFixtures.hex(bytes), "escpos-42-cash.hex")
  }

  @Test func escPosCopyPaidByCard() throws {
    let receipt = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .card), copy: true)
    let bytes = EscPosReceipt.render(receipt, width: 48, drawerPulse: false)
    expectGolden(ReceiptFixtures.hex(bytes), "escpos-48-copy-card.hex")
  }

  /// The figures printed are the order's stored ones: the lines' amounts add up to the printed total,
  /// subtotal − discounts = total, and the tax table repeats the order's rows.
  @Test func theReceiptShowsTheStoredFigures() throws {
    let order = try ReceiptFixtures.order(tender: .cash(tendered: 2_000))
    let receipt = try ReceiptFixtures.receipt(order)
    #expect(receipt.total == order.total && receipt.taxes == order.taxes)
    #expect(receipt.subtotal.amount - receipt.discountTotal.amount == order.total.amount)
    #expect(receipt.lines.map(\.gross.amount).reduce(0, +) == order.total.amount)
    let change = try #require(order.payment?.change)
    #expect(receipt.tenders == [.cash(tendered: Money(amount: 2_000, currency: "EUR"), change: change)])
    #expect(receipt.dateTime == "2026-12-01 10:29")
    let text = TextReceipt.render(receipt, width: 42)
    for row in order.taxes {
      #expect(text.contains(row.net.decimalString) && text.contains(row.tax.decimalString))
    }
    #expect(text.contains("TOTAL EUR") && text.contains(order.total.decimalString))
  }
}
