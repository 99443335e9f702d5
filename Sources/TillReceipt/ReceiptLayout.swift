import TillCore

/// One printed row of a receipt: at most the paper's width in characters, no line break, no trailing
/// spaces; `bold` for the shop's name, the COPY banner and the total.
public struct ReceiptRow: Hashable, Sendable, Codable {
  public var text: String
  public var bold: Bool

  public init(_ text: String, bold: Bool = false) {
    self.text = text
    self.bold = bold
  }
}

/// The receipt's layout, shared by the text and the ESC/POS renderings so paper and screen match.
///
/// Amounts end two columns before the right edge; the last column holds the letter of a line's tax rate
/// (`A` for the lowest rate on the receipt), which the tax table repeats. A line's amount is its gross,
/// after every discount, so the amounts column adds up to the total; the discount in it is shown below.
public enum ReceiptLayout {
  /// The paper widths Till lays out for: 42 columns (80 mm paper, font A on most printers) and 48.
  public static let widths = [42, 48]
  /// Narrower widths are laid out at this one.
  public static let minimumWidth = 32

  public static func rows(_ receipt: ReceiptDocument, width requested: Int) -> [ReceiptRow] {
    let width = max(minimumWidth, requested)
    // Stored rows have one rate each; should a rate repeat, its first letter stands rather than a trap.
    let markers = Dictionary(
      receipt.taxes.map(\.rate).enumerated().map { ($1, ReceiptText.marker($0)) },
      uniquingKeysWith: { a, _ in a })
    let rule = ReceiptRow(String(repeating: "-", count: width))
    var rows = header(receipt, width: width)
    rows.append(rule)
    for line in receipt.lines {
      rows += lineRows(line, marker: markers[line.taxRate] ?? "*", width: width)
    }
    rows.append(rule)
    rows += totals(receipt, width: width)
    rows.append(rule)
    rows += taxTable(receipt.taxes, markers: markers, width: width)
    if !receipt.tenders.isEmpty {
      rows.append(rule)
      rows += receipt.tenders.flatMap { tenderRows($0, width: width) }
    }
    rows.append(ReceiptRow(""))
    let basisNote = receipt.taxBasis == .inclusive ? "Prices include VAT" : "Prices exclude VAT"
    rows += (ReceiptText.centred(basisNote, width: width) + ReceiptText.centred("Thank you!", width: width))
      .map { ReceiptRow($0) }
    return rows.map { row in
      var trimmed = row
      while trimmed.text.last == " " { trimmed.text.removeLast() }
      return trimmed
    }
  }

  static func header(_ receipt: ReceiptDocument, width: Int) -> [ReceiptRow] {
    let clean = ReceiptText.clean
    var rows = ReceiptText.centred(clean(receipt.shop.name), width: width).map { ReceiptRow($0, bold: true) }
    var plain = receipt.shop.addressLines.flatMap { ReceiptText.centred(clean($0), width: width) }
    if let vatId = receipt.shop.vatId, !vatId.isEmpty {
      plain += ReceiptText.centred("VAT ID " + clean(vatId), width: width)
    }
    plain.append(String(repeating: "-", count: width))
    let terminal = "Terminal " + clean(receipt.terminal)
    if let number = receipt.receiptNumber {
      plain += ReceiptText.spread(terminal, "Receipt \(number)", width: width)
    } else {
      plain += ReceiptText.wrap(terminal, width: width)
    }
    plain += ReceiptText.spread("Order \(receipt.orderNumber)", clean(receipt.dateTime), width: width)
    plain += ReceiptText.wrap("Served by " + clean(receipt.staff), width: width)
    rows += plain.map { ReceiptRow($0) }
    if let banner = receipt.banner {
      rows += ReceiptText.centred(clean(banner), width: width).map { ReceiptRow($0, bold: true) }
    }
    if receipt.copy {
      rows += ReceiptText.centred("*** COPY ***", width: width).map { ReceiptRow($0, bold: true) }
    }
    return rows
  }

