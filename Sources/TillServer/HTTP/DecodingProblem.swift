import Foundation
import TillCore

/// A 400 problem naming the field for each way a JSON body can fail to decode.
enum DecodingProblem {
  static func problem(for error: DecodingError, body: Data? = nil) -> Problem {
    switch error {
    case .keyNotFound(let key, let context):
      let field = path(context.codingPath + [key])
      return Problem(.malformedRequest, detail: "The field \(field) is missing.", field: field)
    case .typeMismatch(let type, let context):
      let field = path(context.codingPath)
      return Problem(
        .malformedRequest, detail: "The field \(field) must be \(describe(type)).", field: field)
    case .valueNotFound(let type, let context):
      let field = path(context.codingPath)
      return Problem(
        .malformedRequest, detail: "The field \(field) must be \(describe(type)), not null.",
        field: field)
    case .dataCorrupted(let context):
      guard !context.codingPath.isEmpty else {
        // Foundation's decoder reports a number it cannot fit (1.5 or 1e30 for an Int) without a path;
        // no request field is fractional, so the first such number in a valid document is the culprit.
        if let body, let field = firstNonIntegerNumber(in: body) {
          return Problem(
            .malformedRequest, detail: "The field \(field) must be an integer within range.",
            field: field)
        }
        return Problem(.malformedRequest, detail: "The body is not valid JSON.")
      }
      let field = path(context.codingPath)
      return Problem(
        .malformedRequest, detail: "The field \(field) has an unreadable value.", field: field)
    @unknown default:
      return Problem(.malformedRequest, detail: "The body could not be read.")
    }
  }

  /// The path of the first number in `body` that is fractional or beyond `Int`, when `body` is valid JSON.
  private static func firstNonIntegerNumber(in body: Data) -> String? {
    guard let document = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
      return nil
    }
    func search(_ value: Any, path: String) -> String? {
      switch value {
      case let object as [String: Any]:
        for key in object.keys.sorted() {
          if let found = search(object[key] as Any, path: path.isEmpty ? key : path + "." + key) {
            return found
          }
        }
        return nil
      case let array as [Any]:
        for (index, element) in array.enumerated() {
          if let found = search(element, path: path + "[\(index)]") { return found }
        }
        return nil
      case let number as NSNumber:
        let double = number.doubleValue
        let fits = double.rounded() == double && abs(double) < 9.2e18
        return fits ? nil : (path.isEmpty ? "body" : path)
      default:
        return nil
      }
    }
    return search(document, path: "")
  }

  /// `lines[2].sku` style names for a coding path.
  private static func path(_ keys: [any CodingKey]) -> String {
    var text = ""
    for key in keys {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text.isEmpty ? "body" : text
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    case is Double.Type, is Float.Type: "a number"
    default:
      String(describing: type).hasPrefix("Array") ? "an array" : "an object"
    }
  }
}
