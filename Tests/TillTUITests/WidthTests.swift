import Testing

@testable import TillTUI

@Suite("display width and the screen grid")
struct WidthTests {
  @Test(arguments: [
    ("Café crème", 10), ("€", 1), ("é", 1), ("e\u{301}", 1), ("抹茶ラテ", 8), ("Brötchen", 8), ("🥐", 2),
    ("a\u{200B}b", 2), ("한국", 4), ("ｶ", 1), ("\u{301}", 0),
  ])
  func widths(text: String, cells: Int) {
    #expect(DisplayWidth.of(text) == cells)
  }

  @Test func wideCharactersTakeTwoCells() {
    var screen = Screen(size: Size(columns: 10, rows: 1))
    let end = screen.put("抹茶x", row: 0, column: 0)
    #expect(end == 5)
    #expect(screen[0, 0].text == "抹")
    #expect(screen[0, 1].isContinuation)
    #expect(screen[0, 4].text == "x")
    #expect(screen.text == "抹茶x")
  }

  @Test func wideCharacterThatDoesNotFitBecomesABlank() {
    var screen = Screen(size: Size(columns: 4, rows: 1))
    screen.put("a抹茶", row: 0, column: 0)
    #expect(screen.line(0) == "a抹 ")
  }

  @Test func overwritingHalfAWideCharacterRepairsTheOtherHalf() {
    var screen = Screen(size: Size(columns: 4, rows: 1))
    screen.put("抹茶", row: 0, column: 0)
    screen.put("x", row: 0, column: 1)
    #expect(screen.line(0) == " x茶")
    screen.put("y", row: 0, column: 2)
    #expect(screen.line(0) == " xy ")
  }

  @Test func combiningMarkJoinsThePreviousCell() {
    var screen = Screen(size: Size(columns: 4, rows: 1))
    screen.put("e", row: 0, column: 0)
    screen.put("\u{301}", row: 0, column: 1)
    #expect(screen[0, 0].text == "e\u{301}")
    #expect(screen.line(0) == "e\u{301}   ")
  }

  @Test func fitCutsWithAnEllipsisAndPadsByCells() {
    #expect(DisplayWidth.fit("Café crème", width: 6) == "Café …")
    #expect(DisplayWidth.fit("抹茶ラテ", width: 6) == "抹茶… ")
    #expect(DisplayWidth.fit("€", width: 3, alignRight: true) == "  €")
  }

  @Test func pricesLineUpWhateverTheName() {
    let screen = render(Fixtures.state(), size: Size(columns: 100, rows: 30))
    // Rows 3...7 hold the five products; the price column must end at the same cell on every row.
    func priceEnd(_ row: Int) -> Int? {
      (0..<screen.size.columns).last { column in
        screen[row, column].text == "0" && screen[row, column + 1].text == " " && column < 50
      }
    }
    let ends = (3...7).map(priceEnd)
    #expect(Set(ends).count == 1, "price columns: \(ends)")
  }

  @Test func sizeParses() {
    #expect(Size(parsing: "100x30") == Size(columns: 100, rows: 30))
    #expect(Size(parsing: "100") == nil)
    #expect(Size(parsing: "0x10") == nil)
    #expect(Size(parsing: "axb") == nil)
  }
}
