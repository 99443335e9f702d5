import Foundation
import Testing
import TillCore
import TillReceipt

/// Our ESC/POS bytes against python-escpos, a maintained ESC/POS library: the same laid-out rows are
/// handed to its Dummy printer by `escpos_reference.py`, and both byte streams must be equal. python3 with
/// python-escpos is a test dependency (`.ci/deps test` installs it); without it these tests fail.
@Suite struct EscPosCrossCheckTests {
  struct Reference: Encodable {
    var rows: [ReceiptRow]
    var drawerPulse: Bool
  }

  enum ReferenceError: Error, CustomStringConvertible {
    case failed(status: Int32, stderr: String)
    var description: String {
      switch self {
      case .failed(let status, let stderr):
        "escpos_reference.py exited \(status) (is python-escpos installed? run .ci/deps test):\n\(stderr)"
      }
    }
  }

  /// What python-escpos writes for `rows`.
  static func reference(_ rows: [ReceiptRow], drawerPulse: Bool) throws -> [UInt8] {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent(
      "escpos-\(UUID().uuidString).json")
    try JSONEncoder().encode(Reference(rows: rows, drawerPulse: drawerPulse)).write(to: input)
    defer { try? FileManager.default.removeItem(at: input) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = ReceiptFixtures.directory.appendingPathComponent("escpos_reference.py").path
    process.arguments = ["python3", script, input.path]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let hex = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ReferenceError.failed(status: process.terminationStatus, stderr: stderr)
    }
    print("EscPosCrossCheckTests: \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
    let text = Array(String(decoding: hex, as: UTF8.self).utf8)
    return stride(from: 0, to: text.count - 1, by: 2).compactMap { index in
      UInt8(String(decoding: text[index..<index + 2], as: UTF8.self), radix: 16)
    }
  }

  static func expectSame(_ rows: [ReceiptRow], drawerPulse: Bool) throws {
    let ours = EscPosReceipt.render(rows: rows, drawerPulse: drawerPulse)
    let theirs = try reference(rows, drawerPulse: drawerPulse)
    #expect(!theirs.isEmpty)
    #expect(
      ours == theirs,
      "ours:\n\(ReceiptFixtures.hex(ours))python-escpos:\n\(ReceiptFixtures.hex(theirs))")
  }

  @Test func theGoldenReceiptsMatchPythonEscpos() throws {
    let cash = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .cash(tendered: 2_000)))
    try Self.expectSame(ReceiptLayout.rows(cash, width: 42), drawerPulse: true)
    // And the renderer's own entry point gives those same bytes.
    #expect(
      EscPosReceipt.render(cash, width: 42, drawerPulse: true)
        == EscPosReceipt.render(rows: ReceiptLayout.rows(cash, width: 42), drawerPulse: true))
    let copy = try ReceiptFixtures.receipt(ReceiptFixtures.order(tender: .card), copy: true)
    try Self.expectSame(ReceiptLayout.rows(copy, width: 48), drawerPulse: false)
    let exclusive = try ReceiptFixtures.receipt(
      ReceiptFixtures.order(orderDiscount: .percent(5), basis: .exclusive, tender: .card))
    try Self.expectSame(ReceiptLayout.rows(exclusive, width: 42), drawerPulse: false)
  }

  /// Awkward data laid out by the receipt: control characters, text the code page has not, long names.
  /// (Characters of several code points, like emoji families, are left out: python-escpos writes one
  /// `?` per code point, Till one per character so the row keeps its width.)
  @Test func awkwardNamesMatchPythonEscpos() throws {
    let names = [
      "esc\u{1B}p\u{0}\u{19}\u{FA}", "Ελληνικά", "日本茶", "Œuvre № 5 – “quoted”", "tab\there", "Crème brûlée",
      String(repeating: "Sonnenblumenkern ", count: 6),
    ]
    let items = names.map { ReceiptFixtures.Item(name: $0, quantity: 2, unitPrice: 199, taxRate: 700) }
    let order = try ReceiptFixtures.order(items, orderDiscount: .percent(10), tender: .cash(tendered: 5_000))
    try Self.expectSame(
      ReceiptLayout.rows(try ReceiptFixtures.receipt(order, copy: true), width: 48), drawerPulse: true)
  }

  /// Every character of code page 858 and printable ASCII, in bold and not: the whole encoding table
  /// agrees with the library's.
  @Test func everyCodePageCharacterMatchesPythonEscpos() throws {
    let ascii = (0x20...0x7E).compactMap { Unicode.Scalar($0).map { Character($0) } }
    let latin = (0xA0...0xFF).compactMap { Unicode.Scalar($0).map { Character($0) } }
    let more: [Character] = [
      "€", "ƒ", "‗", "░", "▒", "▓", "│", "┤", "╣", "║", "╗", "╝", "┐", "└", "┴", "┬", "├",
      "─", "┼", "╚", "╔", "╩", "╦", "╠", "═", "╬", "┘", "┌", "█", "▄", "▀", "■", "ı", "Ω", "ő", "→",
    ]
    let characters = ascii + latin + more
    let rows = stride(from: 0, to: characters.count, by: 32).enumerated().map { index, start in
      ReceiptRow(String(characters[start..<min(start + 32, characters.count)]), bold: index % 3 == 1)
    }
    try Self.expectSame(rows + [ReceiptRow("end", bold: true)], drawerPulse: true)
  }
}