  /// `label … amount marker`, the amount ending two columns before the edge; a label too long for the
  /// row is wrapped above the amount.
  static func amountRows(_ label: String, _ amount: String, marker: String? = nil, width: Int)
    -> [String]
  {
    let suffix = marker.map { " " + $0 } ?? ""
    let room = width - 2
    if label.count + 1 + amount.count <= room {
      return [label + String(repeating: " ", count: room - label.count - amount.count) + amount + suffix]
    }
    return ReceiptText.wrap(label, width: width) + [ReceiptText.padLeft(amount, room) + suffix]
  }

  static func lineRows(_ line: ReceiptDocument.Line, marker: String, width: Int) -> [ReceiptRow] {
    let amount = line.gross.decimalString
    let nameRoom = max(1, width - 3 - amount.count)
    let names = ReceiptText.wrap(ReceiptText.clean(line.name), width: nameRoom, limit: 3)
    var rows = amountRows(names[0], amount, marker: marker, width: width) + names.dropFirst()
    var details = ["\(line.quantity) x \(line.unitPrice.decimalString)"]
    if line.discount.amount != 0 { details.append("Discount -\(line.discount.decimalString)") }
    for detail in details {
      rows += ReceiptText.wrap(detail, width: width - 2).map { "  " + $0 }
    }
    return rows.map { ReceiptRow($0) }
  }

  static func totals(_ receipt: ReceiptDocument, width: Int) -> [ReceiptRow] {
    var rows: [String] = []
    let discounted = receipt.discountTotal.amount != 0
    if discounted || receipt.taxBasis == .exclusive {
      let label = receipt.taxBasis == .exclusive ? "Subtotal before VAT" : "Subtotal"
      rows += amountRows(label, receipt.subtotal.decimalString, width: width)
    }
    if discounted {
      rows += amountRows("Discounts", "-" + receipt.discountTotal.decimalString, width: width)
    }
    if receipt.taxBasis == .exclusive {
      rows += amountRows("VAT", receipt.taxTotal.decimalString, width: width)
    }
    let total = amountRows(
      "TOTAL " + ReceiptText.clean(receipt.total.currency), receipt.total.decimalString, width: width)
    return rows.map { ReceiptRow($0) } + total.map { ReceiptRow($0, bold: true) }
  }

  /// One row per rate: its letter and percentage, then net, tax and gross in equal columns; when an
  /// amount is too wide for its column, the rate takes four rows instead.
  static func taxTable(_ taxes: [TaxTotal], markers: [Int: String], width: Int) -> [ReceiptRow] {
    let prefix = 8
    let column = (width - prefix) / 3
    let pad = ReceiptText.padLeft
    var rows = [
      "VAT" + String(repeating: " ", count: prefix - 3) + pad("Net", column) + pad("Tax", column)
        + pad("Gross", column)
    ]
    for tax in taxes {
      let label = (markers[tax.rate] ?? "*") + " " + pad(ReceiptText.percent(tax.rate), prefix - 2)
      let amounts = [tax.net, tax.tax, tax.gross].map(\.decimalString)
      if amounts.allSatisfy({ $0.count < column }) {
        rows.append(label + amounts.map { pad($0, column) }.joined())
      } else {
        rows.append(label)
        for (name, amount) in zip(["Net", "Tax", "Gross"], amounts) {
          rows += amountRows("  " + name, amount, width: width)
        }
      }
    }
    return rows.map { ReceiptRow($0) }
  }

  static func tenderRows(_ tender: ReceiptDocument.Tender, width: Int) -> [ReceiptRow] {
    let rows: [String]
    switch tender {
    case .cash(let tendered, let change):
      rows =
        amountRows("Cash", tendered.decimalString, width: width)
        + amountRows("Change", change.decimalString, width: width)
    case .card(let amount):
      rows = amountRows("Card", amount.decimalString, width: width)
    case .refund(let method, let amount):
      rows = amountRows(method == .cash ? "Cash refund" : "Card refund", amount.decimalString, width: width)
    }
    return rows.map { ReceiptRow($0) }
  }
}
