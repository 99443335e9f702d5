import Foundation
import Testing
import TillCore
import TillReceipt

/// The layout's promises for any data: every row fits the paper (counted in characters), amounts line up,
/// and text from the data never becomes a printer command.
@Suite struct ReceiptLayoutTests {
  static let names = [
    "", "Brötchen", "Ä", "x", String(repeating: "W", count: 120), "Käse-Sahne-Torte Stück", "日本茶 煎茶",
    "tab\there", "line\nbreak", "esc\u{1B}p\u{0}\u{19}\u{FA}", "o\u{308}l", "🧾 receipt 👩‍👩‍👧", "€ 5 Gutschein",
    "word " + String(repeating: "z", count: 60) + " end", "   spaced   out   ",
  ]

  static func awkwardOrder(quantity: Int, unitPrice: Int, currency: String) throws -> Order {
    let items = names.enumerated().map { index, name in
      ReceiptFixtures.Item(
        name: name, quantity: quantity, unitPrice: unitPrice,
        taxRate: [0, 700, 1950, 1234, 10_000][index % 5],
        discount: index % 3 == 0 ? .percent(15) : nil)
    }
    return try ReceiptFixtures.order(items, orderDiscount: .percent(3), tender: .card, currency: currency)
  }

  @Test(arguments: [(1, 1), (9_999, Limits.maxUnitPrice), (7, 1_234_567)])
  func everyRowFitsThePaper(quantity: Int, unitPrice: Int) throws {
    for currency in ["EUR", "JPY", "KWD"] {
      let order = try Self.awkwardOrder(quantity: quantity, unitPrice: unitPrice, currency: currency)
      let longShop = ShopDetails(
        name: String(repeating: "Sonnenschein ", count: 8), addressLines: ["Straße\r\n 1", ""],
        vatId: String(repeating: "9", count: 70))
      for copy in [false, true] {
        let receipt = try ReceiptDocument(
          order: order, shop: longShop, terminal: String(repeating: "t", count: 50),
          staff: "Zoë " + String(repeating: "ü", count: 60), copy: copy)
        for width in [20, 32, 42, 48] {
          let text = TextReceipt.render(receipt, width: width)
          #expect(text.hasSuffix("\n"))
          let rows = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
          for row in rows {
            #expect(row.count <= max(width, ReceiptLayout.minimumWidth), "\(width): \(row)")
            #expect(row.last != " ", "trailing space: \(row)")
            #expect(!row.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
          }
          #expect(text.contains("*** COPY ***") == copy)
          #expect(text.contains(order.total.decimalString))
        }
      }
    }
  }

  /// "Brötchen" is eight columns wide: amounts of lines with and without umlauts end in the same column.
  @Test(arguments: [42, 48])
  func amountsLineUpWhateverTheNames(width: Int) throws {
    let receipt = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .cash(tendered: 2_000)))
    let rows = TextReceipt.render(receipt, width: width).split(separator: "\n")
    let brötchen = try #require(rows.first { $0.hasPrefix("Brötchen") })
    let water = try #require(rows.first { $0.hasPrefix("Mineralwasser") })
    let total = try #require(rows.first { $0.hasPrefix("TOTAL") })
    #expect(brötchen.count == width && water.count == width)
    #expect(brötchen.hasSuffix(" \(receipt.lines[0].gross.decimalString) A") && water.hasSuffix(" B"))
    #expect(total.count == width - 2)
    // The long bread name wraps onto more rows instead of pushing its amount off the paper; its
    // quantity and its discount follow, indented.
    let bread = try #require(rows.firstIndex { $0.hasPrefix("Bio-Vollkornbrot") })
    let quantity = try #require(rows.firstIndex { $0 == "  1 x 4.29" })
    #expect(rows[bread].count == width && quantity > bread + 1)
    #expect(rows[(bread + 1)..<quantity].allSatisfy { !$0.hasPrefix(" ") && $0.count < width - 6 })
    #expect(rows[quantity + 1].hasPrefix("  Discount -"))
  }

  /// A split tender prints every part in the order paid: the cash part with its change, then the card
  /// part; the tenders less the change are the total.
  @Test func aSplitTenderPrintsEveryPart() throws {
    var order = try ReceiptFixtures.order(tender: nil)
    let total = order.total.amount
    let cash = Payment(
      id: "p1", orderId: order.id, method: .cash, status: .succeeded,
      amount: Money(amount: 500, currency: "EUR"),
      tendered: Money(amount: 1_000, currency: "EUR"), change: Money(amount: 500, currency: "EUR"),
      attempt: 1,
      idempotenceKey: nil, declineReason: nil)
    let card = Payment(
      id: "p2", orderId: order.id, method: .card, status: .succeeded,
      amount: Money(amount: total - 500, currency: "EUR"), tendered: nil, change: nil, attempt: 2,
      idempotenceKey: "order-\(order.id)-payment-2", declineReason: nil)
    order.status = .paid
    order.payment = card
    order.payments = [cash, card]
    let rows = TextReceipt.render(try ReceiptFixtures.receipt(order), width: 42).split(separator: "\n")
    let tenderRows = rows.filter { $0.hasPrefix("Cash") || $0.hasPrefix("Change") || $0.hasPrefix("Card") }
    #expect(tenderRows.map { String($0.prefix(6)) } == ["Cash  ", "Change", "Card  "], "\(rows)")
    #expect(tenderRows[0].hasSuffix(" 10.00") && tenderRows[1].hasSuffix(" 5.00"))
    #expect(tenderRows[2].hasSuffix(" " + Money(amount: total - 500, currency: "EUR").decimalString))
  }

  @Test func ratesAndTimestampsPrintPlainly() throws {
    var order = try ReceiptFixtures.order(
      [
        .init(name: "A", quantity: 1, unitPrice: 100, taxRate: 1950),
        .init(name: "B", quantity: 1, unitPrice: 100, taxRate: 1234),
      ],
      orderDiscount: nil, tender: nil)
    order.paidAt = "2026-03-29T01:59:59+02:00"
    let text = TextReceipt.render(try ReceiptFixtures.receipt(order), width: 42)
    #expect(text.contains("\nA 12.34%") && text.contains("\nB  19.5%"))
    #expect(text.contains("2026-03-28 23:59"))
    #expect(!text.contains("Cash") && !text.contains("Card"))
    order.paidAt = nil
    #expect(try ReceiptFixtures.receipt(order).dateTime == "2026-12-01 10:28")
    order.paidAt = "yesterday"
    #expect(try ReceiptFixtures.receipt(order).dateTime == "yesterday")
  }

  /// Sums of stored figures that would overflow are refused, not printed wrong; odd stored rows print.
  @Test func oddStoredFigures() throws {
    var order = try ReceiptFixtures.order(tender: nil)
    order.discountTotal = Money(amount: Int.max, currency: "EUR")
    #expect(throws: MoneyError.overflow) { try ReceiptFixtures.receipt(order) }
    // A rate repeated in stored rows prints both rows under one letter.
    var repeated = try ReceiptFixtures.order(tender: nil)
    repeated.taxes += repeated.taxes
    let text = TextReceipt.render(try ReceiptFixtures.receipt(repeated), width: 42)
    #expect(text.components(separatedBy: "\nA     7%").count == 3)
  }
}
