import CNCursesShim
import Testing

@testable import TillTUI

@Suite("ncurses key decoding and style mapping (no terminal needed)")
struct TerminalMappingTests {
  @Test func charactersDecode() {
    #expect(KeyDecoder.character(10) == .enter)
    #expect(KeyDecoder.character(13) == .enter)
    #expect(KeyDecoder.character(9) == .tab)
    #expect(KeyDecoder.character(27) == .escape)
    #expect(KeyDecoder.character(127) == .backspace)
    #expect(KeyDecoder.character(3) == .control("c"))
    #expect(KeyDecoder.character(0x20AC) == .character("€"))
    #expect(KeyDecoder.character(0x62B9) == .character("抹"))
    #expect(KeyDecoder.character(0xD800) == nil, "a lone surrogate is no character")
  }

  @Test func keyCodesDecode() {
    #expect(KeyDecoder.code(till_key_up()) == .up)
    #expect(KeyDecoder.code(till_key_npage()) == .pageDown)
    #expect(KeyDecoder.code(till_key_backspace()) == .backspace)
    #expect(KeyDecoder.code(till_key_f0() + 1) == .function(1))
    #expect(KeyDecoder.code(till_key_f0() + 12) == .function(12))
    #expect(KeyDecoder.code(till_key_f0() + 40) == nil)
  }

  @Test func monochromeCarriesMeaningInAttributes() {
    let reverse = Int32(TILL_ATTR_REVERSE)
    let bold = Int32(TILL_ATTR_BOLD)
    #expect(Palette.attributes(for: .selection, colors: false).bits & reverse != 0)
    #expect(Palette.attributes(for: .selection, colors: false).pair == 0)
    #expect(Palette.attributes(for: .warning, colors: false).bits & bold != 0)
    #expect(Palette.attributes(for: .soldOut, colors: false).bits & Int32(TILL_ATTR_DIM) != 0)
    let plain = Palette.attributes(for: .normal, colors: false)
    #expect(plain.pair == 0 && plain.bits == 0)
  }

  @Test func coloursUsePairs() {
    #expect(Palette.attributes(for: .error, colors: true).pair > 0)
    #expect(Palette.attributes(for: .normal, colors: true).pair == 0)
    let pairs = Set(
      StyleRole.allCases.map { Palette.attributes(for: Style($0), colors: true).pair }.filter { $0 > 0 })
    #expect(pairs.count >= 5)
  }
}
