/// A terminal size in cells.
public struct Size: Sendable, Hashable, CustomStringConvertible {
  public var columns: Int
  public var rows: Int

  public init(columns: Int, rows: Int) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
  }

  /// The smallest size the full layout needs.
  public static let minimum = Size(columns: 80, rows: 24)

  public var description: String { "\(columns)x\(rows)" }

  /// Parses `COLSxROWS`, e.g. `100x30`.
  public init?(parsing text: String) {
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]),
      (1...1000).contains(columns), (1...1000).contains(rows)
    else { return nil }
    self.init(columns: columns, rows: rows)
  }
}

/// One cell: a grapheme (with any combining marks) and its style. The right half of a wide character is a
/// continuation cell with empty text.
public struct Cell: Sendable, Hashable {
  public var text: String
  public var style: Style

  public init(_ text: String = " ", style: Style = .normal) {
    self.text = text
    self.style = style
  }

  public var isContinuation: Bool { text.isEmpty }
  public static let blank = Cell()
}

/// An in-memory grid of cells: what `render` produces and what terminals draw.
public struct Screen: Sendable, Hashable, CustomStringConvertible {
  public let size: Size
  public private(set) var cells: [Cell]

  public init(size: Size) {
    self.size = size
    cells = Array(repeating: .blank, count: size.columns * size.rows)
  }

  public subscript(row: Int, column: Int) -> Cell {
    guard contains(row: row, column: column) else { return .blank }
    return cells[row * size.columns + column]
  }

  private func contains(row: Int, column: Int) -> Bool {
    row >= 0 && row < size.rows && column >= 0 && column < size.columns
  }

  /// Writes `text` from (row, column), clipped to `limit` cells (default: the row's end).
  /// Returns the column after the last cell written.
  @discardableResult
  public mutating func put(
    _ text: String, row: Int, column: Int, style: Style = .normal, limit: Int? = nil
  ) -> Int {
    guard row >= 0, row < size.rows else { return column }
    let end = min(size.columns, column + (limit ?? size.columns))
    var x = column
    for character in text {
      let width = DisplayWidth.of(character)
      if width == 0 {
        // A lone combining mark or a control: attach marks to the previous cell, drop controls.
        if x > 0, x - 1 < end, character.unicodeScalars.first.map({ DisplayWidth.of($0) == 0 }) == true,
          character.unicodeScalars.allSatisfy({ $0.value >= 0x300 })
        {
          var previous = x - 1
          if previous > 0, self[row, previous].isContinuation { previous -= 1 }
          set(row, previous, Cell(self[row, previous].text + String(character), style: style))
        }
        continue
      }
      if x + width > end {
        if x < end { fill(row: row, from: x, to: end, style: style) }
        return end
      }
      if x >= 0 {
        set(row, x, Cell(String(character), style: style))
        if width == 2 { set(row, x + 1, Cell("", style: style)) }
      }
      x += width
    }
    return x
  }

  /// Fills cells [from, to) of a row with blanks in `style`.
  public mutating func fill(row: Int, from: Int, to: Int, style: Style = .normal) {
    for x in max(0, from)..<max(max(0, from), min(to, size.columns)) {
      set(row, x, Cell(" ", style: style))
    }
  }

  /// Fills a rectangle with blanks.
  public mutating func fill(row: Int, column: Int, width: Int, height: Int, style: Style = .normal) {
    for y in row..<(row + max(0, height)) {
      fill(row: y, from: column, to: column + width, style: style)
    }
  }

  /// Sets one cell, repairing any wide character it cuts in half.
  private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
    guard contains(row: row, column: column) else { return }
    let index = row * size.columns + column
    let old = cells[index]
    if old.isContinuation, column > 0, !cell.isContinuation {
      cells[index - 1] = Cell(" ", style: cells[index - 1].style)
    } else if !old.isContinuation, column + 1 < size.columns, cells[index + 1].isContinuation,
      !cell.isContinuation, DisplayWidth.of(cell.text) < 2
    {
      cells[index + 1] = Cell(" ", style: cells[index + 1].style)
    }
    cells[index] = cell
  }

  /// One row as text (continuation cells skipped), trailing spaces kept.
  public func line(_ row: Int) -> String {
    guard row >= 0, row < size.rows else { return "" }
    var text = ""
    for x in 0..<size.columns {
      text += self[row, x].text
    }
    return text
  }

  /// The whole screen as text, one line per row, trailing spaces trimmed (for snapshots and expectations).
  public var text: String {
    (0..<size.rows).map { row in
      var line = line(row)
      while line.last == " " { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }

  public var description: String { text }

  /// Whether `needle` appears on one row of the screen.
  public func contains(_ needle: String) -> Bool {
    (0..<size.rows).contains { line($0).contains(needle) }
  }
}
