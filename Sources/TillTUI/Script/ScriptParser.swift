/// The grammar of one script line: `command [argument]`.
enum ScriptParser {
  static func command(_ text: String, line: Int) throws(ScriptSyntaxError) -> ScriptCommand {
    let (word, rest) = splitWord(text)
    func fail(_ message: String) -> ScriptSyntaxError { ScriptSyntaxError(line: line, message: message) }
    switch word {
    case "type":
      let (value, after) = try quoted(rest, line: line)
      guard after.isEmpty else { throw fail("unexpected text after the string: \(after)") }
      return .type(value)
    case "scan":
      let (value, after) = try quoted(rest, line: line)
      guard after.isEmpty else { throw fail("unexpected text after the string: \(after)") }
      guard !value.isEmpty, value.count <= 64, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw fail("scan needs 1 to 64 digits, e.g. scan \"4012802137743\"")
      }
      return .scan(value)
    case "press":
      let name = rest.trimmingSpaces
      guard !name.isEmpty else { throw fail("press needs a key, e.g. press Enter") }
      let keyName = name.hasPrefix("\"") ? (try quoted(name, line: line).0) : name
      guard let key = Key(name: keyName) else { throw fail("unknown key \(name)") }
      return .press(key)
    case "wait-for":
      let (value, after) = try quoted(rest, line: line)
      if after.isEmpty { return .waitFor(value, within: Script.defaultWait) }
      let (within, amount) = splitWord(after)
      guard within == "within", let duration = parseDuration(amount.trimmingSpaces) else {
        throw fail("expected `within 5s` after the string, found \(after)")
      }
      return .waitFor(value, within: duration)
    case "expect", "expect-not":
      let (value, after) = try quoted(rest, line: line)
      guard after.isEmpty else { throw fail("unexpected text after the string: \(after)") }
      return word == "expect" ? .expect(value) : .expectNot(value)
    case "snapshot":
      let name = rest.trimmingSpaces
      guard !name.isEmpty, name.count <= 100,
        name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }),
        !name.hasPrefix(".")
      else { throw fail("snapshot needs a name of letters, digits, - _ . (got \(name))") }
      return .snapshot(name)
    case "sleep":
      guard let duration = parseDuration(rest.trimmingSpaces) else {
        throw fail("sleep needs a duration like 200ms or 2s")
      }
      return .sleep(duration)
    case "resize":
      guard let size = Size(parsing: rest.trimmingSpaces) else {
        throw fail("resize needs COLSxROWS, e.g. 100x30")
      }
      return .resize(size)
    default:
      let shown = word.count > 40 ? String(word.prefix(40)) + "…" : word
      throw fail("unknown command `\(shown.debugDescription.dropFirst().dropLast())`")
    }
  }

  private static func splitWord(_ text: String) -> (String, String) {
    let trimmed = text.trimmingSpaces
    guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (trimmed, "") }
    return (String(trimmed[..<space]), String(trimmed[space...]).trimmingSpaces)
  }

  /// A double-quoted string with `\"`, `\\`, `\n` and `\t` escapes; answers it and the text after it.
  static func quoted(_ text: String, line: Int) throws(ScriptSyntaxError) -> (String, String) {
    let trimmed = text.trimmingSpaces
    guard trimmed.first == "\"" else {
      throw ScriptSyntaxError(line: line, message: "expected a \"quoted string\"")
    }
    var value = ""
    var escaped = false
    var index = trimmed.index(after: trimmed.startIndex)
    while index < trimmed.endIndex {
      let character = trimmed[index]
      if escaped {
        switch character {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "\"", "\\": value.append(character)
        default: throw ScriptSyntaxError(line: line, message: "unknown escape \\\(character)")
        }
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "\"" {
        return (value, String(trimmed[trimmed.index(after: index)...]).trimmingSpaces)
      } else {
        value.append(character)
      }
      index = trimmed.index(after: index)
    }
    throw ScriptSyntaxError(line: line, message: "the string is not closed with \"")
  }

  /// `200ms`, `2s`, `1.5s`.
  static func parseDuration(_ text: String) -> Duration? {
    if text.hasSuffix("ms"), let value = Int(text.dropLast(2)), (0...600_000).contains(value) {
      return .milliseconds(value)
    }
    guard text.hasSuffix("s") else { return nil }
    let number = text.dropLast()
    let parts = number.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = Int(parts[0]), (0...600).contains(whole) else { return nil }
    var milliseconds = whole * 1000
    if parts.count == 2 {
      let fraction = parts[1]
      guard (1...3).contains(fraction.count), let digits = Int(fraction) else { return nil }
      var scale = 1
      for _ in 0..<(3 - fraction.count) { scale *= 10 }
      milliseconds += digits * scale
    }
    return .milliseconds(milliseconds)
  }
}
