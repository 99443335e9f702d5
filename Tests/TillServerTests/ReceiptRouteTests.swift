import Foundation
import Testing
import TillCore
import TillHTTP
import TillStore
import TillTestSupport

/// `GET /v1/orders/{id}/receipt` over HTTP: text and ESC/POS made from the stored order, the cash
/// drawer's pulse only on the original of a cash sale, copies marked and audited (HEAD never audited),
/// unpaid orders refused, other terminals' orders unknown, bad parameters refused.
@Suite("Receipts over HTTP", .serialized)
struct ReceiptRouteTests {
  /// `ESC p 0`: the start of the cash drawer's pulse on connector pin 2.
  static let drawerPulse: [UInt8] = [0x1B, 0x70, 0x00]

  static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
    guard bytes.count >= part.count else { return false }
    return (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
  }

  @Test(
    "the text receipt of a cash sale: header, numbers, lines, VAT table, tender",
    arguments: StoreEngine.allCases)
  func textReceipt(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let cart = try await cashier.cart(with: [("TEA", 1), ("BUN", 2)])
      let order = try await cashier.paidInCash(cartId: cart.id, tendered: 1_000)
      let receiptNumber = try #require(order.receiptNumber)
      let answer = try await cashier.receipt(order.id)
      #expect(answer.status == 200)
      #expect(answer.header("Content-Type") == "text/plain; charset=utf-8")
      let text = answer.text
      for part in [
        "Corner Bakery", "Hauptstrasse 1", "10115 Berlin", "VAT ID DE123456789", "Terminal till-1",
        "Receipt \(receiptNumber)", "Order \(order.number)", "Served by Test Cashier", "Green Tea",
        "Sesame Bun",
        "TOTAL EUR", "4.90", "Net", "Tax", "Gross", "Cash", "10.00", "Change", "5.10",
      ] {
        #expect(text.contains(part), "missing \(part) in:\n\(text)")
      }
      #expect(!text.contains("COPY"))
      #expect(text.split(separator: "\n").allSatisfy { $0.count <= 42 })
      let wide = try await cashier.receipt(order.id, "width=48").text
      #expect(wide.split(separator: "\n").contains { $0.count == 48 })
      #expect(try await VATFixtures.audit(harness, action: .receiptReprint).isEmpty)
    }
  }

  @Test("ESC/POS: ESC @ first; the drawer opens only for the original of a cash sale; copies audited")
  func escposAndCopies() async throws {
    try await withVATServer(card: true) { harness in
      let cashier = harness.client()
      let cash = try await cashier.paidInCash(cartId: try await cashier.cart(with: [("CAKE", 1)]).id)
      let original = try await cashier.receipt(cash.id, "format=escpos")
      #expect(original.status == 200 && original.header("Content-Type") == "application/octet-stream")
      #expect(Array(original.body.prefix(2)) == [0x1B, 0x40])
      #expect(Self.contains(original.body, Self.drawerPulse))

      let copy = try await cashier.receipt(cash.id, "format=escpos&copy=true")
      #expect(Array(copy.body.prefix(2)) == [0x1B, 0x40])
      #expect(!Self.contains(copy.body, Self.drawerPulse))
      #expect(Self.contains(copy.body, Array("COPY".utf8)))
      let textCopy = try await cashier.receipt(cash.id, "copy=true&width=48")
      #expect(textCopy.text.contains("COPY"))
      let rows = try await VATFixtures.audit(harness, action: .receiptReprint)
      #expect(rows.count == 2)
      #expect(rows.allSatisfy { $0.subject == cash.id && $0.staff == "1001" && $0.terminal == "till-1" })

      // HEAD answers the same headers and writes nothing.
      let head = try await cashier.send("HEAD", "/v1/orders/\(cash.id)/receipt?copy=true", body: nil)
      #expect(head.status == 200 && head.body.isEmpty)
      #expect(try await VATFixtures.audit(harness, action: .receiptReprint).count == 2)

      let card = try await cashier.placedOrder([("TEA", 1)])
      _ = try await cashier.pay(card.id, .card).decoded(Payment.self, expecting: 201)
      let cardReceipt = try await cashier.receipt(card.id, "format=escpos")
      #expect(Array(cardReceipt.body.prefix(2)) == [0x1B, 0x40])
      #expect(!Self.contains(cardReceipt.body, Self.drawerPulse), "no drawer for a card sale")
      #expect(try await cashier.receipt(card.id).text.contains("Card"))
    }
  }

  @Test(
    "unpaid and canceled orders have no receipt; another terminal's order is unknown",
    arguments: StoreEngine.allCases)
  func refusals(engine: StoreEngine) async throws {
    try await withVATServer(engine) { harness in
      let cashier = harness.client()
      let placed = try await cashier.placedOrder([("BUN", 1)])
      let unpaid = try await cashier.receipt(placed.id, "copy=true")
      #expect(unpaid.status == 409 && unpaid.problem?.kind == .receiptNotIssued)
      let canceled = try await cashier.placedOrder([("BUN", 1)])
      _ = try await cashier.cancel(canceled.id).decoded(Order.self)
      let none = try await cashier.receipt(canceled.id)
      #expect(none.status == 409 && none.problem?.kind == .receiptNotIssued)

      let paid = try await cashier.paidInCash(cartId: try await cashier.cart(with: [("BUN", 1)]).id)
      let elsewhere = try await harness.client(as: .otherTerminal).receipt(paid.id)
      #expect(elsewhere.status == 404 && elsewhere.problem?.kind == .notFound)
      let terminal = try await harness.client(as: .terminal).receipt(paid.id)
      #expect(terminal.status == 403 && terminal.problem?.kind == .signInRequired)
      let admin = try await harness.client(as: .admin).receipt(paid.id)
      #expect(admin.status == 403 && admin.problem?.kind == .signInRequired)
      #expect(try await cashier.receipt("no-such-order").status == 404)
      for (query, field) in [
        ("format=pdf", "format"), ("width=40", "width"), ("width=abc", "width"), ("copy=yes", "copy"),
      ] {
        let answer = try await cashier.receipt(paid.id, query + "&copy=true")
        #expect(answer.status == 422 && answer.problem?.field == field, "\(query)")
      }
      #expect(try await VATFixtures.audit(harness, action: .receiptReprint).isEmpty)
      // Another person on the same terminal may print it; the receipt names who sold.
      let other = try await harness.client(as: .otherCashier).receipt(paid.id)
      #expect(other.text.contains("Served by Test Cashier"))
    }
  }
}
