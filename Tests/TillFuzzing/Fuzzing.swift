import Foundation

// Seeded input generators shared by the fuzz tests (decoders, HTTP bodies, keystroke scripts) and by
// tests that want a reproducible random schedule: one printed seed replays a run.

/// SplitMix64: tiny, fast, and the same sequence on every platform for a seed.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}

/// A JSON document as text, including number spellings a decoder must survive (`1e400`, `-0`).
public indirect enum JSON: Sendable {
  case null
  case bool(Bool)
  case int(Int)
  /// A number written verbatim: `1e400`, `-0`, `1.5`, `9223372036854775808`.
  case raw(String)
  case string(String)
  case array([JSON])
  case object([String: JSON])

  public var keys: [String] {
    guard case .object(let fields) = self else { return [] }
    return fields.keys.sorted()
  }

  public var text: String {
    switch self {
    case .null: "null"
    case .bool(let value): value ? "true" : "false"
    case .int(let value): String(value)
    case .raw(let value): value
    case .string(let value): JSON.quote(value)
    case .array(let values): "[" + values.map(\.text).joined(separator: ",") + "]"
    case .object(let fields):
      "{" + fields.keys.sorted().map { JSON.quote($0) + ":" + fields[$0]!.text }.joined(separator: ",") + "}"
    }
  }

  public var bytes: [UInt8] { Array(text.utf8) }

  public static func quote(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  public static let edgeNumbers = [
    "0", "-0", "1", "-1", "1e400", "-1e400", "1e-400", "1.5", "0.0", "1E2", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "999", "1000", "-999", "10000",
    "100000000000000000000000000000", "1000000", "1000001", "NaN", "Infinity", "-", "01", "0x10",
  ]

  public static let edgeStrings = [
    "", " ", "NaN", "Infinity", "cash", "card", "open", "checked_out", "paid", "\u{0}", "\\ud800", "é",
    "🧾", "/problems/not-found", String(repeating: "x", count: 65), String(repeating: "y", count: 5_000),
  ]

  public static func random(_ random: inout SplitMix64, depth: Int, keys: [String]) -> JSON {
    let choice = random.below(depth > 4 ? 5 : 8)
    switch choice {
    case 0: return .null
    case 1: return .bool(random.next() & 1 == 0)
    case 2: return .int(Int(bitPattern: UInt(truncatingIfNeeded: random.next())) >> random.below(64))
    case 3: return .raw(edgeNumbers[random.below(edgeNumbers.count)])
    case 4: return .string(randomString(&random))
    case 5:
      return .array((0..<random.below(4)).map { _ in JSON.random(&random, depth: depth + 1, keys: keys) })
    default:
      var fields: [String: JSON] = [:]
      for _ in 0..<random.below(6) {
        let key =
          keys.isEmpty || random.below(4) == 0 ? randomString(&random) : keys[random.below(keys.count)]
        fields[key] = JSON.random(&random, depth: depth + 1, keys: keys)
      }
      return .object(fields)
    }
  }

  public static func randomString(_ random: inout SplitMix64) -> String {
    if random.below(3) == 0 { return edgeStrings[random.below(edgeStrings.count)] }
    let scalars = (0..<random.below(12)).compactMap { _ in
      Unicode.Scalar(UInt32(random.below(4) == 0 ? random.below(0x2_0000) : 0x20 + random.below(0x5F)))
    }
    return String(String.UnicodeScalarView(scalars))
  }
}

/// Mutations of valid documents and raw bytes.
public enum Mutator {
  public static func randomBytes(_ random: inout SplitMix64) -> [UInt8] {
    (0..<random.below(80)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
  }

  /// A structural or textual mutation of `valid`.
  public static func mutate(_ valid: JSON, _ random: inout SplitMix64) -> [UInt8] {
    guard case .object(var fields) = valid, !fields.isEmpty else { return randomBytes(&random) }
    let keys = fields.keys.sorted()
    let key = keys[random.below(keys.count)]
    switch random.below(12) {
    case 0:
      fields[key] = nil  // drop a field
      return JSON.object(fields).bytes
    case 1:
      // Duplicate a field with another value, textually (a dictionary cannot hold it twice).
      let text = JSON.object(fields).text
      let extra = JSON.quote(key) + ":" + JSON.random(&random, depth: 2, keys: []).text + ","
      return Array(("{" + extra + text.dropFirst()).utf8)
    case 2:
      fields[key] = JSON.random(&random, depth: 1, keys: keys)  // wrong type, probably
      return JSON.object(fields).bytes
    case 3:
      fields[key] = .raw(JSON.edgeNumbers[random.below(JSON.edgeNumbers.count)])
      return JSON.object(fields).bytes
    case 4:
      fields[key] = .string(JSON.edgeStrings[random.below(JSON.edgeStrings.count)])
      return JSON.object(fields).bytes
    case 5:
      fields[JSON.randomString(&random)] = JSON.random(&random, depth: 1, keys: [])  // unknown field
      return JSON.object(fields).bytes
    case 6:
      // Deep nesting.
      let depth = 1 + random.below(5_000)
      fields[key] = .raw(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
      return JSON.object(fields).bytes
    case 7:
      // Invalid UTF-8 inside a string.
      let bad: [[UInt8]] = [
        [0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
      ]
      var bytes = JSON.object(fields).bytes
      if let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) {
        bytes.insert(contentsOf: bad[random.below(bad.count)], at: quote + 1)
      }
      return bytes
    case 8:
      // Truncated.
      let bytes = JSON.object(fields).bytes
      return Array(bytes.prefix(random.below(bytes.count)))
    case 9:
      // Flip a few bytes.
      var bytes = JSON.object(fields).bytes
      for _ in 0..<(1 + random.below(3)) {
        bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
      }
      return bytes
    case 10:
      // The whole body wrapped or replaced by another top-level value.
      return [JSON.array([valid]), .string("x"), .raw("1e400"), .null, .array([])][random.below(5)].bytes
    default:
      // Nested value mutated one level down (Money fields and lines).
      if case .object(var inner) = fields[key], let innerKey = inner.keys.sorted().first {
        inner[innerKey] = .raw(JSON.edgeNumbers[random.below(JSON.edgeNumbers.count)])
        fields[key] = .object(inner)
      } else {
        fields[key] = .null
      }
      return JSON.object(fields).bytes
    }
  }
}
