import Foundation
import Testing
import TillTUI
import TillTestSupport

/// Seeded fuzzing of the keystroke-script parser: random bytes, random token soup and mutations of the
/// real scripts in `Scripts/`. Properties: parsing never crashes; a refusal names a line within the
/// script and has a message; an accepted script's steps lie within the script and each step's source
/// parses alone to the same command. `TILL_FUZZ_SEED=n` replays a run; the seed is printed.
@Suite struct ScriptParserFuzzTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["TILL_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x7111_2026_0008

  static let scriptsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Scripts")

  static func seedScripts() throws -> [[UInt8]] {
    let names = try FileManager.default.contentsOfDirectory(atPath: scriptsDirectory.path)
      .filter { $0.hasSuffix(".till") }.sorted()
    return try names.map { Array(try Data(contentsOf: scriptsDirectory.appendingPathComponent($0))) }
  }

  struct Tally {
    var cases = 0
    var accepted = 0
    var refused = 0
    var violations: [String] = []
  }

  @Test func randomBytes() {
    var random = FuzzRandom(seed: Self.seed)
    var tally = Tally()
    for _ in 0..<3_000 {
      let bytes = (0..<random.below(200)).map { _ -> UInt8 in
        // Mostly text-like bytes with newlines, some anything.
        random.below(5) == 0
          ? UInt8(truncatingIfNeeded: random.next())
          : [10, 32, 34, 0x61, 0x7A][random.below(5)]
            &+ UInt8(random.below(3))
      }
      Self.check(bytes, &tally)
    }
    report("randomBytes", tally)
    #expect(tally.refused > 0)
  }

  @Test func randomTokens() {
    var random = FuzzRandom(seed: Self.seed ^ 0x544F_4B)
    var tally = Tally()
    let tokens = [
      "type", "press", "wait-for", "expect", "expect-not", "snapshot", "sleep", "resize", "#", "within", "\"",
      "\"text\"", "\"a\\\"b\"", "\"\\q\"", "Enter", "Esc", "Tab", "Up", "F1", "F12", "F13", "Ctrl+X", "Ctrl+",
      "Ctrl+ß", "PgUp", "x", "+", "-", "*", "200ms", "2s", "1.5s", "1.5555s", "-1s", "601s",
      "9999999999999ms",
      "100x30", "0x0", "x30", "100x", "snap.txt", "../up", ".hidden", "\t", " ", "é", "🧾", "\r",
    ]
    for _ in 0..<3_000 {
      let lines = (0..<(1 + random.below(8))).map { _ in
        (0..<random.below(5)).map { _ in tokens[random.below(tokens.count)] }.joined(separator: " ")
      }
      Self.check(Array(lines.joined(separator: "\n").utf8), &tally)
    }
    report("randomTokens", tally)
    #expect(tally.accepted > 0 && tally.refused > 0)
  }

  @Test func mutatedScripts() throws {
    let seeds = try Self.seedScripts()
    try #require(seeds.count >= 5, "the scripts in \(Self.scriptsDirectory.path)")
    var random = FuzzRandom(seed: Self.seed ^ 0x5343_52)
    var tally = Tally()
    for script in seeds {
      var unchanged = Tally()
      Self.check(script, &unchanged)
      #expect(unchanged.accepted == 1, "a seed script does not parse")
    }
    for _ in 0..<3_000 {
      Self.check(Self.mutate(seeds[random.below(seeds.count)], &random), &tally)
    }
    report("mutatedScripts", tally)
    #expect(tally.accepted > 0 && tally.refused > 0)
  }

  /// A script saved with Windows line endings means the same as with Unix ones (`Script` means to strip
  /// a trailing CR from each line).
  ///
  /// Found by this fuzz: `Script(parsing:)` split on the Character "\n", and Swift reads "\r\n" as one
  /// Character, so a CRLF script was one long line and failed on its first command.
  @Test func crlfLineEndingsParseLikeLF() throws {
    let seeds = try Self.seedScripts()
    try #require(!seeds.isEmpty)
    for bytes in seeds {
      let unix = try? Script(bytes: bytes)
      var windows: [UInt8] = []
      for byte in bytes { windows += byte == 10 ? [13, 10] : [byte] }
      let parsed = try? Script(bytes: windows)
      #expect(parsed != nil && parsed?.steps.map(\.command) == unix?.steps.map(\.command))
    }
  }

  // MARK: the property

  static func check(_ bytes: [UInt8], _ tally: inout Tally) {
    tally.cases += 1
    let lineCount = bytes.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
    let shown = String(decoding: bytes.prefix(120), as: UTF8.self).debugDescription
    do {
      let script = try Script(bytes: bytes)
      tally.accepted += 1
      for step in script.steps {
        guard (1...lineCount).contains(step.line) else {
          tally.violations.append("step line \(step.line) of \(lineCount) in \(shown)")
          continue
        }
        // A step's source is a whole script of one line: it must parse to the same command.
        let alone = try? Script(parsing: step.source)
        if alone?.steps.map(\.command) != [step.command] {
          tally.violations.append("step \(step.source.debugDescription) does not parse alone the same")
        }
      }
    } catch {
      tally.refused += 1
      if !(1...lineCount).contains(error.line) {
        tally.violations.append("error on line \(error.line) of \(lineCount) in \(shown)")
      }
      if error.message.trimmingCharacters(in: .whitespaces).isEmpty {
        tally.violations.append("empty message for \(shown)")
      }
    }
  }

  private func report(_ name: String, _ tally: Tally) {
    print(
      "ScriptParserFuzzTests.\(name) seed=\(Self.seed) cases=\(tally.cases) accepted=\(tally.accepted) "
        + "refused=\(tally.refused) violations=\(tally.violations.count)")
    #expect(tally.violations.count == 0, "\(tally.violations.prefix(5))")
    #expect(tally.cases >= 3_000)
  }

  // MARK: mutations

  static func mutate(_ script: [UInt8], _ random: inout FuzzRandom) -> [UInt8] {
    var lines = script.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
    guard !lines.isEmpty else { return script }
    let index = random.below(lines.count)
    switch random.below(11) {
    case 0: lines.remove(at: index)
    case 1: lines.insert(lines[index], at: random.below(lines.count))
    case 2: lines.swapAt(index, random.below(lines.count))
    case 3:
      // Drop a quote.
      if let quote = lines[index].lastIndex(of: 34) { lines[index].remove(at: quote) }
    case 4: lines[index].insert(34, at: random.below(lines[index].count + 1))
    case 5:
      // Invalid UTF-8 or a NUL somewhere.
      let bad: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0], [0xEF, 0xBF, 0xBD]]
      lines[index].insert(contentsOf: bad[random.below(bad.count)], at: random.below(lines[index].count + 1))
    case 6: lines[index] = Array(lines[index].prefix(random.below(lines[index].count + 1)))
    case 7: lines[index] += [13]  // CRLF
    case 8: lines[index] += Array(repeating: UInt8(ascii: "x"), count: 1 + random.below(2_000))
    case 9:
      // Swap the command word for another.
      let words = [
        "type", "press", "wait-for", "expect", "expect-not", "snapshot", "sleep", "resize", "bogus",
      ]
      let rest = lines[index].drop { $0 != 32 }
      lines[index] = Array(words[random.below(words.count)].utf8) + rest
    default:
      for _ in 0..<(1 + random.below(4)) where !lines[index].isEmpty {
        lines[index][random.below(lines[index].count)] = UInt8(truncatingIfNeeded: random.next())
      }
    }
    return Array(lines.joined(separator: [10]))
  }
}

/// The shared seeded generator (TillTestSupport), under the name this file uses.
typealias FuzzRandom = SplitMix64
