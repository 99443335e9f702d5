/// One command of a keystroke script (the format is in the README, "Keystroke scripts").
public enum ScriptCommand: Sendable, Hashable {
  case type(String)
  case press(Key)
  /// A barcode scanned (a scanner's burst, delivered as one scan).
  case scan(String)
  case waitFor(String, within: Duration)
  case expect(String)
  case expectNot(String)
  case snapshot(String)
  case sleep(Duration)
  /// Headless only: resize the in-memory terminal.
  case resize(Size)
}

/// A command with the line it came from, for error messages.
public struct ScriptStep: Sendable, Hashable {
  public var line: Int
  public var source: String
  public var command: ScriptCommand
}

/// Why a script could not be read.
public struct ScriptSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
  public var line: Int
  public var message: String

  public var description: String { "line \(line): \(message)" }
}

/// A parsed keystroke script.
public struct Script: Sendable, Hashable {
  public var name: String
  public var steps: [ScriptStep]

  /// The default time `wait-for` waits.
  public static let defaultWait = Duration.seconds(5)

  /// Parses script text; the first bad line is reported by number.
  public init(parsing text: String, name: String = "script") throws(ScriptSyntaxError) {
    self.name = name
    var steps: [ScriptStep] = []
    var number = 0
    for var line in text.scriptLines {
      number += 1
      if line.hasSuffix("\r") { line.removeLast() }
      let trimmed = line.trimmingSpaces
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let command = try ScriptParser.command(trimmed, line: number)
      steps.append(ScriptStep(line: number, source: trimmed, command: command))
    }
    self.steps = steps
  }

  /// Parses raw bytes (a file), treating invalid UTF-8 as an error on its line rather than a crash.
  public init(bytes: [UInt8], name: String = "script") throws(ScriptSyntaxError) {
    var number = 1
    for (index, byte) in bytes.enumerated() {
      if byte == 10 { number += 1 }
      if byte == 0 {
        throw ScriptSyntaxError(line: number, message: "binary data (NUL byte at offset \(index))")
      }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if text.contains("\u{FFFD}") && !bytes.containsReplacementCharacter {
      let bad = text.scriptLines.firstIndex {
        $0.contains("\u{FFFD}")
      }
      throw ScriptSyntaxError(line: (bad ?? 0) + 1, message: "not valid UTF-8 text")
    }
    try self.init(parsing: text, name: name)
  }
}

extension String {
  /// The lines, split on the scalar LF: split on the Character "\n" a CRLF file is one line, because
  /// Swift reads "\r\n" as a single Character. A CR left at a line's end is the caller's to drop.
  fileprivate var scriptLines: [String] {
    unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
      String(String.UnicodeScalarView($0))
    }
  }
}

extension [UInt8] {
  /// Whether the bytes hold an encoded U+FFFD themselves (EF BF BD), so decoding did not invent it.
  fileprivate var containsReplacementCharacter: Bool {
    guard count >= 3 else { return false }
    for index in 0..<(count - 2)
    where self[index] == 0xEF && self[index + 1] == 0xBF && self[index + 2] == 0xBD {
      return true
    }
    return false
  }
}

extension String {
  var trimmingSpaces: String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
