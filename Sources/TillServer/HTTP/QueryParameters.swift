import Hummingbird
import TillCore

/// Reads and validates query parameters; every refusal is a 422 naming the parameter.
struct QueryParameters {
  private let values: [String: String]

  init(_ request: Request) {
    var values: [String: String] = [:]
    // The first occurrence wins, so `?limit=5&limit=500` cannot smuggle a second value past validation.
    for (key, value) in request.uri.queryParameters where values[String(key)] == nil {
      values[String(key)] = String(value)
    }
    self.values = values
  }

  /// A non-empty text value of at most `maxLength` characters, or nil when absent or empty.
  /// Characters are Unicode code points, as JSON Schema's `maxLength` in the OpenAPI description counts
  /// them; counting grapheme clusters would let combining marks make a "200-character" value any size.
  func text(_ name: String, maxLength: Int = 200) throws(Problem) -> String? {
    guard let value = values[name], !value.isEmpty else { return nil }
    guard value.unicodeScalars.count <= maxLength else {
      throw Problem.invalidField(name, "\(name) may be at most \(maxLength) characters.")
    }
    return value
  }

  /// The page size: 1–`Limits.maxPageSize`, default `Limits.defaultPageSize`.
  func limit() throws(Problem) -> Int {
    guard let value = values["limit"] else { return Limits.defaultPageSize }
    guard let limit = Int(value), (1...Limits.maxPageSize).contains(limit) else {
      throw Problem.invalidField("limit", "limit must be an integer from 1 to \(Limits.maxPageSize).")
    }
    return limit
  }

  /// A value of a closed set, e.g. an order status.
  func choice<Value: RawRepresentable>(_ name: String, as type: Value.Type) throws(Problem) -> Value?
  where Value.RawValue == String {
    guard let value = values[name], !value.isEmpty else { return nil }
    guard let choice = Value(rawValue: value) else {
      throw Problem.invalidField(name, "\(name) has an unknown value.")
    }
    return choice
  }
}
