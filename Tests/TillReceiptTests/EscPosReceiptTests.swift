import Testing
import TillCore
import TillReceipt

/// The ESC/POS rendering's commands and its encoding to code page 858.
@Suite struct EscPosReceiptTests {
  static func bytes(names: [String], copy: Bool = false, pulse: Bool) throws -> [UInt8] {
    let items = names.map { ReceiptFixtures.Item(name: $0, quantity: 1, unitPrice: 100, taxRate: 1900) }
    let order = try ReceiptFixtures.order(items, orderDiscount: nil, tender: .cash(tendered: 500))
    return EscPosReceipt.render(try ReceiptFixtures.receipt(order, copy: copy), width: 42, drawerPulse: pulse)
  }

  static func count(_ needle: [UInt8], in bytes: [UInt8]) -> Int {
    guard bytes.count >= needle.count else { return 0 }
    return (0...(bytes.count - needle.count)).filter { Array(bytes[$0..<$0 + needle.count]) == needle }.count
  }

  @Test func initialiseCodePageCutAndPulse() throws {
    let plain = try Self.bytes(names: ["Brot"], pulse: false)
    #expect(Array(plain.prefix(5)) == [0x1B, 0x40, 0x1B, 0x74, 19])
    #expect(Array(plain.suffix(6)) == [0x1B, 0x64, 6, 0x1D, 0x56, 1])
    #expect(Self.count([0x1B, 0x70], in: plain) == 0)
    let kicked = try Self.bytes(names: ["Brot"], pulse: true)
    #expect(Array(kicked.suffix(11)) == [0x1B, 0x64, 6, 0x1D, 0x56, 1, 0x1B, 0x70, 0, 50, 50])
    #expect(Array(kicked.dropLast(5)) == plain)
  }

  /// Bold around the shop's name and the total, and the COPY banner of a reprint; off at the end.
  @Test func boldMarksNameBannerAndTotal() throws {
    let original = try Self.bytes(names: ["Brot"], pulse: false)
    #expect(Self.count([0x1B, 0x45, 1], in: original) == 2)
    #expect(Self.count([0x1B, 0x45, 0], in: original) == 2)
    let copy = try Self.bytes(names: ["Brot"], copy: true, pulse: false)
    #expect(Self.count([0x1B, 0x45, 1], in: copy) == 3)
    #expect(Self.count(Array("*** COPY ***".utf8), in: copy) == 1)
  }

  /// Umlauts, ß and € are the code page's bytes; a character it has not prints as one `?`, so rows keep
  /// their width; decomposed text is composed first.
  @Test func textIsEncodedToPC858() throws {
    let bytes = try Self.bytes(names: ["Brötchen ÄÖÜäöüß €1", "o\u{308}l", "日本", "👩‍👩‍👧x"], pulse: false)
    #expect(Self.count([0x42, 0x72, 0x94, 0x74], in: bytes) == 1)  // "Bröt"
    #expect(Self.count([0x8E, 0x99, 0x9A, 0x84, 0x94, 0x81, 0xE1, 0x20, 0xD5, 0x31], in: bytes) == 1)
    #expect(Self.count([0x94, 0x6C, 0x20], in: bytes) == 1)  // "öl"
    #expect(Self.count([0x3F, 0x3F, 0x20], in: bytes) == 1)  // "日本"
    #expect(Self.count([0x3F, 0x78, 0x20], in: bytes) == 1)  // one family emoji, then "x"
    // The shop's name in its address block: "Hauptstraße".
    #expect(Self.count(Array("Hauptstra".utf8) + [0xE1, 0x65], in: bytes) == 1)
  }

  /// Control characters in data (an escape, a line break) never reach the printer as commands: the
  /// only ESC and GS bytes are the renderer's own.
  @Test func dataNeverBecomesACommand() throws {
    let hostile = try Self.bytes(
      names: ["a\u{1B}p\u{0}\u{19}\u{FA}", "b\u{1D}V\u{0}", "c\nd\re\u{7}"], pulse: false)
    let clean = try Self.bytes(names: ["a?p??\u{FA}", "b?V?", "c?d?e?"], pulse: false)
    #expect(hostile == clean)
    #expect(Self.count([0x1B], in: clean) == 2 + 4 + 1)  // init, code page, bold ×4, feed; GS for the cut
    #expect(Self.count([0x1D], in: clean) == 1)
  }
}
