import Foundation
import Testing

@testable import TillTUI

@Suite("keystroke scripts: parser")
struct ScriptTests {
  @Test func parsesEveryCommand() throws {
    let text = """
      # a sale
      type "caf"
      press Enter
      press Esc
      press F1
      press Ctrl+X
      press +
      press PgDn
      wait-for "Café crème"
      wait-for "Total" within 2s
      expect "Total"
      expect-not "Offline"
      snapshot after-sale
      sleep 200ms
      sleep 1.5s
      resize 100x30

      type "say \\"hi\\""
      scan "4012802137743"
      """
    let script = try Script(parsing: text, name: "sale.till")
    #expect(
      script.steps.map(\.command) == [
        .type("caf"), .press(.enter), .press(.escape), .press(.function(1)), .press(.control("x")),
        .press(.character("+")), .press(.pageDown), .waitFor("Café crème", within: .seconds(5)),
        .waitFor("Total", within: .seconds(2)), .expect("Total"), .expectNot("Offline"),
        .snapshot("after-sale"),
        .sleep(.milliseconds(200)), .sleep(.milliseconds(1500)), .resize(Size(columns: 100, rows: 30)),
        .type("say \"hi\""), .scan("4012802137743"),
      ])
    #expect(script.steps.first?.line == 2)
    #expect(script.steps.last?.line == 19)
  }

  @Test(arguments: [
    ("tpye \"x\"", 1, "unknown command `tpye`"),
    ("type x", 1, "expected a \"quoted string\""),
    ("type \"open", 1, "the string is not closed with \""),
    ("press Hyper", 1, "unknown key Hyper"),
    ("press", 1, "press needs a key, e.g. press Enter"),
    ("# ok\nwait-for \"x\" soon", 2, "expected `within 5s` after the string, found soon"),
    ("sleep forever", 1, "sleep needs a duration like 200ms or 2s"),
    ("\n\nresize big", 3, "resize needs COLSxROWS, e.g. 100x30"),
    ("snapshot ../etc/passwd", 1, "snapshot needs a name of letters, digits, - _ . (got ../etc/passwd)"),
    ("expect \"a\" trailing", 1, "unexpected text after the string: trailing"),
    ("scan \"12a4\"", 1, "scan needs 1 to 64 digits, e.g. scan \"4012802137743\""),
    ("scan \"\"", 1, "scan needs 1 to 64 digits, e.g. scan \"4012802137743\""),
  ])
  func errorsNameTheLine(text: String, line: Int, message: String) {
    #expect(throws: ScriptSyntaxError(line: line, message: message)) {
      _ = try Script(parsing: text)
    }
  }

  @Test func binaryNoiseIsAnErrorNotACrash() {
    #expect(throws: ScriptSyntaxError.self) { _ = try Script(bytes: [0x74, 0x79, 0x00, 0xFF, 0x0A]) }
    #expect(throws: ScriptSyntaxError(line: 2, message: "not valid UTF-8 text")) {
      _ = try Script(bytes: Array("type \"a\"\ntype \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8))
    }
  }

  @Test func randomBytesNeverCrashTheParser() {
    var generator = SplitMix(seed: 42)
    var parsed = 0
    var rejected = 0
    for _ in 0..<2000 {
      let count = Int(generator.next() % 64)
      let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      do {
        _ = try Script(bytes: bytes)
        parsed += 1
      } catch {
        rejected += 1
        #expect(error.line >= 1)
      }
    }
    #expect(parsed + rejected == 2000)
    #expect(rejected > 1900, "random bytes are almost never a script")
  }

  @Test func sampleScriptsParse() throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Scripts")
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
      $0.hasSuffix(".till")
    }
    #expect(names.count >= 5)
    for name in names {
      let bytes = try #require(
        FileManager.default.contents(atPath: directory.appendingPathComponent(name).path))
      let script = try Script(bytes: Array(bytes), name: name)
      #expect(!script.steps.isEmpty, "\(name) has steps")
    }
  }

  @Test func keyNames() {
    #expect(Key(name: "Tab") == .tab)
    #expect(Key(name: "F12") == .function(12))
    #expect(Key(name: "F13") == nil)
    #expect(Key(name: "ctrl+c") == .control("c"))
    #expect(Key(name: "Backspace") == .backspace)
    #expect(Key(name: "é") == .character("é"))
  }
}

/// A small deterministic generator, so the noise test fails the same way every time.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
